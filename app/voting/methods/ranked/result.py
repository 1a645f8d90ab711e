"""Round-by-round results of a ranked count, and their canonical, hashed form.

Every ranked method publishes the same shape, so one table renders them all:

* ``stages``: one row per stage (round) with every candidate's votes, the change
  since the previous row (``transfers``), the value that left the count at that
  stage and in total (``non_transferable``: exhausted papers and, in STV, value
  lost to truncation), the quota in force, who was elected, deemed elected
  (filling the last vacancies) or excluded, and how any tie was resolved.
* Vote quantities are decimal strings with the method's fixed number of
  places (``precision``); canonical JSON refuses floats.
* At every stage the candidates' votes plus the non-transferable total equal
  the valid vote exactly (the tests check it on random elections).

``as_dict()`` is the published result; its ``sha256`` is the SHA-256 of the
canonical JSON of everything else in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from app.voting.methods.canonical import result_hash
from app.voting.methods.ranked.lookback import TieRecord
from app.voting.methods.ties import TieBreak


@dataclass(frozen=True)
class Stage:
    """One stage (round) of a count; quantities are decimal strings."""

    number: int
    action: str
    subject: str | None
    votes: tuple[str, ...]
    transfers: tuple[str, ...]
    non_transferable: str
    non_transferable_total: str
    quota: str
    elected: tuple[str, ...] = ()
    deemed_elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    ties: tuple[TieRecord, ...] = ()
    notes: dict[str, Any] = field(default_factory=dict)

    def as_dict(self, candidates: tuple[str, ...]) -> dict[str, Any]:
        return {
            "stage": self.number,
            "action": self.action,
            "subject": self.subject,
            "votes": dict(zip(candidates, self.votes, strict=True)),
            "transfers": dict(zip(candidates, self.transfers, strict=True)),
            "non_transferable": self.non_transferable,
            "non_transferable_total": self.non_transferable_total,
            "quota": self.quota,
            "elected": list(self.elected),
            "deemed_elected": list(self.deemed_elected),
            "excluded": list(self.excluded),
            "ties": [t.as_dict() for t in self.ties],
            "notes": self.notes,
        }


@dataclass(frozen=True)
class RankedResult:
    """The common result of a ranked count; subclasses name the method."""

    METHOD: ClassVar[str] = ""
    RULES_VERSION: ClassVar[str] = ""
    PRECISION: ClassVar[int] = 0

    candidates: tuple[str, ...]
    withdrawn: tuple[str, ...]
    seats: int
    valid_papers: int
    empty_papers: int
    quota: str
    winners: tuple[str, ...]
    excluded: tuple[str, ...]
    stages: tuple[Stage, ...]
    tie_break: TieBreak
    parameters: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        body = {
            "method": self.METHOD,
            "rules_version": self.RULES_VERSION,
            "precision": self.PRECISION,
            "parameters": self.parameters,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "withdrawn": list(self.withdrawn),
            "valid_papers": self.valid_papers,
            "empty_papers": self.empty_papers,
            "quota": self.quota,
            "winners": list(self.winners),
            "excluded": list(self.excluded),
            "rounds": [s.as_dict(self.candidates) for s in self.stages],
            "tie_break": self.tie_break.as_dict(),
        }
        return body | {"sha256": result_hash(body)}
