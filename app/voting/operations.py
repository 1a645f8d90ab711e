"""Ballot writes: configuration, the lifecycle, and casting. Flush, never commit (but see :func:`store_vote`).

Lifecycle: draft → scheduled → open → closed → counted → published (a
scheduled ballot may go back to draft; a draft may open at once).
:func:`transition` is the only place the status changes, and refuses any other
move. Everything that decides how papers are read and counted (method,
parameters, electorate, tie-break rule, options) may change only while the
ballot is a draft or scheduled; when it opens it is frozen and hashed into its
``rules_version``. A later attempt to change it is refused
(:class:`BallotFrozenError`, HTTP 409) and recorded in the audit chain; the
caller commits that record before answering.

Casting (:func:`cast_vote`: :func:`check_vote`, then :func:`store_vote`) is one
transaction: the ballot row is share-locked (closing waits for votes in flight,
and no vote lands after a close), the participation row is inserted with
``ON CONFLICT DO NOTHING`` on the unique (council, ballot, voter) key, and only
when that inserted a row is the paper written (both in one statement). Two
submissions by one person, however close together, give one participation row
and one paper; the other is refused.

Nothing here logs, audits or puts in an exception message what a paper says.
Casting writes no audit entry at all: the chain's per-council lock would
serialise every vote, and an entry per voter with a timestamp would sit next to
the papers. The ballot's open and close entries record the totals instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError

from app.audit.operations import record_event
from app.auth.models import User
from app.extensions import db
from app.i18n import LazyString, _l, gettext, in_english
from app.voting import casting, receipts, rules, timing
from app.voting.electorate import ElectorateError, check_electorate, electorate_size, is_eligible
from app.voting.methods.ties import new_seed
from app.voting.models import Ballot, BallotKind, BallotOption, BallotPaper, BallotStatus, Channel, Participation
from app.voting.papers import PaperError, validate_paper
from tenants.context import current_council_id
from tenants.features import MODULES

SUBJECT = "ballot"

TRANSITIONS: dict[BallotStatus, frozenset[BallotStatus]] = {
    BallotStatus.DRAFT: frozenset({BallotStatus.SCHEDULED, BallotStatus.OPEN}),
    BallotStatus.SCHEDULED: frozenset({BallotStatus.DRAFT, BallotStatus.OPEN}),
    BallotStatus.OPEN: frozenset({BallotStatus.CLOSED}),
    BallotStatus.CLOSED: frozenset({BallotStatus.COUNTED}),
    BallotStatus.COUNTED: frozenset({BallotStatus.PUBLISHED}),
    BallotStatus.PUBLISHED: frozenset(),
}
EDITABLE = frozenset({BallotStatus.DRAFT, BallotStatus.SCHEDULED})
# Papers may be added (online while open; from paper ballots until the count).
ACCEPTS_PAPERS = frozenset({BallotStatus.OPEN, BallotStatus.CLOSED})

# Lazy: these fill the ``%(status)s`` of sentences shown to people, in their language.
# A status's name, quoted inside sentences ("its status is “Closed”"): as a quoted name it keeps
# one form in every language, where an adjective would change form (Welsh mutation after "yn").
STATUS_WORDS = {
    BallotStatus.DRAFT: _l("Draft"),
    BallotStatus.SCHEDULED: _l("Scheduled"),
    BallotStatus.OPEN: _l("Open"),
    BallotStatus.CLOSED: _l("Closed"),
    BallotStatus.COUNTED: _l("Counted"),
    BallotStatus.PUBLISHED: _l("Published"),
}

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


# --- errors ----------------------------------------------------------------------------------------


class VotingError(Exception):
    """A refusal a person can cause. ``status`` is the HTTP status a view answers with."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IllegalTransitionError(VotingError):
    status = 409


class BallotFrozenError(VotingError):
    """A change to a ballot that has opened (already recorded in the audit chain)."""

    status = 409


class BallotNotReadyError(VotingError):
    """The ballot cannot be scheduled or opened yet; ``problems`` says what is missing."""

    status = 400

    def __init__(self, problems: list[str]) -> None:
        # The problems are themselves lazy, so the whole message is built when it is shown.
        super().__init__(
            LazyString(
                lambda: gettext("The ballot is not ready: %(problems)s", problems="; ".join(str(p) for p in problems))
            )
        )
        self.problems = problems


class NotOpenError(VotingError):
    status = 403


class NotEligibleError(VotingError):
    status = 403


class AlreadyVotedError(VotingError):
    status = 409

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message if message is not None else _l("You have already voted in this ballot"))


class StaleBallotError(VotingError):
    """The ballot row changed (or closed) after the caller read it; nothing was stored. Read it again and retry."""

    status = 409

    def __init__(self) -> None:
        super().__init__(_l("The ballot changed while your vote was being sent, and nothing was saved. Try again."))


class CastingError(VotingError):
    """The paper could not be stored; nothing was (the caller rolls back)."""

    status = 503


class OptionError(VotingError):
    """An option that cannot be saved; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- reading what operations need ------------------------------------------------------------------


def ballot_options(ballot: Ballot) -> list[BallotOption]:
    """The ballot's options in ballot-paper order."""
    return list(
        db.session.scalars(
            select(BallotOption)
            .where(BallotOption.ballot_id == ballot.id)
            .order_by(BallotOption.position, BallotOption.id)
        )
    )


def lock_ballot(ballot: Ballot, *, share: bool = False) -> Ballot:
    """Lock ``ballot``'s row for this transaction and refresh it from the database.

    ``share`` takes ``FOR SHARE`` (casting: many at once, but a status change waits);
    otherwise ``FOR UPDATE`` (status changes and edits: one at a time).
    """
    query = select(Ballot).where(Ballot.id == ballot.id).execution_options(populate_existing=True)
    query = query.with_for_update(read=True) if share else query.with_for_update()
    locked = db.session.scalar(query)
    if locked is None:  # deleted under us; cannot happen through the app
        raise IllegalTransitionError(_l("The ballot no longer exists"))
    return locked


# --- the state machine -----------------------------------------------------------------------------


def transition(ballot: Ballot, to: BallotStatus) -> Ballot:
    """Move ``ballot`` to status ``to``, or :class:`IllegalTransitionError` naming both states.

    Stamps ``opened_at``, ``closed_at`` or ``published_at`` the first time the
    ballot reaches that state. Callers lock the row first (:func:`lock_ballot`)
    and record the audit event.
    """
    to = BallotStatus(to)
    current = ballot.status
    if to not in TRANSITIONS[current]:
        raise IllegalTransitionError(
            _l(
                "A ballot with the status “%(current)s” cannot become “%(to)s”",
                current=STATUS_WORDS[current],
                to=STATUS_WORDS[to],
            )
        )
    ballot.status = to
    moment = timing.now()
    if to is BallotStatus.OPEN and ballot.opened_at is None:
        ballot.opened_at = moment
    elif to is BallotStatus.CLOSED and ballot.closed_at is None:
        ballot.closed_at = moment
    elif to is BallotStatus.PUBLISHED and ballot.published_at is None:
        ballot.published_at = moment
    db.session.flush()
    return ballot


def _user_id(by: User | int | None) -> int | None:
    if by is None or isinstance(by, int):
        return by
    return by.id


def _event(action: str, ballot: Ballot, by: User | int | None, **payload: Any) -> None:
    record_event(f"ballot.{action}", SUBJECT, ballot.id, payload=payload, actor_user_id=_user_id(by))


def refuse_change(ballot: Ballot, what: str, by: User | int | None = None) -> BallotFrozenError:
    """Record a refused change to a ballot that is no longer editable, and return the error to raise.

    ``what`` names the part ("options", "rules", "electorate", "details", "window").
    The caller commits, so the record survives the refusal.
    """
    _event("change_refused", ballot, by, attempted=what, status=ballot.status.value)
    if ballot.status is BallotStatus.OPEN:
        reason = _l(
            "This ballot is open, so its rules, options and who can vote are fixed. "
            "Close it early if it must stop; nothing about it can be changed while people are voting."
        )
    else:
        reason = _l(
            "The status of this ballot is “%(status)s”: its rules, options and who can vote can no longer change.",
            status=STATUS_WORDS[ballot.status],
        )
    return BallotFrozenError(reason)


def _require_editable(ballot: Ballot, what: str, by: User | int | None) -> Ballot:
    ballot = lock_ballot(ballot)
    if ballot.status not in EDITABLE:
        raise refuse_change(ballot, what, by)
    return ballot


# --- configuring a ballot --------------------------------------------------------------------------


def _check_module(module: str | None) -> str | None:
    if module in (None, ""):
        return None
    if module not in MODULES:
        raise OptionError(_l("Choose a module from the list"), "module")
    return module


def create_ballot(
    *, title: str, description: str, kind: BallotKind, module: str | None, by: User | int | None
) -> Ballot:
    """A new draft ballot of ``kind``, with the kind's default method and parameters.

    Residents of the council may vote by default; the officer changes that on the
    ballot's page.
    """
    kind = BallotKind(kind)
    ballot = Ballot(
        title=title.strip(),
        description=(description or "").strip(),
        kind=kind,
        method=rules.default_method(kind),
        module=_check_module(module),
        parameters=rules.default_parameters(kind),
        electorate={"type": "council_role", "roles": ["resident"]},
        status=BallotStatus.DRAFT,
        tie_break_rule="lexicographic",
    )
    db.session.add(ballot)
    db.session.flush()
    _event("created", ballot, by, kind=kind.value, method=ballot.method, module=ballot.module)
    return ballot


def update_details(
    ballot: Ballot, *, title: str, description: str, kind: BallotKind, module: str | None, by: User | int | None
) -> Ballot:
    """Change the title, description, kind or module of a draft or scheduled ballot.

    A new kind starts again from that kind's default method and parameters.
    """
    ballot = _require_editable(ballot, "details", by)
    kind = BallotKind(kind)
    changed = []
    new = {"title": title.strip(), "description": (description or "").strip(), "module": _check_module(module)}
    for name, value in new.items():
        if getattr(ballot, name) != value:
            setattr(ballot, name, value)
            changed.append(name)
    if kind is not ballot.kind:
        ballot.kind = kind
        ballot.method = rules.default_method(kind)
        ballot.parameters = rules.default_parameters(kind)
        changed += ["kind", "method", "parameters"]
    db.session.flush()
    if changed:
        _event("updated", ballot, by, fields=changed)
    return ballot


def update_rules(
    ballot: Ballot, *, method: str, parameters: Mapping[str, Any], tie_break_rule: str, by: User | int | None
) -> Ballot:
    """Set the counting method, its parameters and the tie-break rule (draft or scheduled only).

    For budget division, floors and ceilings are kept unless ``parameters`` gives them
    (they are set line by line with the options).
    """
    ballot = _require_editable(ballot, "rules", by)
    merged = dict(parameters)
    if ballot.kind is BallotKind.DIVISION:
        current = ballot.parameters or {}
        merged.setdefault("floors", current.get("floors", {}))
        merged.setdefault("ceilings", current.get("ceilings", {}))
    try:
        checked = rules.check_parameters(ballot.kind, method, merged)
    except rules.RulesError as exc:
        raise OptionError(exc.message, exc.field) from None
    if tie_break_rule not in rules.TIE_BREAK_RULES:
        raise OptionError(_l("Choose how ties are broken"), "tie_break_rule")
    ballot.method = method
    ballot.parameters = checked
    ballot.tie_break_rule = tie_break_rule
    db.session.flush()
    _event("rules_updated", ballot, by, method=method, parameters=checked, tie_break=tie_break_rule)
    return ballot


def update_electorate(ballot: Ballot, electorate: Mapping[str, Any], *, by: User | int | None) -> Ballot:
    """Set who may vote (draft or scheduled only)."""
    ballot = _require_editable(ballot, "electorate", by)
    try:
        checked = check_electorate(electorate)
    except ElectorateError as exc:
        raise OptionError(exc.message, "electorate") from None
    ballot.electorate = checked
    db.session.flush()
    _event("electorate_updated", ballot, by, electorate=checked)
    return ballot


def window_problems(opens_at: datetime | None, closes_at: datetime | None, *, needs_opening: bool) -> list[str]:
    """What is wrong with a voting window that must start in the future (``needs_opening``) or now."""
    moment = timing.now()
    problems = []
    if needs_opening:
        if opens_at is None:
            problems.append(_l("Set when voting opens"))
        elif opens_at <= moment:
            problems.append(_l("The opening time must be in the future"))
    if closes_at is None:
        problems.append(_l("Set when voting closes"))
    elif closes_at <= moment:
        problems.append(_l("The closing time must be in the future"))
    elif opens_at is not None and needs_opening and closes_at <= opens_at:
        problems.append(_l("The closing time must be after the opening time"))
    return problems


def update_window(
    ballot: Ballot, *, opens_at: datetime | None, closes_at: datetime | None, by: User | int | None
) -> Ballot:
    """Set the opening and closing times (draft or scheduled only).

    A scheduled ballot's new window must still open in the future.
    """
    ballot = _require_editable(ballot, "window", by)
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise OptionError(_l("The closing time must be after the opening time"), "closes_at")
    if ballot.status is BallotStatus.SCHEDULED:
        problems = window_problems(opens_at, closes_at, needs_opening=True)
        if problems:
            raise OptionError(problems[0], "opens_at" if "open" in in_english(problems[0]) else "closes_at")
    ballot.opens_at = opens_at
    ballot.closes_at = closes_at
    db.session.flush()
    _event("window_updated", ballot, by, opens_at=_iso(opens_at), closes_at=_iso(closes_at))
    return ballot


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(timing.UK).isoformat()


# --- options ---------------------------------------------------------------------------------------


def _slug_key(title: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:32] or "option"
    key, n = base, 2
    while key in taken:
        key = f"{base}-{n}"
        n += 1
    return key


def _check_option(
    ballot: Ballot, option: BallotOption | None, key: str, title: str, cost_pence: int | None
) -> tuple[str, str]:
    if ballot.kind not in rules.KINDS_WITH_OPTIONS:
        raise OptionError(_l("A resolution has no options: the motion is its description"))
    title = (title or "").strip()
    if not title:
        raise OptionError(_l("Enter a title"), "title")
    if len(title) > 200:
        raise OptionError(_l("Title must be 200 characters or fewer"), "title")
    others = {o.key for o in ballot_options(ballot) if option is None or o.id != option.id}
    key = (key or "").strip()
    if not key:
        key = option.key if option is not None else _slug_key(title, others)
    if not KEY_PATTERN.match(key):
        raise OptionError(
            _l(
                "Key must start with a letter or digit and use only letters, digits, dots, dashes and underscores "
                "(40 characters at most)"
            ),
            "key",
        )
    if key in others:
        raise OptionError(_l("Another option on this ballot already has that key"), "key")
    if ballot.kind is BallotKind.PB and cost_pence is None:
        raise OptionError(_l("Enter the project's cost"), "cost")
    if cost_pence is not None and not 0 <= cost_pence <= rules.MAX_PENCE:
        raise OptionError(_l("Enter a cost of £0 or more"), "cost")
    return key, title


def _set_bounds(ballot: Ballot, old_key: str | None, key: str, floor: int | None, ceiling: int | None) -> None:
    if ballot.kind is not BallotKind.DIVISION:
        return
    params = dict(ballot.parameters or {})
    floors = {k: v for k, v in dict(params.get("floors", {})).items() if k not in (old_key, key)}
    ceilings = {k: v for k, v in dict(params.get("ceilings", {})).items() if k not in (old_key, key)}
    if floor:
        floors[key] = floor
    if ceiling is not None:
        ceilings[key] = ceiling
    params["floors"], params["ceilings"] = floors, ceilings
    ballot.parameters = params


def add_option(
    ballot: Ballot,
    *,
    title: str,
    key: str = "",
    description: str = "",
    cost_pence: int | None = None,
    floor_pence: int | None = None,
    ceiling_pence: int | None = None,
    by: User | int | None,
) -> BallotOption:
    """Add an option at the end of the ballot paper (draft or scheduled only).

    ``key`` is the id counts and open formats use; when blank it is made from
    the title. Floors and ceilings apply to budget-division lines.
    """
    ballot = _require_editable(ballot, "options", by)
    key, title = _check_option(ballot, None, key, title, cost_pence)
    last = db.session.scalar(select(func.max(BallotOption.position)).where(BallotOption.ballot_id == ballot.id))
    option = BallotOption(
        ballot_id=ballot.id,
        key=key,
        title=title,
        description=(description or "").strip(),
        cost_pence=cost_pence,
        position=(last or 0) + 1,
    )
    db.session.add(option)
    _set_bounds(ballot, None, key, floor_pence, ceiling_pence)
    db.session.flush()
    _event("option_added", ballot, by, key=key, cost=cost_pence)
    return option


def update_option(
    option: BallotOption,
    ballot: Ballot,
    *,
    title: str,
    key: str = "",
    description: str = "",
    cost_pence: int | None = None,
    floor_pence: int | None = None,
    ceiling_pence: int | None = None,
    by: User | int | None,
) -> BallotOption:
    """Change an option (draft or scheduled only)."""
    ballot = _require_editable(ballot, "options", by)
    old_key = option.key
    key, title = _check_option(ballot, option, key, title, cost_pence)
    option.key, option.title = key, title
    option.description = (description or "").strip()
    option.cost_pence = cost_pence
    _set_bounds(ballot, old_key, key, floor_pence, ceiling_pence)
    db.session.flush()
    _event("option_updated", ballot, by, key=key, previous_key=old_key, cost=cost_pence)
    return option


def remove_option(option: BallotOption, ballot: Ballot, *, by: User | int | None) -> None:
    """Remove an option, and its floor and ceiling (draft or scheduled only)."""
    ballot = _require_editable(ballot, "options", by)
    key = option.key
    _set_bounds(ballot, key, key, None, None)
    db.session.delete(option)
    db.session.flush()
    for position, remaining in enumerate(ballot_options(ballot), start=1):
        remaining.position = position
    db.session.flush()
    _event("option_removed", ballot, by, key=key)


def move_option(option: BallotOption, ballot: Ballot, direction: str, *, by: User | int | None) -> None:
    """Move an option one place ``"up"`` or ``"down"`` the ballot paper (draft or scheduled only)."""
    ballot = _require_editable(ballot, "options", by)
    ordered = ballot_options(ballot)
    index = next(i for i, o in enumerate(ordered) if o.id == option.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    db.session.flush()
    _event("option_moved", ballot, by, key=option.key, direction=direction)


# --- scheduling, opening and closing ---------------------------------------------------------------


def schedule_ballot(ballot: Ballot, *, by: User | int | None) -> Ballot:
    """Schedule a ready draft to open at its opening time (which must be in the future)."""
    ballot = lock_ballot(ballot)
    if ballot.status is not BallotStatus.DRAFT:
        raise IllegalTransitionError(
            _l(
                "Only a draft can be scheduled; the status of this ballot is “%(status)s”",
                status=STATUS_WORDS[ballot.status],
            )
        )
    problems = rules.readiness_problems(ballot, ballot_options(ballot))
    problems += window_problems(ballot.opens_at, ballot.closes_at, needs_opening=True)
    if problems:
        raise BallotNotReadyError(problems)
    transition(ballot, BallotStatus.SCHEDULED)
    _event("scheduled", ballot, by, opens_at=_iso(ballot.opens_at), closes_at=_iso(ballot.closes_at))
    return ballot


def unschedule_ballot(ballot: Ballot, *, by: User | int | None) -> Ballot:
    """Take a scheduled ballot back to draft, so it will not open."""
    ballot = lock_ballot(ballot)
    transition(ballot, BallotStatus.DRAFT)
    _event("unscheduled", ballot, by)
    return ballot


def open_ballot(ballot: Ballot, *, by: User | int | None = None, trigger: str = "officer") -> Ballot:
    """Open a draft or scheduled ballot now, freezing its rules.

    The freeze: parameters and electorate in canonical form, ``rules_version``
    (:func:`app.voting.rules.rules_version`), the seed of the lot when ties are
    broken by lot (only its SHA-256 goes into the audit chain now; the seed
    itself is published with the result), and the size of the electorate.
    ``trigger`` is ``"officer"`` (open now) or ``"schedule"`` (its time came).
    """
    ballot = lock_ballot(ballot)
    if ballot.status not in (BallotStatus.DRAFT, BallotStatus.SCHEDULED):
        raise IllegalTransitionError(
            _l(
                "Only a draft or scheduled ballot can open; the status of this one is “%(status)s”",
                status=STATUS_WORDS[ballot.status],
            )
        )
    options = ballot_options(ballot)
    problems = rules.readiness_problems(ballot, options)
    problems += window_problems(None, ballot.closes_at, needs_opening=False)
    if problems:
        raise BallotNotReadyError(problems)
    moment = timing.now()
    if ballot.opens_at is None or ballot.opens_at > moment:
        ballot.opens_at = moment
    ballot.parameters = rules.check_parameters(ballot.kind, ballot.method, ballot.parameters)
    ballot.electorate = check_electorate(ballot.electorate)
    ballot.tie_break_seed = new_seed() if ballot.tie_break_rule == "lot" else None
    ballot.rules_version = rules.rules_version(ballot, options)
    ballot.electorate_size = electorate_size(ballot)
    transition(ballot, BallotStatus.OPEN)
    seed_hash = hashlib.sha256(ballot.tie_break_seed.encode()).hexdigest() if ballot.tie_break_seed else None
    _event(
        "opened",
        ballot,
        by,
        trigger=trigger,
        rules_version=ballot.rules_version,
        tie_break=ballot.tie_break_rule,
        seed_sha256=seed_hash,
        electorate_size=ballot.electorate_size,
        opens_at=_iso(ballot.opens_at),
        closes_at=_iso(ballot.closes_at),
    )
    return ballot


def close_ballot(ballot: Ballot, by: User | int | None = None, *, early: bool | None = None) -> bool:
    """Close an open ballot; ``False`` (and no change) if it is already closed or beyond.

    Waits for votes in flight (they hold the ballot row in share mode) and then
    rewrites the ballot's papers in place, so that each paper's row version
    carries this transaction's id rather than the id it shares with its
    voter's participation row: from here on, PostgreSQL's own bookkeeping
    (``xmin``) cannot pair a paper with a voter. While the ballot is open, only
    someone with direct access to the database could make that pairing.
    """
    ballot = lock_ballot(ballot)
    if ballot.status in (BallotStatus.CLOSED, BallotStatus.COUNTED, BallotStatus.PUBLISHED):
        return False
    if ballot.status is not BallotStatus.OPEN:
        raise IllegalTransitionError(
            _l(
                "Only an open ballot can close; the status of this one is “%(status)s”",
                status=STATUS_WORDS[ballot.status],
            )
        )
    moment = timing.now()
    if early is None:
        early = ballot.closes_at is None or moment < ballot.closes_at
    transition(ballot, BallotStatus.CLOSED)
    db.session.execute(
        update(BallotPaper)
        .where(BallotPaper.ballot_id == ballot.id)
        .values(cast_on=BallotPaper.cast_on)
        .execution_options(synchronize_session=False)
    )
    participation = db.session.scalar(
        select(func.count()).select_from(Participation).where(Participation.ballot_id == ballot.id)
    )
    papers = db.session.scalar(select(func.count()).select_from(BallotPaper).where(BallotPaper.ballot_id == ballot.id))
    _event("closed", ballot, by, early=early, participation=participation, papers=papers)
    return True


def advance_due_ballots(now: datetime | None = None) -> dict[str, list[int]]:
    """Open scheduled ballots whose time has come and close open ones whose time has passed.

    For the periodic job; safe to run any number of times (a ballot already
    moved is skipped). A scheduled ballot that is no longer ready goes back to
    draft, with the reasons in the audit chain, instead of failing every minute.
    """
    moment = now or timing.now()
    done: dict[str, list[int]] = {"opened": [], "closed": [], "not_ready": []}
    due = db.session.scalars(
        select(Ballot).where(Ballot.status == BallotStatus.SCHEDULED, Ballot.opens_at <= moment).order_by(Ballot.id)
    ).all()
    for ballot in due:
        locked = lock_ballot(ballot)
        if locked.status is not BallotStatus.SCHEDULED:
            continue
        try:
            open_ballot(locked, trigger="schedule")
        except BallotNotReadyError as exc:
            transition(locked, BallotStatus.DRAFT)
            _event("open_failed", locked, None, problems=[in_english(p) for p in exc.problems])
            done["not_ready"].append(locked.id)
        else:
            done["opened"].append(locked.id)
    closing = db.session.scalars(
        select(Ballot).where(Ballot.status == BallotStatus.OPEN, Ballot.closes_at <= moment).order_by(Ballot.id)
    ).all()
    for ballot in closing:
        if close_ballot(ballot, early=False):
            done["closed"].append(ballot.id)
    return done


# --- casting ---------------------------------------------------------------------------------------


def window_refusal(ballot: Ballot, moment: datetime | None = None) -> str | None:
    """Why ``ballot`` is not taking votes at ``moment`` (for the voter), or ``None`` when it is."""
    moment = moment or timing.now()
    status = ballot.status
    if status in (BallotStatus.DRAFT, BallotStatus.SCHEDULED) or (
        status is BallotStatus.OPEN and ballot.opens_at is not None and moment < ballot.opens_at
    ):
        if ballot.opens_at is not None and status is not BallotStatus.DRAFT:
            return _l(
                "This ballot is not open yet. Voting opens on %(when)s.", when=timing.format_datetime(ballot.opens_at)
            )
        return _l("This ballot is not open yet.")
    if status is not BallotStatus.OPEN or (ballot.closes_at is not None and moment >= ballot.closes_at):
        closed = ballot.closed_at or ballot.closes_at
        if closed is not None:
            return _l(
                "This ballot closed on %(when)s. Votes can no longer be cast.", when=timing.format_datetime(closed)
            )
        return _l("This ballot closed. Votes can no longer be cast.")
    return None


def has_voted(ballot: Ballot, user_id: int) -> bool:
    return (
        db.session.scalar(
            select(Participation.id).where(Participation.ballot_id == ballot.id, Participation.user_id == user_id)
        )
        is not None
    )


@dataclass(frozen=True)
class CheckedVote:
    """A vote that passed every check but the ones its insert makes; store it with :func:`store_vote`."""

    ballot: Ballot | Any  # the ballot, or its snapshot (app.voting.open_ballots)
    user_id: int
    canonical: Any  # the paper, validated and in canonical form
    code: str  # the receipt code: shown once, never stored (only its hash)


def check_vote(
    ballot: Ballot,
    user: User,
    content: Any,
    *,
    options: Sequence[BallotOption] | None = None,
    already_locked: bool = False,
) -> CheckedVote:
    """Check ``user``'s vote in ``ballot`` and draw its receipt code; nothing is written.

    Refusals, in this order: :class:`NotOpenError` (outside the window, 403),
    :class:`NotEligibleError` (outside the electorate, 403),
    :class:`~app.voting.papers.PaperError` (the paper breaks a rule), or
    :class:`AlreadyVotedError` (409) instead when the person has voted.
    ``already_locked`` says the caller read ``ballot`` ``FOR SHARE`` in this
    transaction, or passes a snapshot of it (:mod:`app.voting.open_ballots`),
    so it is not read again: either way the insert itself share-locks the row
    and stores nothing unless it is still open with ``ballot``'s rules version
    and window (:func:`store_vote`).
    """
    if not already_locked:
        ballot = lock_ballot(ballot, share=True)
    refusal = window_refusal(ballot)
    if refusal:
        raise NotOpenError(refusal)
    eligible, reason = is_eligible(ballot, user)
    if not eligible:
        raise NotEligibleError(reason)
    if options is None:  # the options are frozen once open, so a caller's copy is as good
        options = ballot_options(ballot)
    try:
        canonical = validate_paper(ballot, options, content)
    except PaperError:
        if has_voted(ballot, user.id):  # having voted is the answer, not what is wrong with this paper
            raise AlreadyVotedError() from None
        raise
    return CheckedVote(ballot=ballot, user_id=user.id, canonical=canonical, code=receipts.new_code())


def store_vote(vote: CheckedVote, *, commit: bool = False) -> None:
    """Store a checked vote: the participation row and the paper, in one statement (:mod:`app.voting.casting`).

    Refusals: :class:`AlreadyVotedError` (409; the first paper is untouched),
    :class:`StaleBallotError` when the ballot row no longer matches the one
    checked (the caller reads it afresh and tries again), and
    :class:`CastingError` when the statement failed. Nothing is stored on any
    of them. The caller commits, unless ``commit``: then the statement's
    ``COMMIT`` goes with it in one round trip (for the web's vote, the busiest
    write in the app), and the session is committed too, except after a
    :class:`CastingError`, when the caller rolls back as usual.

    Two submissions by one person, however close together, store one vote: a
    second is found by the participation row's unique key (``ON CONFLICT DO
    NOTHING``), not by a query beforehand.
    """
    send = casting.store_and_commit if commit else casting.store
    try:
        refused = send(vote.ballot, vote.user_id, vote.canonical, receipts.receipt_hash(vote.code), timing.today())
    except casting.StoreFailed:
        raise CastingError(_l("Your vote could not be stored, and nothing was saved. Try again.")) from None
    if refused is casting.Refused.BALLOT_CHANGED:
        raise StaleBallotError()
    if refused is casting.Refused.ALREADY_VOTED:
        raise AlreadyVotedError()


def cast_vote(
    ballot: Ballot,
    user: User,
    content: Any,
    *,
    options: Sequence[BallotOption] | None = None,
    already_locked: bool = False,
) -> str:
    """Cast ``user``'s vote in ``ballot`` (:func:`check_vote`, then :func:`store_vote`); returns the receipt code.

    The caller commits; on any error it rolls back.
    """
    vote = check_vote(ballot, user, content, options=options, already_locked=already_locked)
    store_vote(vote)
    return vote.code


def cast_paper(
    ballot: Ballot,
    content: Any,
    *,
    channel: Channel | str,
    cast_on: date,
    options: list[BallotOption] | None = None,
) -> str:
    """Validate ``content`` and insert it as a paper of ``ballot``; returns the paper's receipt code.

    The paper gets a random UUID, the content in canonical form, the SHA-256 of
    a fresh receipt code, the day only and the ballot's rules version: nothing
    that points at a voter. Used by online casting (after the participation row)
    and by officers entering paper ballots. Refuses (:class:`NotOpenError`) a
    ballot that has not opened or has been counted; :class:`PaperError` for a
    paper that breaks the rules. Flushes; the caller commits.
    """
    if ballot.status not in ACCEPTS_PAPERS or not ballot.rules_version:
        raise NotOpenError(
            _l(
                "Papers cannot be added to a ballot whose status is “%(status)s”",
                status=STATUS_WORDS[ballot.status],
            )
        )
    canonical = validate_paper(ballot, options if options is not None else ballot_options(ballot), content)
    code = receipts.new_code()
    failed = False
    try:
        db.session.execute(
            insert(BallotPaper).values(
                council_id=current_council_id(),
                ballot_id=ballot.id,
                content=canonical,
                receipt_hash=receipts.receipt_hash(code),
                channel=Channel(channel),
                cast_on=cast_on,
                rules_version=ballot.rules_version,
            )
        )
    except SQLAlchemyError:
        # The driver's message would quote the paper's content: raise outside the handler, without it.
        failed = True
    if failed:
        raise CastingError(_l("Your vote could not be stored, and nothing was saved. Try again."))
    return code


__all__ = [
    "AlreadyVotedError",
    "BallotFrozenError",
    "BallotNotReadyError",
    "CastingError",
    "CheckedVote",
    "IllegalTransitionError",
    "NotEligibleError",
    "NotOpenError",
    "OptionError",
    "PaperError",
    "VotingError",
    "add_option",
    "advance_due_ballots",
    "cast_paper",
    "cast_vote",
    "check_vote",
    "close_ballot",
    "create_ballot",
    "lock_ballot",
    "open_ballot",
    "refuse_change",
    "schedule_ballot",
    "store_vote",
    "transition",
]
