"""The schools module's figures for network benchmarking, for the current council.

``council_figures(start, end)`` gives each measure as ``{"value", "numerator",
"denominator"}``; ``value`` is None when it cannot be computed (no pupils in
any trust school). Stages and membership are read as they stood on ``end``
(the period's last day), so a past period gives the figures it had then.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from app.schools import queries
from app.schools.models import Stage


def council_figures(start: date, end: date) -> dict[str, dict]:
    """Live co-operative schools, schools in the pipeline, and trust members per pupil, on ``end``."""
    counts = queries.stage_counts(end)
    live = counts[Stage.LIVE]
    exploring = counts[Stage.CONSULTATION] + counts[Stage.TRUST_ESTABLISHED]
    members = queries.trust_members_on(end)
    pupils = queries.pupils_in_trusts()
    return {
        "schools_coop_live": {"value": live, "numerator": live, "denominator": None},
        "schools_coop_pipeline": {"value": exploring, "numerator": exploring, "denominator": None},
        "schools_trust_members_per_pupil": {
            "value": float(round(Fraction(members, pupils), 4)) if pupils else None,
            "numerator": members,
            "denominator": pupils,
        },
    }
