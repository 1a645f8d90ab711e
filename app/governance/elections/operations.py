"""Election writes: setting up, seats, nominations and their checks, the poll, the count and the declaration.

Flush, never commit: the view (or job) commits once, so a refusal part way
leaves nothing half-written. Every refusal a person can cause is an
:class:`ElectionError` with the HTTP status the view answers with (422 for
a bad value, with the form field; 403 for someone who may not; 409 for the
wrong moment) and a whole sentence saying why.

The lifecycle: draft (details and seats) → nominations (members stand within
the nomination dates; the secretary or committee check each one) → voting
(:func:`start_poll`: unopposed constituencies are returned, the others get a
ranked ballot each in :mod:`app.voting`) → declared (:func:`declare`: every
ballot is published with its round tables and the people elected are
recorded as the body's members for the term).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.audit.operations import record_event
from app.auth.models import User
from app.extensions import db
from app.governance.access import module_for
from app.governance.elections import queries
from app.governance.elections.models import (
    MAX_BODY_SIZE,
    BodyMember,
    CandidateResult,
    Election,
    ElectionSeat,
    ElectionStatus,
    Nomination,
    NominationStatus,
    SeatOutcome,
)
from app.governance.models import Member, MemberClass, MemberStatus, Society
from app.i18n import gettext as _
from app.i18n import ngettext
from app.voting import counting, timing
from app.voting import operations as ballots
from app.voting.models import Ballot, BallotKind, BallotStatus

SUBJECT = "gov_election"
METHODS = ("stv", "meek")
MAX_TITLE = 200
MAX_BODY_NAME = 120
MAX_DESCRIPTION = 5000
MIN_STATEMENT_WORDS, MAX_STATEMENT_WORDS = 10, 2000
# However few words, a statement is not a book (and a page must show it).
MAX_STATEMENT_CHARACTERS = 20_000
MIN_REASON = 5
# Ballots close at the end of the last voting day, UK time.
CLOSING_HOUR, CLOSING_MINUTE = 23, 59


class ElectionError(Exception):
    """A refusal a person can cause; ``status`` is the HTTP answer, ``field`` the form field (if any)."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowedError(ElectionError):
    """The person may not do this (not a member, a ceased member, not the candidate)."""

    status = 403


class WrongMomentError(ElectionError):
    """The election (or nomination) is not at a stage where this can happen."""

    status = 409


def _user_id(by: User | int | None) -> int | None:
    return by if by is None or isinstance(by, int) else by.id


def _event(action: str, election: Election, by: User | int | None, **payload: Any) -> None:
    record_event(f"election.{action}", SUBJECT, election.id, payload=payload, actor_user_id=_user_id(by))


def is_member_today(line: Member | None) -> bool:
    """Whether a register line is an admitted member who has not ceased, today."""
    today = timing.today()
    return (
        line is not None
        and line.status is MemberStatus.MEMBER
        and line.admitted_on is not None
        and line.admitted_on <= today
        and (line.ceased_on is None or line.ceased_on > today)
    )


# --- details and seats ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Details:
    """An election's details as typed (already turned into numbers and dates by the form)."""

    title: str
    body_name: str
    body_size: int
    description: str
    method: str
    statement_max_words: int
    term_years: int
    nominations_open_on: date
    nominations_close_on: date
    voting_closes_on: date


def _check_details(details: Details) -> Details:
    title = " ".join((details.title or "").split())
    body_name = " ".join((details.body_name or "").split())
    if not title:
        raise ElectionError(_("Enter a title for the election"), "title")
    if len(title) > MAX_TITLE:
        raise ElectionError(_("The title must be %(most)s characters or fewer", most=MAX_TITLE), "title")
    if not body_name:
        raise ElectionError(_("Enter the name of the body being elected, like Board or Stakeholder forum"), "body_name")
    if len(body_name) > MAX_BODY_NAME:
        raise ElectionError(_("The body's name must be %(most)s characters or fewer", most=MAX_BODY_NAME), "body_name")
    if not 1 <= details.body_size <= MAX_BODY_SIZE:
        raise ElectionError(
            _("Enter the number of seats on the body, from 1 to %(most)s", most=MAX_BODY_SIZE), "body_size"
        )
    description = (details.description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise ElectionError(
            _("The description must be %(most)s characters or fewer", most=MAX_DESCRIPTION), "description"
        )
    if details.method not in METHODS:
        raise ElectionError(_("Choose how the votes are counted"), "method")
    if not MIN_STATEMENT_WORDS <= details.statement_max_words <= MAX_STATEMENT_WORDS:
        raise ElectionError(
            _(
                "Enter a word limit for statements between %(low)s and %(high)s",
                low=MIN_STATEMENT_WORDS,
                high=MAX_STATEMENT_WORDS,
            ),
            "statement_max_words",
        )
    if not 1 <= details.term_years <= 10:
        raise ElectionError(_("Enter a term of office between 1 and 10 years"), "term_years")
    if details.nominations_close_on < details.nominations_open_on:
        raise ElectionError(_("Nominations must close on or after the day they open"), "nominations_close_on")
    if details.nominations_close_on < timing.today():
        raise ElectionError(_("The day nominations close must be today or in the future"), "nominations_close_on")
    if details.voting_closes_on <= details.nominations_close_on:
        raise ElectionError(_("Voting must close after the day nominations close"), "voting_closes_on")
    return Details(
        title=title,
        body_name=body_name,
        body_size=details.body_size,
        description=description,
        method=details.method,
        statement_max_words=details.statement_max_words,
        term_years=details.term_years,
        nominations_open_on=details.nominations_open_on,
        nominations_close_on=details.nominations_close_on,
        voting_closes_on=details.voting_closes_on,
    )


def create_election(society: Society, details: Details, *, by: User | int | None) -> Election:
    """A draft election to one of the society's bodies; its seats are set next (:func:`set_seats`)."""
    checked = _check_details(details)
    election = Election(society_id=society.id, status=ElectionStatus.DRAFT, **checked.__dict__)
    db.session.add(election)
    db.session.flush()
    _event("created", election, by, title=checked.title, body=checked.body_name, body_size=checked.body_size)
    return election


def _require_status(election: Election, *allowed: ElectionStatus) -> None:
    if election.status in allowed:
        return
    messages = {
        ElectionStatus.DRAFT: _("This election is still being set up."),
        ElectionStatus.NOMINATIONS: _("This election is taking nominations."),
        ElectionStatus.VOTING: _("This election's poll has started, so its seats and candidates are fixed."),
        ElectionStatus.DECLARED: _("This election's result has been declared."),
    }
    raise WrongMomentError(messages[election.status])


def set_seats(election: Election, seats: Mapping[int, int], *, by: User | int | None) -> list[ElectionSeat]:
    """Set the seats of each constituency (member class id → seats; 0 leaves the class out). Draft only.

    Refused: a class of another society, a negative number, no seats at all,
    or more seats in total than the body has.
    """
    _require_status(election, ElectionStatus.DRAFT)
    classes = {
        c.id: c for c in db.session.scalars(select(MemberClass).where(MemberClass.society_id == election.society_id))
    }
    wanted: dict[int, int] = {}
    for class_id, count in seats.items():
        if class_id not in classes:
            raise ElectionError(_("Choose member classes of this society only"), "seats")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ElectionError(
                _("Enter the seats for %(name)s as a whole number, 0 or more", name=classes[class_id].name),
                f"seats-{class_id}",
            )
        if count:
            wanted[class_id] = count
    total = sum(wanted.values())
    if total == 0:
        raise ElectionError(_("Give at least one constituency a seat"), "seats")
    if total > election.body_size:
        raise ElectionError(
            _(
                "The constituencies have %(total)s seats between them, but the %(body)s has only %(size)s. "
                "Reduce the seats, or check the size of the body.",
                total=total,
                body=election.body_name,
                size=election.body_size,
            ),
            "seats",
        )
    current = {
        s.member_class_id: s
        for s in db.session.scalars(select(ElectionSeat).where(ElectionSeat.election_id == election.id))
    }
    for class_id, row in current.items():
        if class_id not in wanted:
            db.session.delete(row)
    for class_id, count in wanted.items():
        if class_id in current:
            current[class_id].seats = count
        else:
            db.session.add(ElectionSeat(election_id=election.id, member_class_id=class_id, seats=count))
    db.session.flush()
    _event("seats_set", election, by, seats={str(k): v for k, v in sorted(wanted.items())})
    return [c.seat for c in queries.constituencies(election)]


def open_nominations(election: Election, *, by: User | int | None) -> Election:
    """Publish the election and take nominations (within its nomination dates). Needs seats."""
    _require_status(election, ElectionStatus.DRAFT)
    if not queries.constituencies(election):
        raise WrongMomentError(_("Set the seats for each constituency before opening nominations."))
    election.status = ElectionStatus.NOMINATIONS
    db.session.flush()
    _event("nominations_opened", election, by)
    return election


# --- nominations ---------------------------------------------------------------------------------


def nomination_window_refusal(election: Election) -> str | None:
    """Why nominations cannot be made today (for the member), or ``None`` when they can."""
    today = timing.today()
    if election.status is ElectionStatus.DRAFT:
        return _("This election is not taking nominations yet.")
    if election.status is not ElectionStatus.NOMINATIONS or today > election.nominations_close_on:
        return _(
            "Nominations closed on %(day)s. No more nominations can be made.",
            day=timing.format_date(election.nominations_close_on),
        )
    if today < election.nominations_open_on:
        return _("Nominations open on %(day)s.", day=timing.format_date(election.nominations_open_on))
    return None


def _require_window(election: Election) -> None:
    refusal = nomination_window_refusal(election)
    if refusal:
        raise WrongMomentError(refusal)


def check_statement(election: Election, statement: str, *, required: bool) -> str:
    """The statement, tidied; refused when missing (if required) or over the word limit."""
    text = "\n".join(line.rstrip() for line in (statement or "").strip().splitlines())
    if not text:
        if required:
            raise ElectionError(_("Write your statement for the members to read"), "statement")
        return ""
    words = len(text.split())
    if words > election.statement_max_words or len(text) > MAX_STATEMENT_CHARACTERS:
        raise ElectionError(
            _(
                "The statement must be %(limit)s words or fewer; it has %(words)s",
                limit=election.statement_max_words,
                words=words,
            ),
            "statement",
        )
    return text


def _class_name(society_id: int, class_id: int) -> str:
    found = db.session.scalar(
        select(MemberClass.name).where(MemberClass.society_id == society_id, MemberClass.id == class_id)
    )
    return found or ""


def _check_candidate(
    election: Election, seat: ElectionSeat, candidate: Member | None, *, self_nomination: bool
) -> Member:
    if candidate is None or candidate.society_id != election.society_id:
        raise ElectionError(_("There is no member of the society with that membership number"), "membership_number")
    if not is_member_today(candidate):
        if self_nomination:
            raise NotAllowedError(_("Only members of the society can stand, and you are not a member today."))
        raise ElectionError(
            _("%(name)s is not a member of the society today, so cannot stand.", name=candidate.name),
            "membership_number",
        )
    if candidate.member_class_id != seat.member_class_id:
        theirs = _class_name(election.society_id, candidate.member_class_id)
        chosen = _class_name(election.society_id, seat.member_class_id)
        if self_nomination:
            message = _(
                "You are a member of the %(theirs)s class, so you can stand only in the %(theirs)s constituency, "
                "not %(chosen)s.",
                theirs=theirs,
                chosen=chosen,
            )
        else:
            message = _(
                "%(name)s is a member of the %(theirs)s class, so can stand only in the %(theirs)s constituency, "
                "not %(chosen)s.",
                name=candidate.name,
                theirs=theirs,
                chosen=chosen,
            )
        raise ElectionError(message, "seat_id")
    if queries.live_nomination_of(election, candidate.id) is not None:
        if self_nomination:
            raise WrongMomentError(_("You have already been nominated in this election."))
        raise WrongMomentError(_("%(name)s has already been nominated in this election.", name=candidate.name))
    return candidate


def nominate(
    election: Election,
    seat: ElectionSeat,
    *,
    nominator: Member | None,
    candidate: Member | None,
    statement: str,
    by: User | int | None,
) -> Nomination:
    """A nomination for ``seat``'s constituency, while nominations are open.

    A member standing themself (``nominator`` is the candidate, or ``None``)
    writes their statement now and the nomination waits for the officers'
    check. A member nominating someone else (``nominator`` another member of
    the same constituency) leaves the statement to the candidate, whose
    consent it then waits for (:func:`consent`).
    """
    _require_window(election)
    if seat.election_id != election.id:
        raise ElectionError(_("Choose a constituency of this election"), "seat_id")
    self_nomination = nominator is None or candidate is None or nominator.id == candidate.id
    if nominator is not None and not is_member_today(nominator):
        raise NotAllowedError(_("Only members of the society can make nominations, and you are not a member today."))
    if self_nomination:
        candidate = _check_candidate(election, seat, candidate or nominator, self_nomination=True)
        text = check_statement(election, statement, required=True)
        status = NominationStatus.SUBMITTED
        nominator_id = None
    else:
        if nominator.member_class_id != seat.member_class_id:
            raise ElectionError(
                _(
                    "You can nominate people only in your own constituency, %(theirs)s.",
                    theirs=_class_name(election.society_id, nominator.member_class_id),
                ),
                "seat_id",
            )
        candidate = _check_candidate(election, seat, candidate, self_nomination=False)
        text = check_statement(election, statement, required=False)
        status = NominationStatus.AWAITING_CONSENT
        nominator_id = nominator.id
    nomination = Nomination(
        election_id=election.id,
        seat_id=seat.id,
        member_id=candidate.id,
        nominator_member_id=nominator_id,
        statement=text,
        status=status,
    )
    db.session.add(nomination)
    db.session.flush()
    _event(
        "nominated",
        election,
        by,
        nomination=nomination.id,
        member=candidate.id,
        seat=seat.id,
        nominated_by=nominator_id,
    )
    return nomination


def consent(
    election: Election, nomination: Nomination, candidate: Member, *, statement: str, by: User | int | None
) -> Nomination:
    """The candidate agrees to stand, with their statement (while nominations are open)."""
    _require_window(election)
    if nomination.member_id != candidate.id:
        raise NotAllowedError(_("Only the person nominated can agree to stand."))
    if nomination.status is not NominationStatus.AWAITING_CONSENT:
        raise WrongMomentError(_("This nomination is not waiting for your agreement."))
    if not is_member_today(candidate):
        raise NotAllowedError(_("Only members of the society can stand, and you are not a member today."))
    nomination.statement = check_statement(election, statement, required=True)
    nomination.status = NominationStatus.SUBMITTED
    db.session.flush()
    _event("consented", election, by, nomination=nomination.id)
    return nomination


def withdraw(
    election: Election, nomination: Nomination, *, reason: str, by: User | int | None, by_officer: bool
) -> Nomination:
    """Withdraw a nomination before the poll starts: the candidate declines or stands down, or the officers refuse it.

    The officers must give a reason (the candidate sees it).
    """
    _require_status(election, ElectionStatus.NOMINATIONS)
    if nomination.status is NominationStatus.WITHDRAWN:
        raise WrongMomentError(_("This nomination has already been withdrawn."))
    text = " ".join((reason or "").split())
    if by_officer and len(text) < MIN_REASON:
        raise ElectionError(_("Give the reason for withdrawing the nomination"), "reason")
    nomination.status = NominationStatus.WITHDRAWN
    nomination.withdrawn_reason = text or _("Withdrawn by the candidate.")
    if by_officer:
        nomination.checked_by_user_id = _user_id(by)
        nomination.checked_at = timing.now()
    db.session.flush()
    _event("withdrawn", election, by, nomination=nomination.id, by_officer=by_officer)
    return nomination


def accept(election: Election, nomination: Nomination, *, by: User | int | None) -> Nomination:
    """The officers' check: the candidate is a member of the constituency today, so the nomination is valid."""
    _require_status(election, ElectionStatus.NOMINATIONS)
    if nomination.status is not NominationStatus.SUBMITTED:
        raise WrongMomentError(
            _("Only a nomination the candidate has agreed to, and not yet checked, can be accepted.")
        )
    candidate = db.session.scalar(select(Member).where(Member.id == nomination.member_id))
    seat = queries.seat(election, nomination.seat_id)
    if not is_member_today(candidate) or seat is None or candidate.member_class_id != seat.member_class_id:
        raise WrongMomentError(
            _(
                "%(name)s is no longer a member of this constituency. Withdraw the nomination, giving that reason.",
                name=candidate.name if candidate else "",
            )
        )
    nomination.status = NominationStatus.VALID
    nomination.checked_by_user_id = _user_id(by)
    nomination.checked_at = timing.now()
    db.session.flush()
    _event("nomination_accepted", election, by, nomination=nomination.id)
    return nomination


# --- the poll ------------------------------------------------------------------------------------


def option_key(nomination: Nomination) -> str:
    """The candidate's key on the ballot paper (and in the BLT export)."""
    return f"n{nomination.id}"


def electorate_for(election: Election, member_class_id: int) -> dict[str, Any]:
    """Members of the society in the constituency's class, on the counting day."""
    return {"type": "society_members", "society_id": election.society_id, "member_class_ids": [member_class_id]}


def start_poll(election: Election, *, by: User | int | None) -> dict[int, SeatOutcome]:
    """After nominations close: return unopposed constituencies, and open one ranked ballot per contested one.

    Refused while nominations are still open, while a nomination waits for
    the officers' check, or when voting would close before tomorrow.
    Nominations still waiting for the candidate's agreement lapse. With no
    contested constituency the result is declared at once. Returns each
    seat's outcome.
    """
    _require_status(election, ElectionStatus.NOMINATIONS)
    today = timing.today()
    if today <= election.nominations_close_on:
        raise WrongMomentError(
            _(
                "Nominations are open until the end of %(day)s. The poll can start after that.",
                day=timing.format_date(election.nominations_close_on),
            )
        )
    unchecked = queries.nominations(election, [NominationStatus.SUBMITTED])
    if unchecked:
        count = len(unchecked)
        raise WrongMomentError(
            ngettext(
                "%(num)d nomination has not been checked. Accept or withdraw it before the poll starts.",
                "%(num)d nominations have not been checked. Accept or withdraw them before the poll starts.",
                count,
            )
        )
    closes_at = timing.uk_datetime(election.voting_closes_on, CLOSING_HOUR, CLOSING_MINUTE)
    if closes_at <= timing.now():
        raise WrongMomentError(
            _(
                "Voting was due to close on %(day)s, which has passed.",
                day=timing.format_date(election.voting_closes_on),
            )
        )
    for lapsed in queries.nominations(election, [NominationStatus.AWAITING_CONSENT]):
        lapsed.nomination.status = NominationStatus.WITHDRAWN
        lapsed.nomination.withdrawn_reason = _("The candidate had not agreed to stand when nominations closed.")
    valid = queries.nominations(election, [NominationStatus.VALID])
    society = db.session.scalar(select(Society).where(Society.id == election.society_id))
    outcomes: dict[int, SeatOutcome] = {}
    for constituency in queries.constituencies(election):
        seat = constituency.seat
        standing = [c for c in valid if c.nomination.seat_id == seat.id]
        if len(standing) > seat.seats:
            seat.ballot_id = _open_ballot(election, society, constituency, standing, closes_at, by).id
            seat.outcome = SeatOutcome.CONTESTED
        else:
            seat.outcome = SeatOutcome.UNOPPOSED if standing else SeatOutcome.UNFILLED
            for candidacy in standing:
                candidacy.nomination.result = CandidateResult.ELECTED_UNOPPOSED
        outcomes[seat.id] = seat.outcome
    election.status = ElectionStatus.VOTING
    db.session.flush()
    _event("poll_started", election, by, outcomes={str(k): v.value for k, v in outcomes.items()})
    if SeatOutcome.CONTESTED not in outcomes.values():
        _declare(election, by)
    return outcomes


def _open_ballot(election, society, constituency, standing, closes_at: datetime, by) -> Ballot:
    """A ranked ballot for one constituency, through the voting engine, opened now."""
    try:
        ballot = ballots.create_ballot(
            title=_("%(election)s: %(constituency)s", election=election.title, constituency=constituency.name),
            description=election.description,
            kind=BallotKind.RANKED,
            module=module_for(society),
            by=by,
        )
        ballots.update_rules(
            ballot,
            method=election.method,
            parameters={"seats": constituency.seat.seats},
            tie_break_rule="lexicographic",
            by=by,
        )
        for candidacy in standing:
            ballots.add_option(ballot, key=option_key(candidacy.nomination), title=candidacy.name, by=by)
        ballots.update_electorate(ballot, electorate_for(election, constituency.member_class.id), by=by)
        ballots.update_window(ballot, opens_at=None, closes_at=closes_at, by=by)
        ballots.open_ballot(ballot, by=by)
    except ballots.VotingError as exc:
        raise WrongMomentError(
            _(
                "The ballot for the %(name)s constituency could not open: %(reason)s",
                name=constituency.name,
                reason=exc.message,
            )
        ) from None
    return ballot


def close_voting(election: Election, *, by: User | int | None) -> list[int]:
    """Close every ballot of the election that is still open (early, before its closing time)."""
    _require_status(election, ElectionStatus.VOTING)
    closed = []
    for ballot in queries.ballots(election).values():
        if ballot.status is BallotStatus.OPEN and ballots.close_ballot(ballot, by, early=True):
            closed.append(ballot.id)
    _event("voting_closed", election, by, ballots=closed)
    return closed


def request_counts(election: Election, *, by: User | int | None) -> list[str]:
    """Ask the engine's counting job to count every closed ballot (enqueued after commit). Returns the job ids."""
    _require_status(election, ElectionStatus.VOTING)
    found = queries.ballots(election)
    still_open = [b for b in found.values() if b.status in (BallotStatus.OPEN, BallotStatus.SCHEDULED)]
    if still_open:
        raise WrongMomentError(_("Voting is still open. Close it before counting."))
    jobs = []
    for ballot in found.values():
        if ballot.status is BallotStatus.CLOSED:
            try:
                jobs.append(counting.request_count(ballot, actor_user_id=_user_id(by)))
            except counting.CountError as exc:
                raise WrongMomentError(str(exc)) from None
    return jobs


def all_counted(election: Election) -> bool:
    found = queries.ballots(election).values()
    return all(b.status in (BallotStatus.COUNTED, BallotStatus.PUBLISHED) for b in found)


def declare(election: Election, *, by: User | int | None) -> list[BodyMember]:
    """Publish every constituency's count and record who was elected. Needs every ballot counted."""
    _require_status(election, ElectionStatus.VOTING)
    if not all_counted(election):
        raise WrongMomentError(_("Every constituency's ballot must be counted before the result is declared."))
    return _declare(election, by)


def winners(ballot: Ballot) -> list[str]:
    """The option keys the ballot's stored count elected."""
    result = counting.current_result(ballot)
    if result is None:
        return []
    return list(json.loads(result.document)["winners"])


def _declare(election: Election, by: User | int | None) -> list[BodyMember]:
    found = queries.ballots(election)
    for ballot in found.values():
        if ballot.status is BallotStatus.COUNTED:
            counting.publish(ballot, actor_user_id=_user_id(by))
    elected_keys = {key for ballot in found.values() for key in winners(ballot)}
    starts = timing.today()
    ends = _years_later(starts, election.term_years)
    recorded = []
    for candidacy in queries.nominations(election, [NominationStatus.VALID]):
        nomination = candidacy.nomination
        if nomination.result is None:
            elected = option_key(nomination) in elected_keys
            nomination.result = CandidateResult.ELECTED if elected else CandidateResult.NOT_ELECTED
        if nomination.result is CandidateResult.NOT_ELECTED:
            continue
        member = BodyMember(
            society_id=election.society_id,
            election_id=election.id,
            nomination_id=nomination.id,
            member_id=nomination.member_id,
            member_class_id=candidacy.candidate.member_class_id,
            body_name=election.body_name,
            term_starts_on=starts,
            term_ends_on=ends,
            unopposed=nomination.result is CandidateResult.ELECTED_UNOPPOSED,
        )
        db.session.add(member)
        recorded.append(member)
    election.status = ElectionStatus.DECLARED
    election.declared_at = timing.now()
    db.session.flush()
    _event(
        "declared",
        election,
        by,
        elected=[m.member_id for m in recorded],
        term_starts_on=starts.isoformat(),
        term_ends_on=ends.isoformat(),
        ballots={str(seat_id): b.id for seat_id, b in found.items()},
    )
    return recorded


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)
