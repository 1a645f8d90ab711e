"""Every change to a care enterprise's records. Flush, never commit: the view commits.

Changes to governance and personal data are audited (``care.*`` entries of
the council's audit chain). A support plan is never edited in place: each
change is a new :class:`~app.care.models.CarePlanVersion`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from app.audit.operations import record_event
from app.auth.models import User
from app.care import queries
from app.care.models import (
    CareEnterprise,
    CareNamedPerson,
    CarePerson,
    CarePlanComment,
    CarePlanRead,
    CarePlanReview,
    CarePlanVersion,
    CareService,
    CareStory,
    CareSurveyResponse,
    CareTeam,
    CareTeamMember,
    EnterpriseModel,
    NamedRole,
    ServiceKind,
    StoryStatus,
)
from app.care.screen import screen
from app.care.survey import CONTROL, OVERALL
from app.extensions import db
from app.governance import operations as governance
from app.governance.models import SocietyKind
from app.governance.operations import GovernanceError
from app.i18n import lazy_gettext as _l
from app.voting import timing


class CareError(GovernanceError):
    """A refused change: the message, the form field it is about, and the HTTP status (422).

    When a form's values were checked together, ``errors`` holds the message of
    every field found wrong, in the order they were checked (``message`` and
    ``field`` are the first of them).
    """

    def __init__(self, message: Any, field: str | None = None, *, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message, field)
        self.errors = dict(errors) if errors else ({field: message} if field else {})


__all__ = ["CareError", "Checks", "ConflictError", "GovernanceError", "field_errors"]


class ConflictError(CareError):
    """The record is not in a state that allows this (a held story cannot be published): 409."""

    status = 409


def field_errors(exc: GovernanceError, default: str) -> dict[str, Any]:
    """Every field's message from a refusal, by field; a refusal naming no field goes on ``default``."""
    errors = getattr(exc, "errors", None)
    return dict(errors) if errors else {exc.field or default: exc.message}


class Checks:
    """The problems found with one form's values, one message per field, so the form shows them all at once.

    A view adds what it finds itself (a team not in the list, an email address
    with no account here) and hands the checks to the operation, which adds its
    own and refuses them together, before writing anything.
    """

    def __init__(self) -> None:
        self.errors: dict[str, Any] = {}

    def add(self, field: str, message: Any) -> None:
        """Note a problem with ``field`` (its first problem is the one shown)."""
        self.errors.setdefault(field, message)

    def text(self, value: Any, field: str, *, required: Any = None, limit: int) -> str:
        """``value`` stripped, noting a problem when it is blank but ``required`` (its message) or too long."""
        text = value.strip() if isinstance(value, str) else ""
        if required is not None and not text:
            self.add(field, required)
        elif len(text) > limit:
            self.add(field, _l("Use %(limit)s characters or fewer", limit=limit))
        return text

    def choice(self, kind: type[Any], value: Any, field: str, message: Any) -> Any:
        """``value`` as a member of the enum ``kind``, or None (noting ``message``) when it is not one."""
        try:
            return kind(value)
        except ValueError:
            self.add(field, message)
            return None

    def refuse_any(self) -> None:
        """Raise :class:`CareError` with every problem noted, if there is one."""
        if self.errors:
            field, message = next(iter(self.errors.items()))
            raise CareError(message, field, errors=self.errors)


# The member classes every enterprise is created with (multi-stakeholder rules; a staff mutual has them too,
# with people who use services and carers as non-controlling members).
CLASS_NAMES = {
    "staff": (_l("Staff"), _l("People who work for the enterprise")),
    "people": (_l("People who use our services"), _l("People the enterprise supports")),
    "carers": (_l("Carers"), _l("Family members and friends who care for someone the enterprise supports")),
}

ONE_SURVEY_PER = timedelta(days=365)


def _uid(by: User | int | None) -> int | None:
    return by.id if isinstance(by, User) else by


def _event(action: str, subject_type: str, subject_id: int, by: User | int | None, **payload: Any) -> None:
    record_event(f"care.{action}", subject_type, subject_id, payload=payload, actor_user_id=_uid(by))


def _text(value: Any, field: str, *, required: Any = None, limit: int) -> str:
    """One text field on its own: stripped, or refused at once (blank when ``required``, or too long)."""
    checks = Checks()
    text = checks.text(value, field, required=required, limit=limit)
    checks.refuse_any()
    return text


def _exists(checks: Checks, found: Any, field: str, message: Any) -> None:
    """Note ``message`` on ``field`` when the row a form chose was not found (the view passes None)."""
    if found is None:
        checks.add(field, message)


# --- enterprises, services, teams -----------------------------------------------------------------


def create_enterprise(*, name: str, model: EnterpriseModel | str, by: User | int | None) -> CareEnterprise:
    """A care enterprise: a society of kind ``care_enterprise`` with classes for staff, people supported and carers.

    Board seats per class are set on the society's elections (the governance
    core's STV elections, seats per constituency). The name and the model are
    checked together; nothing is written when either is wrong.
    """
    checks = Checks()
    try:
        governance.check_society_name(name)
    except GovernanceError as exc:
        checks.add("name", exc.message)
    model = checks.choice(EnterpriseModel, model, "model", _l("Choose how the enterprise is owned"))
    checks.refuse_any()
    society = governance.create_society(name=name, kind=SocietyKind.CARE_ENTERPRISE, by_user=by)
    classes = {
        key: governance.add_member_class(society, name=str(title), description=str(about), by_user=by)
        for key, (title, about) in CLASS_NAMES.items()
    }
    enterprise = CareEnterprise(
        society_id=society.id,
        model=model,
        staff_class_id=classes["staff"].id,
        people_class_id=classes["people"].id,
        carers_class_id=classes["carers"].id,
    )
    db.session.add(enterprise)
    db.session.flush()
    _event("enterprise_created", "care_enterprise", enterprise.id, by, society_id=society.id, model=model.value)
    return enterprise


def name_person(
    enterprise: CareEnterprise,
    user: User | None,
    role: NamedRole | str,
    *,
    by: User | int | None,
    checks: Checks | None = None,
):
    """Name someone with an account in the council as the enterprise's plan officer or moderator."""
    checks = checks or Checks()
    _exists(checks, user, "email", _l("Enter the email address of someone with an account in this council"))
    role = checks.choice(NamedRole, role, "role", _l("Choose what the person is named for"))
    checks.refuse_any()
    if queries.has_named_role(enterprise.id, user.id, role):
        raise ConflictError(_l("%(name)s is already named for this", name=user.name), "email")
    named = CareNamedPerson(enterprise_id=enterprise.id, user_id=user.id, role=role)
    db.session.add(named)
    db.session.flush()
    _event("person_named", "care_enterprise", enterprise.id, by, user_id=user.id, role=role.value)
    return named


def add_service(
    enterprise: CareEnterprise,
    *,
    name: str,
    kind: ServiceKind | str,
    by: User | int | None,
    checks: Checks | None = None,
):
    """Add a service (home care, day services, supported living, short breaks) to an enterprise."""
    checks = checks or Checks()
    text = checks.text(name, "name", required=_l("Enter the service's name"), limit=200)
    if text and any(s.name.lower() == text.lower() for s in queries.services(enterprise.id)):
        checks.add("name", _l("The enterprise already has a service called %(name)s", name=text))
    kind = checks.choice(ServiceKind, kind, "kind", _l("Choose what kind of service this is"))
    checks.refuse_any()
    service = CareService(enterprise_id=enterprise.id, name=text, kind=kind)
    db.session.add(service)
    db.session.flush()
    _event("service_added", "care_service", service.id, by, enterprise_id=enterprise.id, kind=kind.value)
    return service


def add_team(
    service: CareService | None, *, name: str, by: User | int | None, checks: Checks | None = None
) -> CareTeam:
    """Add a self-managing staff team to a service (``None`` when the form chose no service of the enterprise)."""
    checks = checks or Checks()
    _exists(checks, service, "service_id", _l("Choose a service from the list"))
    text = checks.text(name, "team_name", required=_l("Enter the team's name"), limit=200)
    if service is not None and text:
        clash = select(CareTeam.id).where(CareTeam.service_id == service.id, func.lower(CareTeam.name) == text.lower())
        if db.session.scalar(clash) is not None:
            checks.add("team_name", _l("The service already has a team called %(name)s", name=text))
    checks.refuse_any()
    team = CareTeam(service_id=service.id, name=text)
    db.session.add(team)
    db.session.flush()
    _event("team_added", "care_team", team.id, by, service_id=service.id)
    return team


def add_team_member(
    team: CareTeam | None, user: User | None, *, by: User | int | None, checks: Checks | None = None
) -> CareTeamMember:
    """Add a member of staff (an account in the council) to a team (``None`` when the form chose no team)."""
    checks = checks or Checks()
    _exists(checks, team, "team_id", _l("Choose a team from the list"))
    _exists(checks, user, "email", _l("Enter the email address of someone with an account in this council"))
    checks.refuse_any()
    if any(m.user_id == user.id for m in queries.team_members(team.id)):
        raise ConflictError(_l("%(name)s is already in this team", name=user.name), "email")
    member = CareTeamMember(team_id=team.id, user_id=user.id)
    db.session.add(member)
    db.session.flush()
    _event("staff_added", "care_team", team.id, by, user_id=user.id)
    return member


# --- people supported and their plans -------------------------------------------------------------


def add_person(
    team: CareTeam | None,
    *,
    name: str,
    user: User | None = None,
    carer: User | None = None,
    by: User | int | None,
    checks: Checks | None = None,
) -> CarePerson:
    """A record for a person the team supports, linked to their account and their chosen carer's where given.

    ``team`` is ``None`` when the form chose no team of the enterprise; the
    view notes an email address with no account here in ``checks``.
    """
    checks = checks or Checks()
    text = checks.text(name, "name", required=_l("Enter the person's name"), limit=200)
    _exists(checks, team, "team_id", _l("Choose a team from the list"))
    if carer is not None and user is not None and carer.id == user.id:
        checks.add("carer_email", _l("A person cannot be their own carer"))
    checks.refuse_any()
    person = CarePerson(
        team_id=team.id, name=text, user_id=None if user is None else user.id, carer_user_id=carer and carer.id
    )
    db.session.add(person)
    db.session.flush()
    _event("person_added", "care_person", person.id, by, team_id=team.id)
    return person


def record_read(person: CarePerson, *, by: User | int) -> CarePlanRead:
    """Log that someone allowed to read the plan opened it (the person sees the log)."""
    read = CarePlanRead(person_id=person.id, user_id=_uid(by), read_at=timing.now())
    db.session.add(read)
    db.session.flush()
    return read


def record_refused_read(person_id: int, *, by: User | int | None) -> None:
    """Audit an attempt to read a plan by someone who may not (they are shown a 404)."""
    _event("plan_read_refused", "care_person", person_id, by)


def update_plan(
    person: CarePerson,
    *,
    outcomes: str,
    who_helps: str,
    review_on: date | None,
    by: User | int | None,
    checks: Checks | None = None,
) -> CarePlanVersion:
    """Write the next version of a person's support plan (earlier versions stay, unchanged).

    ``review_on`` is ``None`` when no date was given (the view notes an
    unreadable one in ``checks``).
    """
    checks = checks or Checks()
    outcomes = checks.text(
        outcomes, "outcomes", required=_l("Enter the outcomes the person wants, in their own words"), limit=10000
    )
    who_helps = checks.text(who_helps, "who_helps", limit=5000)
    if review_on is None:
        checks.add("review_on", _l("Enter the date the plan will be reviewed"))
    checks.refuse_any()
    current = queries.current_plan(person.id)
    version = CarePlanVersion(
        person_id=person.id,
        version=1 if current is None else current.version + 1,
        outcomes=outcomes,
        who_helps=who_helps,
        review_on=review_on,
        written_by_user_id=_uid(by),
    )
    db.session.add(version)
    db.session.flush()
    _event("plan_updated", "care_person", person.id, by, version=version.version)
    return version


def record_review(
    person: CarePerson,
    *,
    reviewed_on: date | None,
    notes: str,
    by: User | int | None,
    checks: Checks | None = None,
):
    """Record a review of the person's plan (what was agreed, on which day)."""
    checks = checks or Checks()
    if reviewed_on is None:
        checks.add("reviewed_on", _l("Enter the date of the review"))
    elif reviewed_on > timing.today():
        checks.add("reviewed_on", _l("The date of the review must be today or in the past"))
    notes = checks.text(notes, "notes", required=_l("Enter what the review agreed"), limit=5000)
    checks.refuse_any()
    review = CarePlanReview(person_id=person.id, reviewed_on=reviewed_on, notes=notes, recorded_by_user_id=_uid(by))
    db.session.add(review)
    db.session.flush()
    _event("plan_reviewed", "care_person", person.id, by, review_id=review.id)
    return review


def add_comment(person: CarePerson, *, body: str, by: User | int) -> CarePlanComment:
    """A comment on the plan by the person or their chosen carer."""
    text = _text(body, "body", required=_l("Enter your comment"), limit=5000)
    comment = CarePlanComment(person_id=person.id, user_id=_uid(by), body=text)
    db.session.add(comment)
    db.session.flush()
    _event("plan_commented", "care_person", person.id, by, comment_id=comment.id)
    return comment


# --- feedback stories -----------------------------------------------------------------------------


def submit_story(
    enterprise: CareEnterprise,
    *,
    title: str,
    body: str,
    author_name: str = "",
    service_id: int | None = None,
    by: User | int | None = None,
) -> CareStory:
    """Take a story from anyone (anonymous when ``author_name`` is blank).

    The automatic screen holds a story naming an email address, phone number,
    postcode or NHS number: it is never published while held.
    """
    checks = Checks()
    title = checks.text(title, "title", required=_l("Enter a title for your story"), limit=200)
    body = checks.text(body, "body", required=_l("Tell us your story"), limit=10000)
    if service_id is not None and service_id not in {s.id for s in queries.services(enterprise.id)}:
        checks.add("service_id", _l("Choose a service from the list"))
    author_name = checks.text(author_name, "author_name", limit=200)
    checks.refuse_any()
    flags = screen(f"{title}\n{body}\n{author_name}")
    story = CareStory(
        enterprise_id=enterprise.id,
        service_id=service_id,
        title=title,
        body=body,
        author_name=author_name,
        user_id=_uid(by),
        status=StoryStatus.HELD if flags else StoryStatus.PENDING,
        screen_flags=flags,
    )
    db.session.add(story)
    db.session.flush()
    return story


def publish_story(story: CareStory, *, by: User | int | None) -> CareStory:
    """Publish a story the moderator checked against the policy. A held story cannot be published."""
    if story.status is StoryStatus.HELD:
        raise ConflictError(_l("This story is held because it contains personal data, so it cannot be published."))
    if story.status is not StoryStatus.PENDING:
        raise ConflictError(_l("Only a story waiting for moderation can be published."))
    story.status = StoryStatus.PUBLISHED
    story.published_at = timing.now()
    db.session.flush()
    _event("story_published", "care_story", story.id, by)
    return story


def hold_story(story: CareStory, *, note: str, by: User | int | None) -> CareStory:
    """The moderator found personal data the screen missed: hold the story (taken down if it was published)."""
    note = _text(note, "note", required=_l("Say what personal data the story contains"), limit=2000)
    story.status = StoryStatus.HELD
    story.flagged_by_moderator = True
    story.moderator_note = note
    story.published_at = None
    db.session.flush()
    _event("story_held", "care_story", story.id, by)
    return story


def reject_story(story: CareStory, *, note: str, by: User | int | None) -> CareStory:
    """Reject a story that breaks the moderation policy in another way."""
    note = _text(note, "note", required=_l("Say which part of the policy the story breaks"), limit=2000)
    story.status = StoryStatus.REJECTED
    story.moderator_note = note
    story.published_at = None
    db.session.flush()
    _event("story_rejected", "care_story", story.id, by)
    return story


def redact_story(story: CareStory, *, body: str, by: User | int | None) -> CareStory:
    """Replace a held story's text with the personal data taken out; screened again, it waits for moderation."""
    if story.status is not StoryStatus.HELD:
        raise ConflictError(_l("Only a held story can be redacted."))
    body = _text(body, "body", required=_l("Enter the story with the personal data taken out"), limit=10000)
    flags = screen(f"{story.title}\n{body}\n{story.author_name}")
    if flags:
        raise CareError(_l("The story still contains personal data. Take it out and try again."), "body")
    story.body = body
    story.screen_flags = []
    story.flagged_by_moderator = False
    story.status = StoryStatus.PENDING
    db.session.flush()
    _event("story_redacted", "care_story", story.id, by)
    return story


def reply_to_story(story: CareStory, *, reply: str, by: User | int | None) -> CareStory:
    """The enterprise's public reply to a published story."""
    if story.status is not StoryStatus.PUBLISHED:
        raise ConflictError(_l("Only a published story can be answered."))
    story.reply = _text(reply, "reply", required=_l("Enter the enterprise's reply"), limit=5000)
    story.replied_at = timing.now()
    db.session.flush()
    _event("story_answered", "care_story", story.id, by)
    return story


# --- satisfaction survey --------------------------------------------------------------------------


def answer_survey(service: CareService | None, *, overall: Any, control: Any, by: User) -> CareSurveyResponse:
    """Store a person's answers about a service (once a year per service).

    ``service`` is ``None`` when the person chose none of their services; every
    question's problem is refused at once.
    """
    checks = Checks()
    _exists(checks, service, "service_id", _l("Choose the service you are answering about"))
    if overall not in OVERALL:
        checks.add("overall", _l("Choose how satisfied you are with your care and support"))
    if control not in CONTROL:
        checks.add("control", _l("Choose how much control you have over your daily life"))
    checks.refuse_any()
    today = timing.today()
    if queries.answered_since(service.id, by.id, today - ONE_SURVEY_PER):
        raise ConflictError(_l("You have already answered the survey about this service this year. Thank you."))
    response = CareSurveyResponse(
        service_id=service.id, user_id=by.id, answered_on=today, overall=overall, control=control
    )
    db.session.add(response)
    db.session.flush()
    return response
