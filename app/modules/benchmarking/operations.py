"""Benchmarking writes: computing, uploading, sharing and publishing a council's figures.

Everything here runs under one council's context and flushes, never commits
(the view or job commits). ``publish`` is the only code that writes the global
``benchmark_published`` table, and the database lets it write only the current
council's rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.audit.operations import record_event
from app.extensions import db
from app.modules.benchmarking import disclosure
from app.modules.benchmarking.catalogue import METRICS
from app.modules.benchmarking.disclosure import Raw, Sharing, Visibility
from app.modules.benchmarking.figures import Figure
from app.modules.benchmarking.models import (
    BenchmarkFigure,
    BenchmarkPeer,
    BenchmarkSharing,
    FigureSource,
    PublishedFigure,
)
from app.modules.benchmarking.periods import add_months, month_start
from app.modules.benchmarking.providers import ALWAYS, PROVIDERS
from app.modules.benchmarking.uploads import UploadRow
from tenants.context import current_council_id
from tenants.features import enabled_modules


def compute_figures(start: date, end: date) -> dict[str, Figure]:
    """The current council's figures for [start, end) from every provider it runs, with totals added."""
    modules = enabled_modules()
    figures: dict[str, Figure] = {}
    for module, provider in PROVIDERS.items():
        if module in ALWAYS or module in modules:
            # A figure with no value (nothing to divide by) is left out, not stored as zero.
            figures.update(
                {code: f for code, f in provider(start, end).items() if code in METRICS and f["value"] is not None}
            )
    for metric in METRICS.values():
        if metric.parts and all(p in figures for p in metric.parts):
            figures[metric.code] = Figure(
                value=sum(figures[p]["value"] for p in metric.parts), numerator=None, denominator=None
            )
    return figures


def store_figures(period_start: date, figures: dict[str, Figure], source: FigureSource) -> int:
    """Insert or replace the council's figures for one period; returns how many. Idempotent."""
    if not figures:
        return 0
    council_id = current_council_id()
    rows = [
        {
            "council_id": council_id,
            "metric_code": code,
            "period_start": period_start,
            "value": float(f["value"]),
            "numerator": f["numerator"],
            "denominator": f["denominator"],
            "source": source,
        }
        for code, f in figures.items()
    ]
    statement = pg_insert(BenchmarkFigure).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["council_id", "metric_code", "period_start"],
        set_={k: statement.excluded[k] for k in ("value", "numerator", "denominator", "source")},
    )
    db.session.execute(statement)
    return len(rows)


def compute_month(month: date) -> int:
    """Compute and store the council's figures for the month starting ``month``; returns how many."""
    start = month_start(month)
    return store_figures(start, compute_figures(start, add_months(start, 1)), FigureSource.COMPUTED)


def nightly(today: date) -> int:
    """The nightly run for the current council: last month (final) and this month so far, then publish.

    Safe to re-run: figures are replaced, and publishing rewrites the council's
    published rows from scratch. Returns how many figures were published.
    """
    this_month = month_start(today)
    compute_month(add_months(this_month, -1))
    compute_month(this_month)
    return publish(today)


def sharing_choices() -> dict[str, Sharing]:
    return {
        row.metric_code: Sharing(row.visibility, row.embargo_until)
        for row in db.session.scalars(select(BenchmarkSharing))
    }


def publish(today: date) -> int:
    """Rewrite the current council's published figures from its own figures and sharing choices.

    Disclosure control (``disclosure.release``) is applied period by period, so
    nothing private, embargoed or suppressed is written to the global table.
    Returns how many rows were written.
    """
    council_id = current_council_id()
    sharing = sharing_choices()
    by_period: dict[date, dict[str, Raw]] = defaultdict(dict)
    for code, start, value, numerator, denominator in db.session.execute(
        select(
            BenchmarkFigure.metric_code,
            BenchmarkFigure.period_start,
            BenchmarkFigure.value,
            BenchmarkFigure.numerator,
            BenchmarkFigure.denominator,
        )
    ):
        by_period[start][code] = Raw(value, numerator, denominator)
    rows = []
    for start, raw in by_period.items():
        for code, released in disclosure.release(raw, sharing, today).items():
            rows.append(
                {
                    "publisher_id": council_id,
                    "metric_code": code,
                    "period_start": start,
                    "visibility": released.visibility,
                    "value": released.value,
                    "suppressed": released.suppressed,
                }
            )
    db.session.execute(delete(PublishedFigure).where(PublishedFigure.publisher_id == council_id))
    if rows:
        db.session.execute(insert(PublishedFigure), rows)
    return len(rows)


def set_sharing(choices: dict[str, tuple[Visibility, date | None]], *, today: date, actor_user_id: int | None) -> int:
    """Record who may see each metric (and any embargo), then republish; returns how many figures are published."""
    existing = {row.metric_code: row for row in db.session.scalars(select(BenchmarkSharing))}
    changed = {}
    for code, (visibility, embargo) in choices.items():
        if code not in METRICS:
            continue
        row = existing.get(code)
        if row is None:
            row = BenchmarkSharing(metric_code=code)
            db.session.add(row)
        if row.visibility != visibility or row.embargo_until != embargo:
            changed[code] = {"visibility": visibility.value, "embargo_until": embargo.isoformat() if embargo else None}
        row.visibility, row.embargo_until = visibility, embargo
    db.session.flush()
    if changed:
        record_event("benchmarking.sharing_changed", "benchmark_sharing", payload=changed, actor_user_id=actor_user_id)
    return publish(today)


def import_uploads(rows: Iterable[UploadRow], *, today: date, actor_user_id: int | None) -> tuple[int, int]:
    """Store a checked upload (``uploads.parse_upload`` found no problem), then republish.

    A row for a quarter already uploaded replaces its figure (the officer
    asked for that, or the check would have refused it): each replaced
    figure's old and new value go into the audit log, so a correction is
    never silent. Returns (figures stored, of which replaced).
    """
    rows = list(rows)
    before = _uploaded_values({(row.metric_code, row.period_start) for row in rows})
    by_period: dict[date, dict[str, Figure]] = defaultdict(dict)
    for row in rows:
        by_period[row.period_start][row.metric_code] = Figure(
            value=row.value, numerator=None, denominator=row.denominator
        )
    stored = sum(store_figures(start, figures, FigureSource.UPLOADED) for start, figures in by_period.items())
    corrections = [
        # As text: the audit chain's canonical JSON has no floats (repr is the shortest exact form).
        {
            "metric": row.metric_code,
            "period": row.period_start.isoformat(),
            "was": repr(before[key]),
            "now": repr(row.value),
        }
        for row in rows
        if (key := (row.metric_code, row.period_start)) in before
    ]
    record_event(
        "benchmarking.figures_uploaded",
        "benchmark_figures",
        payload={"figures": stored, "corrected": corrections},
        actor_user_id=actor_user_id,
    )
    publish(today)
    return stored, len(corrections)


def _uploaded_values(keys: set[tuple[str, date]]) -> dict[tuple[str, date], float]:
    """The uploaded figures already stored for these (metric, quarter) pairs."""
    if not keys:
        return {}
    found = db.session.execute(
        select(BenchmarkFigure.metric_code, BenchmarkFigure.period_start, BenchmarkFigure.value).where(
            BenchmarkFigure.source == FigureSource.UPLOADED,
            BenchmarkFigure.metric_code.in_({code for code, _ in keys}),
            BenchmarkFigure.period_start.in_({start for _, start in keys}),
        )
    )
    return {(code, start): value for code, start, value in found if (code, start) in keys}


def uploaded_periods() -> set[tuple[str, date]]:
    """The (metric, quarter) pairs that already have an uploaded figure."""
    return {
        (code, start)
        for code, start in db.session.execute(
            select(BenchmarkFigure.metric_code, BenchmarkFigure.period_start).where(
                BenchmarkFigure.source == FigureSource.UPLOADED
            )
        )
    }


def set_peers(peer_ids: Iterable[int], *, actor_user_id: int | None) -> list[int]:
    """Replace the council's own peer group with ``peer_ids`` (itself left out); returns the ids kept."""
    wanted = sorted({int(i) for i in peer_ids} - {current_council_id()})
    db.session.execute(delete(BenchmarkPeer))
    for peer_id in wanted:
        db.session.add(BenchmarkPeer(peer_council_id=peer_id))
    db.session.flush()
    record_event("benchmarking.peers_set", "benchmark_peers", payload={"peers": wanted}, actor_user_id=actor_user_id)
    return wanted
