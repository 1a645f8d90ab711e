"""The co-operative schools pipeline's rules: the stages in order, each stage's checklist, a school's dates.

Pure: no Flask, no database. The checklist titles are lazy translations so
each school's items are stored in the language the council works in when the
school joins the pipeline.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from app.i18n import _l
from app.schools.models import Stage

ORDER = (Stage.CONSULTATION, Stage.TRUST_ESTABLISHED, Stage.LIVE)

CHECKLISTS = {
    Stage.CONSULTATION: (
        _l("Governing body agrees to consult on becoming a co-operative school"),
        _l("Consultation with parents, staff, learners and the community"),
        _l("Governing body decides to proceed"),
    ),
    Stage.TRUST_ESTABLISHED: (
        _l("Trust's articles agreed with its partners"),
        _l("Trust registered and constituencies set up"),
        _l("First stakeholder forum elected"),
    ),
    Stage.LIVE: (
        _l("Land and staff transferred to the trust"),
        _l("First co-operative values self-review completed"),
    ),
}


class Dated(Protocol):
    stage: Stage
    consultation_on: date
    established_on: date | None
    live_on: date | None


def next_stage(stage: Stage) -> Stage | None:
    """The stage after ``stage``; None after the last."""
    index = ORDER.index(stage)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def stage_began(entry: Dated) -> date:
    """The day the school entered its current stage."""
    if entry.stage is Stage.LIVE and entry.live_on is not None:
        return entry.live_on
    if entry.stage is Stage.TRUST_ESTABLISHED and entry.established_on is not None:
        return entry.established_on
    return entry.consultation_on


def stage_on(entry: Dated, day: date) -> Stage | None:
    """The stage the school was at on ``day`` (None before its consultation began)."""
    if entry.live_on is not None and entry.live_on <= day:
        return Stage.LIVE
    if entry.established_on is not None and entry.established_on <= day:
        return Stage.TRUST_ESTABLISHED
    if entry.consultation_on <= day:
        return Stage.CONSULTATION
    return None
