"""Paper ballots typed in by officers, twice, by two different officers (double entry).

The rule:

1. **First entry.** An officer types the serial number printed on the paper
   and its choices. The choices are checked exactly as an online paper's are
   (:func:`app.voting.papers.validate_paper`); a paper that breaks a rule is
   refused with the rule's message and nothing is stored.
2. **Second entry.** A *different* officer types the same paper again,
   without seeing the first entry (no page shows an entry's choices). The
   officer who made the first entry is refused.
3. **Match.** Equal entries (compared in canonical form) confirm the paper: it
   goes into the ballot box through :func:`app.voting.operations.cast_paper`
   with channel ``paper``, dated with the day only, and the choices are then
   cleared from the entry row, so the serial number no longer leads to them.
4. **Mismatch.** Different entries flag the paper for a third look: a third
   officer (neither of the first two) types it from the paper again, and it is
   confirmed when that entry agrees with one of the first two. If it agrees
   with neither, an officer starts the paper again (the entries are deleted).

Paper voters get **no participation row**: the paper register (who was handed
a paper) is kept outside the app, so the app knows that a paper was cast, never
by whom. A council that marks paper voters on its register does so there.

Every step is audited (``ballot.paper_entered``, ``ballot.paper_resolved``,
``ballot.paper_entry_restarted``) with the serial number and the outcome,
never with the choices. Papers can be entered while the ballot is open or
closed, until the count (:data:`app.voting.operations.ACCEPTS_PAPERS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, select
from sqlalchemy.dialects.postgresql import insert

from app.audit.operations import record_event
from app.extensions import db
from app.i18n import _l
from app.voting import timing
from app.voting.models import Ballot, BallotOption, Channel, PaperEntry, PaperEntryStatus
from app.voting.operations import ACCEPTS_PAPERS, STATUS_WORDS, ballot_options, cast_paper, lock_ballot
from app.voting.papers import validate_paper
from tenants.context import current_council_id

SUBJECT = "ballot"


class EntryError(ValueError):
    """A paper entry the rules refuse; ``status`` is the HTTP status a view answers with."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class EntryOutcome:
    """What an entry did: ``first``, ``confirmed`` or ``mismatch``."""

    step: str
    entry: PaperEntry


def _open_for_papers(ballot: Ballot) -> Ballot:
    ballot = lock_ballot(ballot, share=True)
    if ballot.status not in ACCEPTS_PAPERS:
        raise EntryError(
            _l(
                "Paper ballots can be entered while the ballot is open or closed, before the count. "
                "The status of this ballot is “%(status)s”.",
                status=STATUS_WORDS[ballot.status],
            )
        )
    return ballot


def _event(action: str, ballot: Ballot, officer_id: int, **payload: Any) -> None:
    record_event(f"ballot.{action}", SUBJECT, ballot.id, payload=payload, actor_user_id=officer_id)


def _confirm(ballot: Ballot, entry: PaperEntry, content: Any, options: list[BallotOption]) -> None:
    cast_paper(ballot, content, channel=Channel.PAPER, cast_on=timing.today(), options=options)
    entry.status = PaperEntryStatus.CONFIRMED
    # The paper is in the box; the serial number must not lead back to its choices.
    # JSON null: the column is NOT NULL (an entry always had a first entry).
    entry.first_content = JSON.NULL
    entry.second_content = None


def enter_paper(ballot: Ballot, serial: str, content: Any, *, officer_id: int) -> EntryOutcome:
    """Record one officer's entry of a paper (the rule is in the module docstring). Flushes."""
    ballot = _open_for_papers(ballot)
    serial = serial.strip()
    if not serial:
        raise EntryError(_l("Enter the serial number printed on the paper"), 400)
    options = ballot_options(ballot)
    canonical = validate_paper(ballot, options, content)
    entry = _entry_by_serial(ballot, serial)
    if entry is None:
        created = db.session.execute(
            insert(PaperEntry)
            .values(
                council_id=current_council_id(),
                ballot_id=ballot.id,
                serial=serial,
                first_content=canonical,
                first_by_id=officer_id,
                status=PaperEntryStatus.AWAITING_SECOND,
            )
            .on_conflict_do_nothing(index_elements=["council_id", "ballot_id", "serial"])
            .returning(PaperEntry.id)
        ).scalar_one_or_none()
        entry = _entry_by_serial(ballot, serial)
        if created is not None:
            _event("paper_entered", ballot, officer_id, serial=serial, entry="first")
            return EntryOutcome("first", entry)
        # Another officer's first entry of this serial committed a moment ago: this is the second.
    if entry.status is PaperEntryStatus.CONFIRMED:
        raise EntryError(_l("Paper %(serial)s has already been entered twice and is in the ballot box.", serial=serial))
    if entry.status is PaperEntryStatus.MISMATCH:
        raise EntryError(
            _l("The two entries of paper %(serial)s differ. It needs a third look by another officer.", serial=serial)
        )
    if entry.first_by_id == officer_id:
        raise EntryError(
            _l(
                "You made the first entry of paper %(serial)s. A different officer must make the second entry.",
                serial=serial,
            ),
            403,
        )
    entry.second_content = canonical
    entry.second_by_id = officer_id
    if canonical == entry.first_content:
        _confirm(ballot, entry, canonical, options)
        step = "confirmed"
    else:
        entry.status = PaperEntryStatus.MISMATCH
        step = "mismatch"
    db.session.flush()
    _event("paper_entered", ballot, officer_id, serial=serial, entry="second", outcome=step)
    return EntryOutcome(step, entry)


def resolve_mismatch(ballot: Ballot, entry: PaperEntry, content: Any, *, officer_id: int) -> EntryOutcome:
    """A third officer's entry of a mismatched paper: confirmed if it agrees with either earlier entry."""
    ballot = _open_for_papers(ballot)
    entry = _lock_entry(entry)
    if entry.status is not PaperEntryStatus.MISMATCH:
        raise EntryError(_l("Paper %(serial)s is not waiting for a third look.", serial=entry.serial))
    if officer_id in (entry.first_by_id, entry.second_by_id):
        raise EntryError(
            _l(
                "You entered paper %(serial)s already. An officer who has not entered it must take the third look.",
                serial=entry.serial,
            ),
            403,
        )
    options = ballot_options(ballot)
    canonical = validate_paper(ballot, options, content)
    if canonical not in (entry.first_content, entry.second_content):
        _event("paper_resolved", ballot, officer_id, serial=entry.serial, outcome="agrees_with_neither")
        raise EntryError(
            _l(
                "Your entry of paper %(serial)s agrees with neither earlier entry. Check the paper again, "
                "or start this paper again so that two officers enter it afresh.",
                serial=entry.serial,
            ),
            422,
        )
    _confirm(ballot, entry, canonical, options)
    db.session.flush()
    _event("paper_resolved", ballot, officer_id, serial=entry.serial, outcome="confirmed")
    return EntryOutcome("confirmed", entry)


def restart_entry(ballot: Ballot, entry: PaperEntry, *, officer_id: int) -> None:
    """Delete an unconfirmed entry so that the paper is entered afresh by two officers."""
    ballot = _open_for_papers(ballot)
    entry = _lock_entry(entry)
    if entry.status is PaperEntryStatus.CONFIRMED:
        raise EntryError(
            _l("Paper %(serial)s is already in the ballot box and cannot be started again.", serial=entry.serial)
        )
    serial, status = entry.serial, entry.status.value
    db.session.delete(entry)
    db.session.flush()
    _event("paper_entry_restarted", ballot, officer_id, serial=serial, previous_status=status)


def _entry_by_serial(ballot: Ballot, serial: str) -> PaperEntry | None:
    return db.session.scalar(
        select(PaperEntry)
        .where(PaperEntry.ballot_id == ballot.id, PaperEntry.serial == serial)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _lock_entry(entry: PaperEntry) -> PaperEntry:
    locked = db.session.scalar(
        select(PaperEntry).where(PaperEntry.id == entry.id).with_for_update().execution_options(populate_existing=True)
    )
    if locked is None:
        raise EntryError(_l("That paper entry no longer exists."), 404)
    return locked


def entries(ballot: Ballot) -> list[PaperEntry]:
    """The ballot's paper entries, by serial number (for the officers' list; never shows choices)."""
    return list(db.session.scalars(select(PaperEntry).where(PaperEntry.ballot_id == ballot.id)))


def entry_counts(ballot: Ballot) -> dict[str, int]:
    counts = {s.value: 0 for s in PaperEntryStatus}
    for entry in entries(ballot):
        counts[entry.status.value] += 1
    return counts
