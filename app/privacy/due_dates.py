"""When a data rights request must be answered: pure date arithmetic, no Flask, no database.

UK GDPR Art. 12(3): a controller answers "without undue delay and in any event
within one month of receipt", and may extend that "by two further months where
necessary, taking into account the complexity and number of the requests".

The ICO's reading of "one month", which this module follows: the time limit
starts on the day the request is received and ends on the corresponding
calendar date in the next month (received 3 September: due 3 October). When
the next month has no corresponding date, the limit is the last day of that
month (received 31 January: due 28 February, or 29 February in a leap year).
An extension counts the same way from the day of receipt, so three months in
all is received 31 January → due 30 April.

The ICO also lets a controller answer on the next working day when the due
date falls on a weekend or bank holiday. We show the calendar date itself:
a council that meets it is always in time, and no bank holiday calendar is
needed.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import date

# Art. 12(3): the extension is "by two further months" at most.
MAX_EXTENSION_MONTHS = 2
# A request due within this many days is shown as due soon.
DUE_SOON_DAYS = 7


def add_months(start: date, months: int) -> date:
    """The corresponding date ``months`` calendar months after ``start``, or that month's last day."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def due_date(received_on: date, extension_months: int = 0) -> date:
    """The day by which a request received on ``received_on`` must be answered.

    ``extension_months`` (0, 1 or 2) are the further months allowed for a
    complex request; anything else is a ``ValueError``.
    """
    if not 0 <= extension_months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"an extension is 0 to {MAX_EXTENSION_MONTHS} months")
    return add_months(received_on, 1 + extension_months)


class ClockState(enum.StrEnum):
    """How a request stands against its due date (each has a tag colour)."""

    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    DONE = "done"

    @property
    def tag_class(self) -> str:
        """The GOV.UK Frontend tag modifier for this state."""
        return {
            "on_track": "govuk-tag--green",
            "due_soon": "govuk-tag--yellow",
            "due_today": "govuk-tag--orange",
            "overdue": "govuk-tag--red",
            "done": "govuk-tag--grey",
        }[self.value]


@dataclass(frozen=True)
class Clock:
    """A request's clock on a given day: ``days_left`` is negative once overdue (days late)."""

    due_on: date
    days_left: int
    state: ClockState


def clock(due_on: date, today: date, *, done: bool = False) -> Clock:
    """Where a request due on ``due_on`` stands on ``today``."""
    days_left = (due_on - today).days
    if done:
        state = ClockState.DONE
    elif days_left < 0:
        state = ClockState.OVERDUE
    elif days_left == 0:
        state = ClockState.DUE_TODAY
    elif days_left <= DUE_SOON_DAYS:
        state = ClockState.DUE_SOON
    else:
        state = ClockState.ON_TRACK
    return Clock(due_on, days_left, state)
