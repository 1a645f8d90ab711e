"""Housing figures for the benchmarking dashboard (``app.modules.benchmarking.providers``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.housing.models import HousingSurvey
from app.housing.queries import median_days_to_complete, repairs_within_target, tsm_overall_satisfaction
from app.modules.benchmarking.figures import Figure, collect, day_start, rate


def council_figures(start: date, end: date) -> dict[str, Figure]:
    """Repairs within target and median days (repairs completed in [start, end)), TP01 (surveys closed then)."""
    since, until = day_start(start), day_start(end)
    repairs = repairs_within_target(since, until)
    median = median_days_to_complete(since, until)
    surveys = db.session.scalars(
        select(HousingSurvey.id).where(HousingSurvey.closed_at >= since, HousingSurvey.closed_at < until)
    ).all()
    shares = [tsm_overall_satisfaction(survey_id) for survey_id in surveys]
    satisfied, answered = sum(s.part for s in shares), sum(s.whole for s in shares)
    return collect(
        housing_repairs_within_target=rate(repairs.part, repairs.whole),
        housing_median_days_to_repair=(
            None if median is None else Figure(value=median, numerator=None, denominator=repairs.whole)
        ),
        housing_tsm_overall_satisfaction=rate(satisfied, answered),
    )
