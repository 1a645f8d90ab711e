"""The current council's care figures for network benchmarking.

``council_figures(start, end)`` gives, for the council in context:

* ``care_satisfaction``: the share of survey responses answered between
  ``start`` and ``end`` (inclusive) that are extremely or very satisfied with
  care and support (Adult Social Care Survey Q1; ASCOF 3A);
* ``care_members_staff``, ``care_members_people_supported``,
  ``care_members_carers``: members of each class across the council's care
  enterprises on ``end``, with the number of enterprises as the denominator.

``value`` is None when the figure cannot be computed (no responses, no
enterprises).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from app.care import queries, survey
from app.governance import queries as governance_queries


def _figure(value: float | None, numerator: int, denominator: int) -> dict:
    return {"value": value, "numerator": numerator, "denominator": denominator}


def council_figures(start: date, end: date) -> dict[str, dict]:
    """Satisfaction and membership per class for the current council (see the module docstring)."""
    rows = queries.enterprises()
    service_ids = [s.id for row in rows for s in queries.services(row.enterprise.id)]
    answers = queries.responses(service_ids, start, end) if service_ids else []
    share = survey.satisfaction(answers)
    percent = None if share.whole == 0 else round(float(Fraction(100 * share.part, share.whole)), 1)
    figures = {"care_satisfaction": _figure(percent, share.part, share.whole)}
    for key, attribute in (
        ("care_members_staff", "staff_class_id"),
        ("care_members_people_supported", "people_class_id"),
        ("care_members_carers", "carers_class_id"),
    ):
        total = sum(
            governance_queries.count_members_on(row.society.id, end, [getattr(row.enterprise, attribute)])
            for row in rows
        )
        figures[key] = _figure(total if rows else None, total, len(rows))
    return figures
