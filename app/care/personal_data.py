"""A person's care data, for the residents' data rights (download everything, and erasure).

``export_for_user`` gathers, for the current council, everything the care
module holds about one account: their records as a person supported (with
every plan version, the reviews, the comments and the log of who read the
plan), the comments they wrote, and the stories they told.

``erase_for_user`` removes that: the person's records and everything hanging
off them (plans, reviews, comments, read log) are deleted; stories they told
stay but become anonymous; their comments on others' plans are deleted; as a
carer, staff member or named person they are taken off; their survey answers
and the reads they made of others' plans keep their counts but lose the link
to the account. Flushes, never commits.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update

from app.care import queries
from app.care.models import (
    CareNamedPerson,
    CarePerson,
    CarePlanComment,
    CarePlanRead,
    CareStory,
    CareSurveyResponse,
    CareTeamMember,
)
from app.extensions import db


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def _row(obj: Any, *fields: str) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in ("id", *fields)}


def export_for_user(user_id: int) -> dict:
    """Everything the care module holds about ``user_id`` in the current council, as JSON-ready data."""
    records = db.session.scalars(select(CarePerson).where(CarePerson.user_id == user_id)).all()
    people = []
    for person in records:
        people.append(
            {
                **_row(person, "name", "team_id", "carer_user_id", "created_at"),
                "plan_versions": [
                    _row(v, "version", "outcomes", "who_helps", "review_on", "created_at")
                    for v in queries.plan_versions(person.id)
                ],
                "reviews": [_row(r, "reviewed_on", "notes", "created_at") for r in queries.reviews(person.id)],
                "comments": [_row(c, "user_id", "body", "created_at") for c in queries.comments(person.id)],
                "read_log": [_row(r, "user_id", "read_at") for r in queries.reads(person.id)],
            }
        )
    own_comments = db.session.scalars(select(CarePlanComment).where(CarePlanComment.user_id == user_id)).all()
    stories = db.session.scalars(select(CareStory).where(CareStory.user_id == user_id).order_by(CareStory.id)).all()
    answers = db.session.scalars(select(CareSurveyResponse).where(CareSurveyResponse.user_id == user_id)).all()
    return {
        "people_supported": people,
        "comments_written": [_row(c, "person_id", "body", "created_at") for c in own_comments],
        "stories": [
            _row(s, "enterprise_id", "title", "body", "author_name", "status", "reply", "created_at") for s in stories
        ],
        "survey_answers": [_row(a, "service_id", "answered_on", "overall", "control") for a in answers],
    }


def erase_for_user(user_id: int) -> None:
    """Remove or anonymise ``user_id``'s care data in the current council (see the module docstring)."""
    for person in db.session.scalars(select(CarePerson).where(CarePerson.user_id == user_id)).all():
        db.session.delete(person)  # plans, reviews, comments and the read log go with it (ON DELETE CASCADE)
    db.session.flush()
    db.session.execute(delete(CarePlanComment).where(CarePlanComment.user_id == user_id))
    db.session.execute(update(CareStory).where(CareStory.user_id == user_id).values(user_id=None, author_name=""))
    db.session.execute(update(CarePerson).where(CarePerson.carer_user_id == user_id).values(carer_user_id=None))
    db.session.execute(delete(CareTeamMember).where(CareTeamMember.user_id == user_id))
    db.session.execute(delete(CareNamedPerson).where(CareNamedPerson.user_id == user_id))
    db.session.execute(update(CarePlanRead).where(CarePlanRead.user_id == user_id).values(user_id=None))
    db.session.execute(update(CareSurveyResponse).where(CareSurveyResponse.user_id == user_id).values(user_id=None))
    db.session.flush()
