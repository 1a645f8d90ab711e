"""Demo benchmarking figures: two years of monthly figures for every demo council, shared and published.

Deterministic (seeded by the council's slug) and, like the rest of the demo
seed, only created when missing: a council that has any figures is left as it is.
Most metrics are shared with the network, turnout is public, and the care
figures stay private, so the dashboard shows each kind.
"""

from __future__ import annotations

import random
from collections import Counter

from sqlalchemy import select

from app.extensions import db
from app.modules.benchmarking import operations
from app.modules.benchmarking.catalogue import METRICS
from app.modules.benchmarking.disclosure import Visibility
from app.modules.benchmarking.figures import Figure
from app.modules.benchmarking.models import BenchmarkFigure, FigureSource
from app.modules.benchmarking.periods import add_months, month_start, quarter_start
from app.voting import timing

MONTHS = 24
PUBLIC = ("priorities_turnout", "youth_turnout", "residents_verified_per_1000")


def _figure(rng: random.Random, code: str) -> Figure:
    metric = METRICS[code]
    if metric.unit.is_count:
        return Figure(value=float(rng.randint(3, 80)), numerator=None, denominator=None)
    high = min(metric.maximum, 100.0)
    denominator = float(rng.randint(5, 4000))
    return Figure(value=round(rng.uniform(high * 0.2, high * 0.9), 2), numerator=None, denominator=denominator)


def ensure_benchmarks(slug: str, created: Counter[str]) -> None:
    """Figures, sharing choices and the published snapshot for the current council (named ``slug``)."""
    if db.session.scalar(select(BenchmarkFigure.id).limit(1)) is not None:
        return
    rng = random.Random(f"benchmarking:{slug}")
    today = timing.today()
    first = add_months(month_start(today), -MONTHS)
    monthly = [m.code for m in METRICS.values() if m.computed and not m.parts]
    for i in range(MONTHS):
        start = add_months(first, i)
        figures = {code: _figure(rng, code) for code in monthly}
        parts = METRICS["care_members_total"].parts
        figures["care_members_total"] = Figure(
            value=sum(figures[p]["value"] for p in parts), numerator=None, denominator=None
        )
        created["benchmark figures"] += operations.store_figures(start, figures, FigureSource.COMPUTED)
    for q in range(1, 5):
        start = quarter_start(add_months(quarter_start(today), -3 * q))
        figures = {m.code: _figure(rng, m.code) for m in METRICS.values() if not m.computed}
        operations.store_figures(start, figures, FigureSource.UPLOADED)
    choices = {
        code: (
            Visibility.PUBLIC
            if code in PUBLIC
            else Visibility.PRIVATE
            if METRICS[code].module == "care"
            else Visibility.NETWORK,
            None,
        )
        for code in METRICS
    }
    operations.set_sharing(choices, today=today, actor_user_id=None)
