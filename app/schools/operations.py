"""Every change the schools pages make: trusts, partners, schools, the pipeline, pairings, self-reviews, trustees.

Each operation checks its input and raises :class:`SchoolsError` (the
message, the form field, the HTTP status) before writing anything; it
flushes and never commits (the view commits). Officer actions are recorded in
the council's audit chain. Membership, meetings and elections are the
governance core's operations: this module calls them, it does not copy them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.audit.operations import record_event
from app.auth.models import User
from app.extensions import db
from app.governance import operations as governance
from app.governance.meetings.models import Meeting, MeetingBody, Resolution
from app.governance.models import Member, Society, SocietyKind
from app.i18n import _l, ngettext
from app.schools import pipeline as stages
from app.schools.models import (
    VALUES,
    ChecklistItem,
    Judgement,
    LegalModel,
    OfstedJudgement,
    Pairing,
    PairingKind,
    PairingReview,
    PartnerKind,
    Phase,
    PipelineEntry,
    Progress,
    School,
    SchoolsTarget,
    SchoolTrust,
    Stage,
    Term,
    Trustee,
    TrustPartner,
    ValuesReview,
)
from app.voting import timing

# The trust's constituencies, created with it: (name, minimum age without a guardian's consent).
CONSTITUENCIES = (
    (_l("Parents and carers"), None),
    (_l("Staff"), None),
    (_l("Learners"), 18),
    (_l("Local community"), None),
    (_l("Partner organisations"), None),
)


class SchoolsError(governance.GovernanceError):
    """A refused change: the message to show, the form field it is about, the HTTP status (422 unless set)."""

    def __init__(self, message: Any, field: str | None = None, status: int = 422) -> None:
        super().__init__(message, field)
        self.status = status


def _user_id(by: User | int | None) -> int | None:
    return by.id if isinstance(by, User) else by


def _event(action: str, subject_type: str, subject_id: int, by: User | int | None, **payload: Any) -> None:
    record_event(f"schools.{action}", subject_type, subject_id, payload=payload, actor_user_id=_user_id(by))


def _text(value: Any, field: str, *, required: Any = None, limit: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required is not None and not text:
        raise SchoolsError(required, field)
    if len(text) > limit:
        raise SchoolsError(_l("Use %(limit)s characters or fewer", limit=limit), field)
    return text


def _choice(enum_cls: type, value: Any, field: str, message: Any) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        raise SchoolsError(message, field) from None


def _day(value: Any, field: str, *, not_future: bool = True) -> date:
    if not isinstance(value, date):
        raise SchoolsError(_l("Enter a real date, like 27 3 2027"), field)
    if not_future and value > timing.today():
        raise SchoolsError(_l("The date cannot be in the future"), field)
    return value


def _year(value: Any, field: str = "year") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2200:
        raise SchoolsError(_l("Enter a year between 2000 and 2200, like 2026"), field)
    return value


# --- trusts ---------------------------------------------------------------------------------------


def create_trust(*, name: str, legal_model: LegalModel | str, description: str, by: User | int | None) -> Society:
    """A school trust: a governance society of kind ``school_trust``, its five constituencies and its legal model.

    The learners' constituency has a minimum age of 18: younger learners
    join with a parent's or carer's consent recorded on the register (the
    governance core's electorate refuses their vote until it is).
    """
    model = _choice(LegalModel, legal_model, "legal_model", _l("Choose the trust's legal model"))
    society = governance.create_society(
        name=name, kind=SocietyKind.SCHOOL_TRUST, by_user=by, description=_text(description, "description", limit=2000)
    )
    for label, min_age in CONSTITUENCIES:
        governance.add_member_class(society, name=str(label), min_age=min_age, by_user=by)
    db.session.add(SchoolTrust(society_id=society.id, legal_model=model))
    db.session.flush()
    _event("trust_created", "gov_society", society.id, by, legal_model=model.value)
    return society


def set_legal_model(society: Society, legal_model: LegalModel | str, *, by: User | int | None) -> SchoolTrust:
    """Record (or change) a trust's legal model; adds the schools-side row to a trust created elsewhere."""
    model = _choice(LegalModel, legal_model, "legal_model", _l("Choose the trust's legal model"))
    detail = db.session.scalar(select(SchoolTrust).where(SchoolTrust.society_id == society.id))
    if detail is None:
        detail = SchoolTrust(society_id=society.id, legal_model=model)
        db.session.add(detail)
    detail.legal_model = model
    db.session.flush()
    _event("legal_model_set", "gov_society", society.id, by, legal_model=model.value)
    return detail


def add_partner(society: Society, *, name: str, kind: PartnerKind | str, by: User | int | None) -> TrustPartner:
    """Add an external partner (a college, a business, the NHS trust…) to a trust; names are unique per trust."""
    name = _text(name, "name", required=_l("Enter the partner's name"), limit=200)
    kind = _choice(PartnerKind, kind, "kind", _l("Choose what kind of partner this is"))
    clash = select(TrustPartner.id).where(
        TrustPartner.society_id == society.id, func.lower(TrustPartner.name) == name.lower()
    )
    if db.session.scalar(clash) is not None:
        raise SchoolsError(_l("%(name)s is already a partner of this trust", name=name), "name", 409)
    partner = TrustPartner(society_id=society.id, name=name, kind=kind)
    db.session.add(partner)
    db.session.flush()
    _event("partner_added", "schools_trust_partner", partner.id, by, society_id=society.id, kind=kind.value)
    return partner


# --- schools --------------------------------------------------------------------------------------


def save_school(
    school: School | None,
    *,
    name: str,
    urn: str,
    phase: Phase | str,
    pupils: int | None,
    society_id: int | None,
    by: User | int | None,
) -> School:
    """Add a school (``school`` None) or change one: its URN is six digits, unique in the council.

    ``society_id`` is the trust the school belongs to (None: no trust); it must
    be one of the council's school trusts.
    """
    name = _text(name, "name", required=_l("Enter the school's name"), limit=200)
    urn = _text(urn, "urn", required=_l("Enter the school's URN"), limit=20)
    if len(urn) != 6 or not urn.isdigit():
        raise SchoolsError(_l("Enter the URN as 6 digits, like 105123"), "urn")
    clash = select(School.id).where(School.urn == urn)
    if school is not None:
        clash = clash.where(School.id != school.id)
    if db.session.scalar(clash) is not None:
        raise SchoolsError(_l("Another school already has the URN %(urn)s", urn=urn), "urn", 409)
    phase = _choice(Phase, phase, "phase", _l("Choose the school's phase"))
    if isinstance(pupils, bool) or not isinstance(pupils, int) or not 0 <= pupils <= 10000:
        raise SchoolsError(_l("Enter the number of pupils as a whole number from 0 to 10,000"), "pupils")
    if society_id is not None:
        trust = db.session.scalar(select(Society).where(Society.id == society_id))
        if trust is None or trust.kind is not SocietyKind.SCHOOL_TRUST:
            raise SchoolsError(_l("Choose a trust from the list"), "society_id")
    created = school is None
    if school is None:
        school = School()
        db.session.add(school)
    school.name, school.urn, school.phase, school.pupils, school.society_id = name, urn, phase, pupils, society_id
    db.session.flush()
    _event("school_added" if created else "school_changed", "schools_school", school.id, by, urn=urn)
    return school


def record_judgement(
    school: School, *, inspected_on: Any, judgement: Judgement | str, by: User | int | None
) -> OfstedJudgement:
    """Record an Ofsted inspection's overall judgement (one per school and inspection day)."""
    inspected_on = _day(inspected_on, "inspected_on")
    judgement = _choice(Judgement, judgement, "judgement", _l("Choose the Ofsted judgement"))
    clash = select(OfstedJudgement.id).where(
        OfstedJudgement.school_id == school.id, OfstedJudgement.inspected_on == inspected_on
    )
    if db.session.scalar(clash) is not None:
        raise SchoolsError(_l("There is already a judgement for an inspection on that day"), "inspected_on", 409)
    row = OfstedJudgement(school_id=school.id, inspected_on=inspected_on, judgement=judgement)
    db.session.add(row)
    db.session.flush()
    _event("judgement_recorded", "schools_school", school.id, by, judgement=judgement.value)
    return row


# --- the pipeline ---------------------------------------------------------------------------------


def join_pipeline(school: School, *, started_on: Any, by: User | int | None) -> PipelineEntry:
    """Start a school's consultation on becoming a co-operative school, with every stage's checklist."""
    started_on = _day(started_on, "started_on")
    if db.session.scalar(select(PipelineEntry.id).where(PipelineEntry.school_id == school.id)) is not None:
        raise SchoolsError(_l("This school is already in the pipeline"), None, 409)
    entry = PipelineEntry(school_id=school.id, stage=Stage.CONSULTATION, consultation_on=started_on)
    db.session.add(entry)
    db.session.flush()
    for stage in Stage:
        for position, title in enumerate(stages.CHECKLISTS[stage], start=1):
            db.session.add(ChecklistItem(entry_id=entry.id, stage=stage, position=position, title=str(title)))
    db.session.flush()
    _event("pipeline_joined", "schools_school", school.id, by, started_on=started_on.isoformat())
    return entry


def tick_item(item: ChecklistItem, *, done_on: Any, by: User | int | None) -> ChecklistItem:
    """Mark a checklist item done on ``done_on`` by the signed-in person (409 if it already is)."""
    done_on = _day(done_on, "done_on")
    if item.done_on is not None:
        raise SchoolsError(_l("This item is already done"), None, 409)
    item.done_on = done_on
    item.done_by_user_id = _user_id(by)
    db.session.flush()
    _event("checklist_ticked", "schools_checklist_item", item.id, by, stage=item.stage.value)
    return item


def advance(entry: PipelineEntry, *, on: Any, by: User | int | None) -> PipelineEntry:
    """Move a school to the next stage on ``on`` once every item of its current stage is done.

    Refused (409) at the last stage or with items still open (the message
    names how many); (422) for a date before the current stage began.
    """
    on = _day(on, "on")
    following = stages.next_stage(entry.stage)
    if following is None:
        raise SchoolsError(_l("This school is already a live co-operative school"), None, 409)
    items = db.session.scalars(
        select(ChecklistItem).where(ChecklistItem.entry_id == entry.id, ChecklistItem.stage == entry.stage)
    ).all()
    open_items = [i for i in items if i.done_on is None]
    if open_items:
        raise SchoolsError(
            ngettext(
                "Finish the checklist first: %(num)d item of this stage is not done",
                "Finish the checklist first: %(num)d items of this stage are not done",
                len(open_items),
            ),
            None,
            409,
        )
    if on < stages.stage_began(entry):
        raise SchoolsError(_l("The date cannot be before the current stage began"), "on")
    entry.stage = following
    if following is Stage.TRUST_ESTABLISHED:
        entry.established_on = on
    else:
        entry.live_on = on
    db.session.flush()
    _event("stage_advanced", "schools_pipeline_entry", entry.id, by, stage=following.value, on=on.isoformat())
    return entry


def set_target(target: Any, *, by: User | int | None) -> SchoolsTarget:
    """Set the council's target number of co-operative schools (0 to 10,000)."""
    if isinstance(target, bool) or not isinstance(target, int) or not 0 <= target <= 10000:
        raise SchoolsError(_l("Enter the target as a whole number from 0 to 10,000"), "target")
    row = db.session.scalar(select(SchoolsTarget))
    if row is None:
        row = SchoolsTarget(target=target)
        db.session.add(row)
    row.target = target
    db.session.flush()
    _event("target_set", "schools_target", row.id, by, target=target)
    return row


# --- school-to-school support ---------------------------------------------------------------------


def create_pairing(
    *,
    supporting: School | None,
    supported: School | None,
    kind: PairingKind | str,
    goals: str,
    started_on: Any,
    by: User | int | None,
) -> Pairing:
    """Pair a supporting school with a supported one (a federation or a partnership) with goals."""
    if supporting is None:
        raise SchoolsError(_l("Choose the supporting school"), "supporting_id")
    if supported is None:
        raise SchoolsError(_l("Choose the school being supported"), "supported_id")
    if supporting.id == supported.id:
        raise SchoolsError(_l("Choose two different schools"), "supported_id")
    kind = _choice(PairingKind, kind, "kind", _l("Choose a federation or a partnership"))
    goals = _text(goals, "goals", required=_l("Enter the pairing's goals"), limit=4000)
    started_on = _day(started_on, "started_on")
    clash = select(Pairing.id).where(Pairing.supporting_id == supporting.id, Pairing.supported_id == supported.id)
    if db.session.scalar(clash) is not None:
        raise SchoolsError(_l("These two schools are already paired"), "supported_id", 409)
    pairing = Pairing(
        supporting_id=supporting.id, supported_id=supported.id, kind=kind, goals=goals, started_on=started_on
    )
    db.session.add(pairing)
    db.session.flush()
    _event("pairing_created", "schools_pairing", pairing.id, by, kind=kind.value)
    return pairing


def add_review(
    pairing: Pairing, *, term: Term | str, year: Any, progress: Progress | str, notes: str, by: User | int | None
) -> PairingReview:
    """Record a termly progress review of a pairing (one per term of a school year)."""
    term = _choice(Term, term, "term", _l("Choose the term"))
    year = _year(year)
    progress = _choice(Progress, progress, "progress", _l("Choose how much progress was made"))
    notes = _text(notes, "notes", limit=4000)
    clash = select(PairingReview.id).where(
        PairingReview.pairing_id == pairing.id, PairingReview.year == year, PairingReview.term == term
    )
    if db.session.scalar(clash) is not None:
        raise SchoolsError(_l("This term already has a review"), "term", 409)
    review = PairingReview(pairing_id=pairing.id, term=term, year=year, progress=progress, notes=notes)
    db.session.add(review)
    db.session.flush()
    _event("pairing_reviewed", "schools_pairing", pairing.id, by, term=term.value, year=year)
    return review


# --- co-operative values self-review --------------------------------------------------------------


def save_values_review(
    school: School, *, year: Any, ratings: dict[str, Any], evidence: str, by: User | int | None
) -> ValuesReview:
    """A school's self-review for ``year``: each value rated 1 to 5, with evidence; a second save replaces it."""
    year = _year(year)
    checked = {}
    for value in VALUES:
        rating = ratings.get(value)
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise SchoolsError(_l("Rate each value from 1 to 5"), value)
        checked[value] = rating
    evidence = _text(evidence, "evidence", limit=8000)
    review = db.session.scalar(
        select(ValuesReview).where(ValuesReview.school_id == school.id, ValuesReview.year == year)
    )
    if review is None:
        review = ValuesReview(school_id=school.id, year=year)
        db.session.add(review)
    for value, rating in checked.items():
        setattr(review, value, rating)
    review.evidence = evidence
    review.entered_by_user_id = _user_id(by)
    db.session.flush()
    _event("values_reviewed", "schools_school", school.id, by, year=year)
    return review


# --- trustees -------------------------------------------------------------------------------------


def appoint_trustee(
    society: Society,
    *,
    resolution: Resolution | None,
    name: str,
    member: Member | None,
    from_on: Any,
    by: User | int | None,
) -> Trustee:
    """Record a trustee appointed by a resolution the trust's stakeholder forum passed.

    The resolution must be one of this trust's forum meetings', with a
    signed-off result of "passed". ``member`` is the trustee's line of the
    register (optional: a partner's nominee may not be a member); without a
    name the member's name is used.
    """
    if resolution is None:
        raise SchoolsError(_l("Choose the forum resolution that appointed the trustee"), "resolution_id")
    meeting = db.session.scalar(select(Meeting).where(Meeting.id == resolution.meeting_id))
    if meeting is None or meeting.society_id != society.id or meeting.body is not MeetingBody.FORUM:
        raise SchoolsError(_l("Choose a resolution of this trust's stakeholder forum"), "resolution_id")
    if resolution.outcome != "passed":
        raise SchoolsError(_l("The forum has not passed this resolution"), "resolution_id", 409)
    if member is not None and member.society_id != society.id:
        raise SchoolsError(_l("Choose a member of this trust"), "member_id")
    name = _text(name or (member.name if member else ""), "name", required=_l("Enter the trustee's name"), limit=200)
    from_on = _day(from_on, "from_on", not_future=False)
    trustee = Trustee(
        society_id=society.id,
        resolution_id=resolution.id,
        member_id=member.id if member else None,
        name=name,
        from_on=from_on,
    )
    db.session.add(trustee)
    db.session.flush()
    _event("trustee_appointed", "schools_trustee", trustee.id, by, society_id=society.id, resolution_id=resolution.id)
    return trustee


def end_trustee(trustee: Trustee, *, to_on: Any, by: User | int | None) -> Trustee:
    """Record the day a trustee's term ended (not before it began; 409 if already ended)."""
    to_on = _day(to_on, "to_on", not_future=False)
    if trustee.to_on is not None:
        raise SchoolsError(_l("This trustee's term has already ended"), None, 409)
    if to_on < trustee.from_on:
        raise SchoolsError(_l("The end cannot be before the appointment"), "to_on")
    trustee.to_on = to_on
    db.session.flush()
    _event("trustee_term_ended", "schools_trustee", trustee.id, by, to_on=to_on.isoformat())
    return trustee
