"""What the schools module holds about a person, for residents' data rights (export and erasure).

The register of members, meetings and elections are the governance core's
and are handled there. Schools-side, a person appears as a trustee (through
their line of a trust's register) and as the officer or secretary who ticked
a checklist item or entered a values self-review.

Erasure keeps the records and the decisions, and removes the person: their
name on past trustee appointments becomes "Former trustee" and their account
is unlinked from checklist items and self-reviews. A serving trustee's
appointment is kept as it is: a trust must be able to name its trustees, so
the term is ended first.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.governance.models import Member
from app.i18n import in_english
from app.i18n import lazy_gettext as _l
from app.schools.models import ChecklistItem, Trustee, ValuesReview

FORMER_TRUSTEE = _l("Former trustee")


def _trustee_rows(user_id: int) -> list[Trustee]:
    member_ids = select(Member.id).where(Member.user_id == user_id)
    return list(db.session.scalars(select(Trustee).where(Trustee.member_id.in_(member_ids)).order_by(Trustee.id)))


def export_for_user(user_id: int) -> dict:
    """Everything schools-side about the person in the current council, as JSON-ready values."""
    ticked = db.session.scalars(select(ChecklistItem).where(ChecklistItem.done_by_user_id == user_id)).all()
    reviews = db.session.scalars(select(ValuesReview).where(ValuesReview.entered_by_user_id == user_id)).all()
    return {
        "trustee_appointments": [
            {
                "trust_id": t.society_id,
                "name": t.name,
                "resolution_id": t.resolution_id,
                "from": t.from_on.isoformat(),
                "to": t.to_on.isoformat() if t.to_on else None,
            }
            for t in _trustee_rows(user_id)
        ],
        "checklist_items_ticked": [
            {"entry_id": i.entry_id, "title": i.title, "done_on": i.done_on.isoformat() if i.done_on else None}
            for i in ticked
        ],
        "values_reviews_entered": [{"school_id": r.school_id, "year": r.year} for r in reviews],
    }


def erase_for_user(user_id: int) -> None:
    """Remove the person from the schools records (flushes, never commits); serving trustees stay named."""
    for trustee in _trustee_rows(user_id):
        if trustee.to_on is not None:
            trustee.name = in_english(FORMER_TRUSTEE)
            trustee.member_id = None
    for item in db.session.scalars(select(ChecklistItem).where(ChecklistItem.done_by_user_id == user_id)):
        item.done_by_user_id = None
    for review in db.session.scalars(select(ValuesReview).where(ValuesReview.entered_by_user_id == user_id)):
        review.entered_by_user_id = None
    db.session.flush()
