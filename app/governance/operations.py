"""Writes of the governance core: societies and their rules, classes, officers, the register and the share ledger.

This is the API other modules use (the housing module calls
:func:`apply_for_membership` when a tenancy starts). Every function checks
what it is given and raises :class:`GovernanceError` (HTTP 422, a message for
a form field) or :class:`StateError` (HTTP 409, the record is not in a state
that allows it) before writing anything, so a refusal never leaves half a
change. Functions flush and never commit: the caller owns the transaction.

Decisions about a membership (admission, refusal, leaving, death, no longer
eligible, expulsion) are each a :class:`MemberDecision` row and an entry in the
council's audit chain. Shares are never edited: issues, withdrawals and
corrections are new ledger lines.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.audit.operations import record_event
from app.auth.models import CouncilRole, User
from app.extensions import db
from app.governance import queries
from app.governance.consent import needs_guardian_consent
from app.governance.models import (
    Cessation,
    DecisionKind,
    Member,
    MemberClass,
    MemberDecision,
    MemberStatus,
    ShareEntry,
    ShareEntryKind,
    Society,
    SocietyKind,
    SocietyOfficer,
    SocietyRole,
)
from app.i18n import _l, in_english
from app.voting import timing
from app.voting.methods.resolutions import THRESHOLDS
from app.voting.papers import money

# Limits the forms and operations share (the database's own are the last line).
MAX_QUORUM_MEMBERS = 1_000_000
MAX_PROXY_CAP = 1_000
MAX_SHARE_VALUE_PENCE = 100_000_000  # £1,000,000 a share
MAX_SHARES_IN_ONE_LINE = 1_000_000
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
REGISTRATION_NUMBER = re.compile(r"^[A-Za-z0-9]{1,20}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

DECISION_FOR_CESSATION = {
    Cessation.LEFT: DecisionKind.LEFT,
    Cessation.EXPELLED: DecisionKind.EXPELLED,
    Cessation.DIED: DecisionKind.DIED,
    Cessation.NO_LONGER_ELIGIBLE: DecisionKind.NO_LONGER_ELIGIBLE,
}

# Threshold strength, weakest first, so a special resolution's threshold is never weaker than an ordinary one's.
_STRENGTH = {name: p / q for name, (p, q, _strict) in THRESHOLDS.items()}


class GovernanceError(Exception):
    """A refused change: the message to show, the form field it is about, the HTTP status (422)."""

    status = 422

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(in_english(message))
        self.message = message
        self.field = field


class StateError(GovernanceError):
    """The record is not in a state that allows this (an applicant already decided, a member already ceased): 409."""

    status = 409


def _user_id(by: User | int | None) -> int | None:
    return by.id if isinstance(by, User) else by


def _event(action: str, subject_type: str, subject_id: int, by: User | int | None, **payload: Any) -> None:
    record_event(f"governance.{action}", subject_type, subject_id, payload=payload, actor_user_id=_user_id(by))


def _text(value: str | None, field: str, *, required: Any = None, limit: int) -> str:
    """``value`` stripped; refuses a blank one when ``required`` (its message) or one over ``limit`` characters."""
    text = (value or "").strip()
    if required is not None and not text:
        raise GovernanceError(required, field)
    if len(text) > limit:
        raise GovernanceError(_l("Use %(limit)s characters or fewer", limit=limit), field)
    return text


def _whole(value: Any, field: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise GovernanceError(_l("Enter a whole number between %(low)s and %(high)s", low=low, high=high), field)
    return value


def _day(value: Any, field: str) -> date:
    if not isinstance(value, date):
        raise GovernanceError(_l("Enter a real date, like 27 3 2027"), field)
    return value


# --- societies -----------------------------------------------------------------------------------

RULE_FIELDS = (
    "registration_number",
    "registered_office",
    "description",
    "notice_clear_days",
    "quorum_members",
    "quorum_percent",
    "ordinary_threshold",
    "special_threshold",
    "proxy_cap",
    "proxies_count_in_quorum",
    "share_value_pence",
    "shares_on_admission",
)


def check_rules(values: dict[str, Any]) -> dict[str, Any]:
    """The society's details and rules, each checked; raises :class:`GovernanceError` on the first bad one.

    ``values`` may hold any of :data:`RULE_FIELDS`; what is missing keeps its
    default (or its current value, on an edit).
    """
    checked: dict[str, Any] = {}
    if "registration_number" in values:
        number = _text(values["registration_number"], "registration_number", limit=20).upper()
        if number and not REGISTRATION_NUMBER.match(number):
            raise GovernanceError(
                _l("Enter the registration number as letters and digits only, like 12345R"), "registration_number"
            )
        checked["registration_number"] = number
    if "registered_office" in values:
        checked["registered_office"] = _text(values["registered_office"], "registered_office", limit=1000)
    if "description" in values:
        checked["description"] = _text(values["description"], "description", limit=5000)
    if "notice_clear_days" in values:
        checked["notice_clear_days"] = _whole(values["notice_clear_days"], "notice_clear_days", low=0, high=365)
    if "quorum_members" in values:
        checked["quorum_members"] = _whole(values["quorum_members"], "quorum_members", low=0, high=MAX_QUORUM_MEMBERS)
    if "quorum_percent" in values:
        checked["quorum_percent"] = _whole(values["quorum_percent"], "quorum_percent", low=0, high=100)
    for field in ("ordinary_threshold", "special_threshold"):
        if field in values:
            if values[field] not in THRESHOLDS:
                raise GovernanceError(_l("Choose a threshold from the list"), field)
            checked[field] = values[field]
    ordinary, special = checked.get("ordinary_threshold"), checked.get("special_threshold")
    if ordinary and special and _STRENGTH[special] < _STRENGTH[ordinary]:
        raise GovernanceError(
            _l("A special resolution's threshold cannot be lower than an ordinary resolution's"), "special_threshold"
        )
    if "proxy_cap" in values:
        cap = values["proxy_cap"]
        checked["proxy_cap"] = None if cap is None else _whole(cap, "proxy_cap", low=0, high=MAX_PROXY_CAP)
    if "proxies_count_in_quorum" in values:
        checked["proxies_count_in_quorum"] = bool(values["proxies_count_in_quorum"])
    if "share_value_pence" in values:
        pence = values["share_value_pence"]
        if isinstance(pence, bool) or not isinstance(pence, int) or not 1 <= pence <= MAX_SHARE_VALUE_PENCE:
            raise GovernanceError(
                _l("Enter a share value between 1p and %(most)s", most=money(MAX_SHARE_VALUE_PENCE)),
                "share_value_pence",
            )
        checked["share_value_pence"] = pence
    if "shares_on_admission" in values:
        checked["shares_on_admission"] = _whole(
            values["shares_on_admission"], "shares_on_admission", low=1, high=MAX_SHARES_IN_ONE_LINE
        )
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown society fields: {sorted(unknown)}")
    return checked


def check_society_name(name: str | None, *, except_id: int | None = None) -> str:
    """The society's name stripped; refuses a blank, over-long or already taken one (another module's form checks
    it with its other fields before creating the society)."""
    text = _text(name, "name", required=_l("Enter the society's name"), limit=200)
    clash = select(Society.id).where(func.lower(Society.name) == text.lower())
    if except_id is not None:
        clash = clash.where(Society.id != except_id)
    if db.session.scalar(clash) is not None:
        raise GovernanceError(_l("The council already has a society called %(name)s", name=text), "name")
    return text


def create_society(*, name: str, kind: SocietyKind | str, by_user: User | int | None, **rules: Any) -> Society:
    """Create a society of ``kind`` in the current council with its rules (defaults for what is not given).

    ``rules`` takes any of :data:`RULE_FIELDS`. Raises :class:`GovernanceError`
    for a blank or taken name, an unknown kind or a bad rule.
    """
    try:
        kind = SocietyKind(kind)
    except ValueError:
        raise GovernanceError(_l("Choose what kind of society this is"), "kind") from None
    society = Society(name=check_society_name(name), kind=kind, **check_rules(rules))
    db.session.add(society)
    db.session.flush()
    _event("society_created", "gov_society", society.id, by_user, name=society.name, kind=kind.value)
    return society


def update_society(society: Society, *, by_user: User | int | None, name: str | None = None, **rules: Any) -> Society:
    """Change a society's name, details and rules (its kind, and so its module, stays).

    Rules already frozen into a running vote are not affected: a resolution
    ballot keeps the rules it opened with.
    """
    checked = check_rules({**{f: getattr(society, f) for f in RULE_FIELDS if f not in rules}, **rules})
    if name is not None:
        society.name = check_society_name(name, except_id=society.id)
    changed = sorted(f for f, v in checked.items() if getattr(society, f) != v)
    for field, value in checked.items():
        setattr(society, field, value)
    db.session.flush()
    _event("society_updated", "gov_society", society.id, by_user, changed=changed)
    return society


# --- member classes ------------------------------------------------------------------------------


def _class_values(
    society: Society, *, name: str, description: str, vote_cap_percent: Any, min_age: Any, except_id=None
):
    text = _text(name, "name", required=_l("Enter the class's name"), limit=120)
    clash = select(MemberClass.id).where(
        MemberClass.society_id == society.id, func.lower(MemberClass.name) == text.lower()
    )
    if except_id is not None:
        clash = clash.where(MemberClass.id != except_id)
    if db.session.scalar(clash) is not None:
        raise GovernanceError(
            _l("%(society)s already has a class called %(name)s", society=society.name, name=text), "name"
        )
    values = {"name": text, "description": _text(description, "description", limit=2000)}
    values["vote_cap_percent"] = (
        None if vote_cap_percent is None else _whole(vote_cap_percent, "vote_cap_percent", low=1, high=100)
    )
    values["min_age"] = None if min_age is None else _whole(min_age, "min_age", low=1, high=120)
    return values


def add_member_class(
    society: Society,
    *,
    name: str,
    description: str = "",
    vote_cap_percent: int | None = None,
    min_age: int | None = None,
    by_user: User | int | None = None,
) -> MemberClass:
    """Add a class (constituency) of members to a society, after its existing classes.

    ``vote_cap_percent`` (1 to 100) caps the class's share of votes at general
    meetings; ``min_age`` makes younger members need a guardian's consent to vote
    and makes a date of birth part of applying.
    """
    values = _class_values(
        society, name=name, description=description, vote_cap_percent=vote_cap_percent, min_age=min_age
    )
    last = db.session.scalar(select(func.max(MemberClass.position)).where(MemberClass.society_id == society.id))
    member_class = MemberClass(society_id=society.id, position=(last or 0) + 1, **values)
    db.session.add(member_class)
    db.session.flush()
    _event("class_added", "gov_member_class", member_class.id, by_user, society_id=society.id, name=member_class.name)
    return member_class


def update_member_class(
    member_class: MemberClass,
    *,
    name: str,
    description: str = "",
    vote_cap_percent: int | None = None,
    min_age: int | None = None,
    by_user: User | int | None = None,
) -> MemberClass:
    """Rename a class and change its description, vote cap and minimum age."""
    society = _society_of(member_class.society_id)
    values = _class_values(
        society,
        name=name,
        description=description,
        vote_cap_percent=vote_cap_percent,
        min_age=min_age,
        except_id=member_class.id,
    )
    for field, value in values.items():
        setattr(member_class, field, value)
    db.session.flush()
    _event("class_updated", "gov_member_class", member_class.id, by_user, society_id=society.id, name=member_class.name)
    return member_class


def move_member_class(member_class: MemberClass, offset: int, *, by_user: User | int | None = None) -> None:
    """Move a class ``offset`` places in its society's order (-1: up, +1: down); the ends stay put."""
    ordered = queries.member_classes(member_class.society_id)
    index = next(i for i, c in enumerate(ordered) if c.id == member_class.id)
    target = min(max(index + offset, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, each in enumerate(ordered, start=1):
        each.position = position
    db.session.flush()
    _event("classes_reordered", "gov_society", member_class.society_id, by_user, order=[c.id for c in ordered])


# --- society officers ----------------------------------------------------------------------------


def appoint_society_officer(
    society: Society, user: User, role: SocietyRole | str, *, by_user: User | int | None
) -> SocietyOfficer:
    """Give a person with an account in this council a role for the society (secretary, committee, scrutineer).

    Refuses a person with no role in the council (422) and a role they already
    hold (409).
    """
    try:
        role = SocietyRole(role)
    except ValueError:
        raise GovernanceError(_l("Choose a role from the list"), "role") from None
    if db.session.scalar(select(CouncilRole.id).where(CouncilRole.user_id == user.id)) is None:
        raise GovernanceError(_l("Enter the email address of someone with an account in this council"), "email")
    held = select(SocietyOfficer.id).where(
        SocietyOfficer.society_id == society.id, SocietyOfficer.user_id == user.id, SocietyOfficer.role == role
    )
    if db.session.scalar(held) is not None:
        raise StateError(_l("%(name)s already holds this role", name=user.name), "email")
    officer = SocietyOfficer(society_id=society.id, user_id=user.id, role=role)
    db.session.add(officer)
    db.session.flush()
    _event("officer_appointed", "gov_society", society.id, by_user, user_id=user.id, role=role.value)
    return officer


def remove_society_officer(officer: SocietyOfficer, *, by_user: User | int | None) -> None:
    """End a person's role for a society."""
    _event(
        "officer_removed", "gov_society", officer.society_id, by_user, user_id=officer.user_id, role=officer.role.value
    )
    db.session.delete(officer)
    db.session.flush()


# --- the register of members ---------------------------------------------------------------------


def _society_of(society_id: int) -> Society:
    society = queries.society(society_id)
    if society is None:  # a row of this council always has its society; this is a programming error
        raise LookupError(f"society {society_id} not found in the current council")
    return society


def _lock_member(member: Member) -> Member:
    """Re-read the member's line ``FOR UPDATE``: decisions about one person happen one at a time."""
    return db.session.scalar(
        select(Member).where(Member.id == member.id).with_for_update().execution_options(populate_existing=True)
    )


def _clean_postcode(postcode: str | None) -> str:
    text = re.sub(r"\s+", "", (postcode or "").upper())
    if not text:
        return ""
    text = f"{text[:-3]} {text[-3:]}"
    if not POSTCODE.match(text):
        raise GovernanceError(_l("Enter a real postcode, like LS1 4AP"), "postcode")
    return text


def apply_for_membership(
    society: Society,
    member_class: MemberClass,
    *,
    name: str,
    address: str,
    postcode: str,
    email: str,
    user_id: int | None = None,
    date_of_birth: date | None = None,
    applied_on: date | None = None,
    by_user: User | int | None = None,
) -> Member:
    """An application to join ``society`` in ``member_class``: a new line of the register, status applicant.

    ``user_id`` links the line to the person's account (they applied online, or
    the housing module offered them membership with their tenancy); without it
    the line is for someone with no account, entered by an officer. A class
    with a minimum age needs ``date_of_birth``. Refused with the reason: a
    class of another society, a blank name or address, a bad postcode or
    email, a birth date in the future, and a second live application (an
    applicant or member with the same account, or the same email address).
    """
    if member_class.society_id != society.id:
        raise GovernanceError(_l("Choose a class of %(society)s", society=society.name), "member_class_id")
    name = _text(name, "name", required=_l("Enter the applicant's full name"), limit=200)
    address = _text(address, "address", required=_l("Enter the applicant's address"), limit=1000)
    postcode = _clean_postcode(postcode)
    email = _text(email, "email", limit=254).lower()
    if email and not EMAIL.match(email):
        raise GovernanceError(_l("Enter an email address in the correct format, like name@example.com"), "email")
    applied_on = applied_on or timing.today()
    if date_of_birth is not None and (not isinstance(date_of_birth, date) or date_of_birth > applied_on):
        raise GovernanceError(_l("Date of birth must be in the past"), "date_of_birth")
    if member_class.min_age is not None and date_of_birth is None:
        raise GovernanceError(
            _l("Enter the date of birth: the %(name)s class has a minimum age", name=member_class.name),
            "date_of_birth",
        )
    live = select(Member.id).where(
        Member.society_id == society.id, Member.status.in_((MemberStatus.APPLICANT, MemberStatus.MEMBER))
    )
    if user_id is not None and db.session.scalar(live.where(Member.user_id == user_id)) is not None:
        raise StateError(
            _l("There is already an application or a membership of %(society)s for this person", society=society.name)
        )
    if email and db.session.scalar(live.where(func.lower(Member.email) == email)) is not None:
        raise StateError(
            _l(
                "There is already an application or a membership of %(society)s with this email address",
                society=society.name,
            ),
            "email",
        )
    member = Member(
        society_id=society.id,
        member_class_id=member_class.id,
        user_id=user_id,
        name=name,
        address=address,
        postcode=postcode,
        email=email,
        date_of_birth=date_of_birth,
        status=MemberStatus.APPLICANT,
        applied_on=applied_on,
    )
    db.session.add(member)
    db.session.flush()
    _event(
        "application_received",
        "gov_member",
        member.id,
        by_user if by_user is not None else user_id,
        society_id=society.id,
        member_class_id=member_class.id,
        online=user_id is not None,
    )
    return member


def _decision(
    member: Member, kind: DecisionKind, *, decided_on: date, decided_by: str, reason: str, by_user
) -> MemberDecision:
    decision = MemberDecision(
        member_id=member.id,
        kind=kind,
        decided_on=decided_on,
        decided_by=decided_by,
        reason=reason,
        recorded_by_user_id=_user_id(by_user),
    )
    db.session.add(decision)
    db.session.flush()
    return decision


def _next_membership_number(society: Society) -> int:
    """The society's next membership number, under a lock on the society's row.

    Holding the society's row ``FOR UPDATE`` until the transaction ends makes
    admissions to one society take turns, so two never read the same largest
    number. Ceased members keep their numbers, so a number is never reused.
    """
    db.session.execute(select(Society.id).where(Society.id == society.id).with_for_update())
    largest = db.session.scalar(select(func.max(Member.membership_number)).where(Member.society_id == society.id))
    return (largest or 0) + 1


def admit(
    member: Member,
    *,
    decided_on: date,
    decided_by: str,
    by_user: User | int | None,
) -> Member:
    """Admit an applicant: the next membership number, the shares the rules give on admission, a recorded decision.

    ``decided_by`` names the body and its minute ("Committee, 3 March 2026,
    minute 4"). Refused (409) when the line is not an application waiting for a
    decision; (422) when the decision predates the application or names no body,
    or when the applicant is younger than their class's minimum age (learners
    under 18) and no parent's or carer's consent is recorded yet.
    """
    decided_on = _day(decided_on, "decided_on")
    decided_by = _text(decided_by, "decided_by", required=_l("Enter who decided and the minute reference"), limit=300)
    member = _lock_member(member)
    if member.status != MemberStatus.APPLICANT:
        raise StateError(_l("Only an application waiting for a decision can be admitted"))
    if decided_on < member.applied_on:
        raise GovernanceError(_l("The decision cannot be before the application"), "decided_on")
    if decided_on > timing.today():
        raise GovernanceError(_l("The decision date cannot be in the future"), "decided_on")
    _require_guardian_consent(member, decided_on)
    society = _society_of(member.society_id)
    member.membership_number = _next_membership_number(society)
    member.status = MemberStatus.MEMBER
    member.admitted_on = decided_on
    db.session.flush()
    _decision(member, DecisionKind.ADMITTED, decided_on=decided_on, decided_by=decided_by, reason="", by_user=by_user)
    _ledger_line(
        member, society, ShareEntryKind.ISSUE, society.shares_on_admission, entry_date=decided_on,
        note=in_english(_l("Issued on admission")), by_user=by_user,
    )  # fmt: skip
    _event(
        "member_admitted",
        "gov_member",
        member.id,
        by_user,
        society_id=society.id,
        membership_number=member.membership_number,
        decided_by=decided_by,
    )
    return member


def refuse(
    member: Member,
    *,
    decided_on: date,
    decided_by: str,
    reason: str,
    by_user: User | int | None,
) -> Member:
    """Refuse an application, with the body that decided and the reason (both required)."""
    decided_on = _day(decided_on, "decided_on")
    decided_by = _text(decided_by, "decided_by", required=_l("Enter who decided and the minute reference"), limit=300)
    reason = _text(reason, "reason", required=_l("Enter the reason for refusing"), limit=5000)
    member = _lock_member(member)
    if member.status != MemberStatus.APPLICANT:
        raise StateError(_l("Only an application waiting for a decision can be refused"))
    if decided_on < member.applied_on:
        raise GovernanceError(_l("The decision cannot be before the application"), "decided_on")
    if decided_on > timing.today():
        raise GovernanceError(_l("The decision date cannot be in the future"), "decided_on")
    member.status = MemberStatus.REFUSED
    db.session.flush()
    _decision(
        member, DecisionKind.REFUSED, decided_on=decided_on, decided_by=decided_by, reason=reason, by_user=by_user
    )
    _event("application_refused", "gov_member", member.id, by_user, society_id=member.society_id, decided_by=decided_by)
    return member


def cease(
    member: Member,
    cessation: Cessation | str,
    *,
    ceased_on: date,
    decided_by: str = "",
    reason: str = "",
    by_user: User | int | None,
) -> Member:
    """End a membership (left, died, no longer eligible, expelled) and withdraw the member's shares.

    The member keeps their line and number in the register with the date they
    ceased; the shares they held are withdrawn by a ledger line on that day
    (the Act: a ceased member's shares are withdrawn or cancelled). An
    expulsion needs the body that decided (and its minute) and the reason.
    Refused (409) for anyone who is not a member now: an applicant, a refused
    applicant, a member already ceased.
    """
    try:
        cessation = Cessation(cessation)
    except ValueError:
        raise GovernanceError(_l("Choose why the membership ends"), "cessation") from None
    ceased_on = _day(ceased_on, "ceased_on")
    if cessation is Cessation.EXPELLED:
        decided_by = _text(
            decided_by, "decided_by", required=_l("Enter the body that decided the expulsion and its minute"), limit=300
        )
        reason = _text(reason, "reason", required=_l("Enter the reason for the expulsion"), limit=5000)
    else:
        decided_by = _text(decided_by, "decided_by", limit=300)
        reason = _text(reason, "reason", limit=5000)
    member = _lock_member(member)
    if member.status == MemberStatus.CEASED:
        raise StateError(_l("This membership has already ended"))
    if member.status != MemberStatus.MEMBER:
        raise StateError(_l("Only a member's membership can end"))
    if ceased_on < member.admitted_on:
        raise GovernanceError(_l("The membership cannot end before the member was admitted"), "ceased_on")
    if ceased_on > timing.today():
        raise GovernanceError(_l("The date the membership ends cannot be in the future"), "ceased_on")
    society = _society_of(member.society_id)
    held = queries.shares_held(member.id)
    if held > 0:
        _ledger_line(
            member, society, ShareEntryKind.WITHDRAWAL, held, entry_date=ceased_on,
            note=in_english(_l("Withdrawn when the membership ended")), by_user=by_user,
        )  # fmt: skip
    member.status = MemberStatus.CEASED
    member.ceased_on = ceased_on
    member.cessation = cessation
    db.session.flush()
    _decision(
        member,
        DECISION_FOR_CESSATION[cessation],
        decided_on=ceased_on,
        decided_by=decided_by,
        reason=reason,
        by_user=by_user,
    )
    _event(
        "membership_ended",
        "gov_member",
        member.id,
        by_user,
        society_id=society.id,
        membership_number=member.membership_number,
        cessation=cessation.value,
        decided_by=decided_by,
        shares_withdrawn=held,
    )
    return member


def _require_guardian_consent(member: Member, day: date) -> None:
    member_class = db.session.scalar(select(MemberClass).where(MemberClass.id == member.member_class_id))
    if needs_guardian_consent(member, member_class, day):
        raise GovernanceError(
            _l(
                "%(name)s is younger than %(age)s, the minimum age of the %(class_name)s class: record a parent's "
                "or carer's consent before admitting them",
                name=member.name,
                age=member_class.min_age,
                class_name=member_class.name,
            ),
            "decided_on",
        )


def record_guardian_consent(member: Member, *, consent_by: str, consent_on: date, by_user: User | int | None) -> Member:
    """Record a parent's or carer's consent for a member younger than their class's minimum age.

    Refused for a line that is not an applicant or a member (409) and for a
    consent dated in the future (422).
    """
    consent_by = _text(consent_by, "consent_by", required=_l("Enter the name of the parent or carer"), limit=200)
    consent_on = _day(consent_on, "consent_on")
    if consent_on > timing.today():
        raise GovernanceError(_l("The date of consent cannot be in the future"), "consent_on")
    member = _lock_member(member)
    if member.status not in (MemberStatus.APPLICANT, MemberStatus.MEMBER):
        raise StateError(_l("Consent can only be recorded for an applicant or a member"))
    member.guardian_consent_by = consent_by
    member.guardian_consent_on = consent_on
    db.session.flush()
    _event("guardian_consent_recorded", "gov_member", member.id, by_user, society_id=member.society_id)
    return member


# --- the share ledger ----------------------------------------------------------------------------


def _ledger_line(
    member: Member, society: Society, kind: ShareEntryKind, shares: int, *, entry_date: date, note: str, by_user
) -> ShareEntry:
    entry = ShareEntry(
        member_id=member.id,
        kind=kind,
        shares=shares,
        amount_pence=shares * society.share_value_pence,
        entry_date=entry_date,
        note=note,
        recorded_by_user_id=_user_id(by_user),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _ledger_checks(member: Member, shares: Any, entry_date: Any, note: str | None) -> tuple[int, date, str]:
    shares = _whole(shares, "shares", low=1, high=MAX_SHARES_IN_ONE_LINE)
    entry_date = _day(entry_date, "entry_date")
    if entry_date > timing.today():
        raise GovernanceError(_l("The date cannot be in the future"), "entry_date")
    return shares, entry_date, _text(note, "note", limit=1000)


def issue_shares(
    member: Member, shares: int, *, entry_date: date | None = None, note: str = "", by_user: User | int | None
) -> ShareEntry:
    """Issue ``shares`` more shares to a member (a new ledger line at the society's share value).

    Only a current member can be issued shares (409 otherwise).
    """
    shares, entry_date, note = _ledger_checks(member, shares, entry_date or timing.today(), note)
    member = _lock_member(member)
    if member.status != MemberStatus.MEMBER:
        raise StateError(_l("Shares can only be issued to a current member"))
    if member.admitted_on is not None and entry_date < member.admitted_on:
        raise GovernanceError(_l("Shares cannot be issued before the member was admitted"), "entry_date")
    society = _society_of(member.society_id)
    entry = _ledger_line(
        member, society, ShareEntryKind.ISSUE, shares, entry_date=entry_date, note=note, by_user=by_user
    )
    _event("shares_issued", "gov_share_entry", entry.id, by_user, member_id=member.id, shares=shares)
    return entry


def withdraw_shares(
    member: Member, shares: int, *, entry_date: date | None = None, note: str = "", by_user: User | int | None
) -> ShareEntry:
    """Withdraw ``shares`` of a member's shares (a new ledger line); never more than they hold.

    The member's line is locked first, so two withdrawals at once cannot
    together take more than the holding.
    """
    shares, entry_date, note = _ledger_checks(member, shares, entry_date or timing.today(), note)
    member = _lock_member(member)
    held = queries.shares_held(member.id)
    if shares > held:
        raise StateError(
            _l("You cannot withdraw %(shares)s shares: the member holds %(held)s", shares=shares, held=held), "shares"
        )
    society = _society_of(member.society_id)
    entry = _ledger_line(
        member, society, ShareEntryKind.WITHDRAWAL, shares, entry_date=entry_date, note=note, by_user=by_user
    )
    _event("shares_withdrawn", "gov_share_entry", entry.id, by_user, member_id=member.id, shares=shares)
    return entry


def correct_share_entry(
    entry: ShareEntry, *, note: str, entry_date: date | None = None, by_user: User | int | None
) -> ShareEntry:
    """Correct a ledger line by writing one that reverses it (same shares and amount, the opposite kind).

    The wrong line stays, as in a paper ledger. ``note`` (required) says why.
    Reversing an issue is a withdrawal, so it is refused when the member no
    longer holds that many shares.
    """
    note = _text(note, "note", required=_l("Enter why this line is being corrected"), limit=1000)
    entry_date = _day(entry_date or timing.today(), "entry_date")
    member = db.session.scalar(select(Member).where(Member.id == entry.member_id))
    member = _lock_member(member)
    if entry.kind is ShareEntryKind.ISSUE and entry.shares > queries.shares_held(member.id):
        raise StateError(_l("This line cannot be reversed: the member no longer holds that many shares"))
    kind = ShareEntryKind.WITHDRAWAL if entry.kind is ShareEntryKind.ISSUE else ShareEntryKind.ISSUE
    reversal = ShareEntry(
        member_id=member.id,
        kind=kind,
        shares=entry.shares,
        amount_pence=entry.amount_pence,
        entry_date=entry_date,
        note=in_english(_l("Correction of ledger line %(line)s: %(note)s", line=entry.id, note=note)),
        recorded_by_user_id=_user_id(by_user),
    )
    db.session.add(reversal)
    db.session.flush()
    _event("share_line_corrected", "gov_share_entry", reversal.id, by_user, member_id=member.id, reverses=entry.id)
    return reversal
