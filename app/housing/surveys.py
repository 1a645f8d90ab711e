"""Running the tenant perception survey (TSM questions, :mod:`app.housing.survey`). Flush, never commit.

A co-op surveys the tenants of the estates it manages; the council surveys
the tenants of the estates it still manages (a survey with no society). A
survey is drafted, opened (tenants see it on their housing page) and closed;
each tenant answers once, and their estate is recorded with the answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.auth.models import User
from app.extensions import db
from app.housing import queries
from app.housing.models import HousingSurvey, HousingSurveyResponse, SurveyStatus
from app.housing.operations import ConflictError, HousingError, _event
from app.housing.survey import SurveyAnswerError, check_answers
from app.i18n import gettext as _
from app.voting import timing


def create_survey(*, society_id: int | None, title: str, by: User | int | None) -> HousingSurvey:
    """A draft survey for a co-op's tenants (or, with no society, the council's own tenants)."""
    title = (title or "").strip()
    if not title:
        raise HousingError(_("Enter a title for the survey"), "title")
    if len(title) > 200:
        raise HousingError(_("The title must be 200 characters or fewer"), "title")
    survey = HousingSurvey(society_id=society_id, title=title, status=SurveyStatus.DRAFT)
    db.session.add(survey)
    db.session.flush()
    return survey


def open_survey(survey: HousingSurvey, *, by: User | int | None) -> HousingSurvey:
    if survey.status is not SurveyStatus.DRAFT:
        raise ConflictError(_("Only a draft survey can open."))
    survey.status = SurveyStatus.OPEN
    survey.opened_at = timing.now()
    db.session.flush()
    _event("survey_opened", "housing_survey", survey.id, by)
    return survey


def close_survey(survey: HousingSurvey, *, by: User | int | None) -> HousingSurvey:
    if survey.status is not SurveyStatus.OPEN:
        raise ConflictError(_("Only an open survey can close."))
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timing.now()
    db.session.flush()
    _event("survey_closed", "housing_survey", survey.id, by, responses=len(queries.responses(survey.id)))
    return survey


def estate_for_survey(survey: HousingSurvey, user: User) -> int | None:
    """The estate of the person's home that the survey covers today, or None when it does not cover them."""
    for mine in queries.homes_of(user.id, timing.today()):
        if mine.estate.society_id == survey.society_id:
            return mine.estate.id
    return None


def answer_survey(survey: HousingSurvey, *, answers: Mapping[str, Any], by: User) -> HousingSurveyResponse:
    """Store a tenant's answers (every question answered, once per tenant)."""
    if survey.status is not SurveyStatus.OPEN:
        raise ConflictError(_("This survey is not taking answers."))
    estate_id = estate_for_survey(survey, by)
    if estate_id is None:
        raise ConflictError(_("This survey is for tenants of other homes."))
    if queries.response_of(survey.id, by.id) is not None:
        raise ConflictError(_("You have already answered this survey. Thank you."))
    try:
        checked = check_answers(answers)
    except SurveyAnswerError as exc:
        raise HousingError(exc.message, exc.field) from None
    response = HousingSurveyResponse(survey_id=survey.id, estate_id=estate_id, user_id=by.id, answers=checked)
    db.session.add(response)
    db.session.flush()
    return response
