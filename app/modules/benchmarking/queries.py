"""Benchmarking reads. Other councils' figures come only from ``benchmark_published``.

``levels`` is what the reader may see: ``("public",)`` for anyone, plus
``"network"`` for signed-in officers of member councils (``reader_levels``).
Every function filters on it in SQL, so a figure the reader may not see never
leaves the database. The council's own figures (``own_figures``) are read
under its own context, through the ORM filter and RLS.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_login import current_user
from sqlalchemy import select, tuple_
from sqlalchemy.dialects.postgresql import distinct_on

from app.auth.models import Role
from app.auth.queries import memberships
from app.extensions import db
from app.modules.benchmarking.catalogue import METRICS
from app.modules.benchmarking.disclosure import Visibility
from app.modules.benchmarking.models import BenchmarkFigure, BenchmarkPeer, PublishedFigure
from tenants.models import Council, CouncilType, Region

PUBLIC: tuple[Visibility, ...] = (Visibility.PUBLIC,)
NETWORK: tuple[Visibility, ...] = (Visibility.PUBLIC, Visibility.NETWORK)
OFFICER_ROLES = (Role.OFFICER, Role.COUNCIL_ADMIN)


def reader_levels() -> tuple[Visibility, ...]:
    """Network figures for signed-in officers of an active council (and platform admins); public ones for all."""
    if not current_user.is_authenticated:
        return PUBLIC
    if current_user.is_platform_admin or any(m.role in OFFICER_ROLES for m in memberships(current_user.id)):
        return NETWORK
    return PUBLIC


@dataclass(frozen=True)
class CouncilInfo:
    """What the network pages show about a council (all of it public)."""

    slug: str
    name: str
    council_type: CouncilType
    region: Region
    population: int


@dataclass(frozen=True)
class Row:
    """One council's published figure for a metric and period (``value`` None: suppressed)."""

    council: CouncilInfo
    value: float | None


def active_councils() -> list[Council]:
    return list(db.session.scalars(select(Council).where(Council.is_active).order_by(Council.name)))


def council_by_slug(slug: str) -> Council | None:
    return db.session.scalar(select(Council).where(Council.slug == slug, Council.is_active))


def council_by_id(council_id: int) -> Council | None:
    return db.session.scalar(select(Council).where(Council.id == council_id))


def period_range(code: str, levels: tuple[Visibility, ...]) -> tuple[date, date] | None:
    """The first and last periods with any figure for ``code`` the reader may see (None: there are none).

    Two index lookups (``ix_benchmark_published_metric_period``), however many figures there are.
    """
    visible = (PublishedFigure.metric_code == code, PublishedFigure.visibility.in_(levels))
    first = db.session.scalar(
        select(PublishedFigure.period_start).where(*visible).order_by(PublishedFigure.period_start).limit(1)
    )
    if first is None:
        return None
    last = db.session.scalar(
        select(PublishedFigure.period_start).where(*visible).order_by(PublishedFigure.period_start.desc()).limit(1)
    )
    return first, last


def metric_rows(code: str, period: date, levels: tuple[Visibility, ...]) -> list[Row]:
    """Every active council's visible figure for ``code`` in ``period``, by council name.

    Plain rows, not ORM objects: the network page lists every council, and
    building hundreds of entities would cost more than the query.
    """
    rows = db.session.execute(
        select(
            Council.slug, Council.name, Council.council_type, Council.region, Council.population, PublishedFigure.value
        )
        .join(PublishedFigure, PublishedFigure.publisher_id == Council.id)
        .where(
            Council.is_active,
            PublishedFigure.metric_code == code,
            PublishedFigure.period_start == period,
            PublishedFigure.visibility.in_(levels),
        )
        .order_by(Council.name)
    ).all()
    return [Row(CouncilInfo(*row[:5]), row[5]) for row in rows]


def council_series(council_id: int, levels: tuple[Visibility, ...], code: str | None = None) -> dict[str, list]:
    """The council's visible published figures, per metric, oldest period first: ``[(period, value)]``."""
    query = select(PublishedFigure.metric_code, PublishedFigure.period_start, PublishedFigure.value).where(
        PublishedFigure.publisher_id == council_id, PublishedFigure.visibility.in_(levels)
    )
    if code is not None:
        query = query.where(PublishedFigure.metric_code == code)
    series: dict[str, list] = defaultdict(list)
    for metric_code, start, value in db.session.execute(query.order_by(PublishedFigure.period_start)):
        series[metric_code].append((start, value))
    return dict(series)


def latest_figures(council_id: int, levels: tuple[Visibility, ...]) -> dict[str, tuple[date, float | None]]:
    """The council's latest visible published figure for each metric: ``{code: (period, value)}``."""
    rows = db.session.execute(
        select(PublishedFigure.metric_code, PublishedFigure.period_start, PublishedFigure.value)
        .where(PublishedFigure.publisher_id == council_id, PublishedFigure.visibility.in_(levels))
        .ext(distinct_on(PublishedFigure.metric_code))
        .order_by(PublishedFigure.metric_code, PublishedFigure.period_start.desc())
    )
    return {code: (start, value) for code, start, value in rows}


def own_series(code: str | None = None) -> dict[str, list]:
    """The current council's own figures (private ones too), per metric, oldest first: ``[(period, value)]``."""
    query = select(BenchmarkFigure.metric_code, BenchmarkFigure.period_start, BenchmarkFigure.value)
    if code is not None:
        query = query.where(BenchmarkFigure.metric_code == code)
    series: dict[str, list] = defaultdict(list)
    for metric_code, start, value in db.session.execute(query.order_by(BenchmarkFigure.period_start)):
        series[metric_code].append((start, value))
    return dict(series)


def network_values(wanted: dict[str, date], levels: tuple[Visibility, ...]) -> dict[str, dict[int, float]]:
    """For each metric, the visible, unsuppressed value of every active council in the given period."""
    if not wanted:
        return {}
    pairs = [(code, period) for code, period in wanted.items()]
    query = (
        select(PublishedFigure.metric_code, PublishedFigure.publisher_id, PublishedFigure.value)
        .join(Council, Council.id == PublishedFigure.publisher_id)
        .where(
            Council.is_active,
            tuple_(PublishedFigure.metric_code, PublishedFigure.period_start).in_(pairs),
            PublishedFigure.visibility.in_(levels),
            PublishedFigure.value.is_not(None),
        )
    )
    values: dict[str, dict[int, float]] = defaultdict(dict)
    for code, publisher_id, value in db.session.execute(query):
        values[code][publisher_id] = value
    return dict(values)


def custom_peer_ids() -> set[int]:
    """The current council's own peer group."""
    return set(db.session.scalars(select(BenchmarkPeer.peer_council_id)))


def known_codes() -> list[str]:
    return list(METRICS)
