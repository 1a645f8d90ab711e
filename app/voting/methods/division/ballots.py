"""Budget-division ballot papers: whole pence per line, summing to the budget."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class DivisionBallotError(ValueError):
    """A budget-division paper that breaks the rules; the message names the rule."""


def validate_division_ballot(ballot: Mapping[str, int], lines: Sequence[str], budget: int) -> tuple[int, ...]:
    """The paper's amounts in the order of ``lines``, or :class:`DivisionBallotError`.

    A valid paper gives each line a whole number of pence, at least 0 (a line
    it leaves out gets 0), names no line that is not on the ballot, and its
    amounts add up to exactly the budget.
    """
    if not isinstance(ballot, Mapping):
        raise DivisionBallotError("must map each line to an amount in pence")
    unknown = sorted(str(line) for line in ballot if line not in lines)
    if unknown:
        raise DivisionBallotError(f"names lines that are not on the ballot: {', '.join(unknown)}")
    amounts = tuple(ballot.get(line, 0) for line in lines)
    for line, amount in zip(lines, amounts, strict=True):
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            raise DivisionBallotError(f"gives {line} {amount!r}; amounts are whole pence, at least 0")
    if sum(amounts) != budget:
        raise DivisionBallotError(f"adds up to {sum(amounts)} pence; the amounts must add up to the budget, {budget}")
    return amounts
