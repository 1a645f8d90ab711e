"""Electing the options with the highest totals: the last steps of the approval and points counts.

Both methods add up one whole number per option (approvals, points) and then
do the same thing with the totals:

* **Order.** Options are ranked by total, highest first; options with equal
  totals go in the order of the published tie-break rule
  (:class:`~app.voting.methods.ties.TieBreak`).
* **Winners.** The first ``seats`` options in that order are elected.
* **Tie at the cut.** When the last elected option and the first not elected
  have the same total, the tie-break decided who was elected; the result
  records that total, every option with it (in tie-break order) and which of
  them were elected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.voting.methods.ties import TieBreak


@dataclass(frozen=True)
class CutTie:
    """Options with equal totals on both sides of the last elected place; ``unit`` names the total."""

    unit: str
    total: int
    tied: tuple[str, ...]
    elected: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {self.unit: self.total, "tied": list(self.tied), "elected": list(self.elected)}


@dataclass(frozen=True)
class Election:
    """The ranking of all options, the winners and the tie at the cut if there was one."""

    ranking: tuple[str, ...]
    winners: tuple[str, ...]
    cut_tie: CutTie | None


def check_options_and_seats(options: Sequence[str], seats: int) -> None:
    """Refuse options that are not distinct non-empty ids, or a number of seats they cannot fill."""
    if not options or len(set(options)) != len(options) or not all(isinstance(o, str) and o for o in options):
        raise ValueError("options must be distinct, non-empty ids")
    if not 1 <= seats <= len(options):
        raise ValueError(f"seats must be between 1 and the number of options ({len(options)}); got {seats}")


def elect_highest(
    totals: Mapping[str, int], options: Sequence[str], seats: int, tie_break: TieBreak, *, unit: str
) -> Election:
    """Rank ``options`` by ``totals`` and elect the first ``seats``, under the rule in the module docstring.

    ``unit`` names what the totals count ("approvals", "points") in a published tie at the cut.
    """
    ranking = tuple(sorted(options, key=lambda o: (-totals[o], tie_break.key(o))))
    winners = ranking[:seats]
    cut_tie = None
    if seats < len(ranking) and totals[ranking[seats - 1]] == totals[ranking[seats]]:
        level = totals[ranking[seats]]
        tied = tuple(o for o in ranking if totals[o] == level)
        cut_tie = CutTie(unit, level, tied, tuple(o for o in tied if o in winners))
    return Election(ranking, winners, cut_tie)
