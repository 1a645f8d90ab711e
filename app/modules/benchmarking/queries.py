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
from sqlalchemy import (
    BigInteger,
    Boolean,
    CompoundSelect,
    Date,
    Float,
    Select,
    String,
    and_,
    case,
    column,
    func,
    literal,
    select,
    union_all,
    values,
)
from sqlalchemy.dialects.postgresql import distinct_on

from app.auth.models import Role
from app.auth.queries import memberships
from app.extensions import db
from app.modules.benchmarking.catalogue import METRICS, Better
from app.modules.benchmarking.disclosure import Visibility
from app.modules.benchmarking.models import BenchmarkFigure, BenchmarkPeer, PublishedFigure
from app.modules.benchmarking.peers import PeerKind, band_bounds
from app.modules.benchmarking.stats import Spread
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
        # Both descending: a backward scan of the primary key, no sort.
        .order_by(PublishedFigure.metric_code.desc(), PublishedFigure.period_start.desc())
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


@dataclass(frozen=True)
class Standing:
    """A figure's place among every active council's visible figures for the same metric and period."""

    network: Spread
    better: int  # how many councils have a strictly better figure
    peers: Spread


def standings(
    council_id: int,
    figures: dict[str, tuple[date, float | None]],
    levels: tuple[Visibility, ...],
    peers: Select | CompoundSelect,
) -> dict[str, Standing]:
    """For each metric in ``figures`` (``{code: (period, the council's value)}``), its standing.

    Computed in one aggregate query: the other councils' visible, unsuppressed
    published values for the same period, plus the council's own value (which
    on its own page may be one it keeps private: it is compared, never shown to
    anyone else). ``peers`` selects the ids of the peer group. Quartiles are
    ``percentile_cont``, the inclusive method ``stats.spread`` uses.
    """
    if not figures:
        return {}
    wanted = select(
        values(
            column("code", String),
            column("period", Date),
            column("mine", Float),
            column("higher", Boolean),
            name="wanted_rows",
        ).data(
            [(code, period, value, METRICS[code].better is Better.HIGHER) for code, (period, value) in figures.items()]
        )
    ).cte("wanted")
    others = (
        select(wanted.c.code, PublishedFigure.publisher_id.label("cid"), PublishedFigure.value.label("value"))
        .join(
            PublishedFigure,
            and_(PublishedFigure.metric_code == wanted.c.code, PublishedFigure.period_start == wanted.c.period),
        )
        .join(Council, Council.id == PublishedFigure.publisher_id)
        .where(
            Council.is_active,
            PublishedFigure.publisher_id != council_id,
            PublishedFigure.visibility.in_(levels),
            PublishedFigure.value.is_not(None),
        )
    )
    mine = select(wanted.c.code, literal(council_id, BigInteger).label("cid"), wanted.c.mine.label("value")).where(
        wanted.c.mine.is_not(None)
    )
    field = union_all(others, mine).subquery("field")
    better = case((wanted.c.higher, field.c.value > wanted.c.mine), else_=field.c.value < wanted.c.mine)
    in_peers = field.c.cid.in_(peers)

    def quartile(fraction: float, only=None):
        aggregate = func.percentile_cont(fraction).within_group(field.c.value)
        return aggregate if only is None else aggregate.filter(only)

    rows = db.session.execute(
        select(
            field.c.code,
            func.count(),
            quartile(0.25),
            quartile(0.5),
            quartile(0.75),
            func.count().filter(better),
            func.count().filter(in_peers),
            quartile(0.25, in_peers),
            quartile(0.5, in_peers),
            quartile(0.75, in_peers),
        )
        .join(wanted, wanted.c.code == field.c.code)
        .group_by(field.c.code)
    )
    return {
        code: Standing(Spread(count, q1, q2, q3), better_count, Spread(peer_count, p1, p2, p3))
        for code, count, q1, q2, q3, better_count, peer_count, p1, p2, p3 in rows
    }


def peer_query(kind: PeerKind, council: Council) -> Select | CompoundSelect:
    """The ids of ``council``'s peers of ``kind`` (the council's own group, for ``CUSTOM``, read under its context)."""
    if kind is PeerKind.CUSTOM:
        return union_all(select(BenchmarkPeer.peer_council_id), select(literal(council.id, BigInteger)))
    if kind is PeerKind.TYPE:
        return select(Council.id).where(Council.council_type == council.council_type)
    if kind is PeerKind.REGION:
        return select(Council.id).where(Council.region == council.region)
    low, high = band_bounds(council.population)
    query = select(Council.id).where(Council.population >= low)
    return query if high is None else query.where(Council.population < high)


def custom_peer_ids() -> set[int]:
    """The current council's own peer group."""
    return set(db.session.scalars(select(BenchmarkPeer.peer_council_id)))
