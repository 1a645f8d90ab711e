"""Dates and times for ballots, in the councils' own time zone (UK time).

Opening and closing times are stored in UTC; people read and type them in UK
time (GMT or BST as the date requires). A paper and a participation row carry
only the UK calendar day they were cast on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def now() -> datetime:
    """The current instant, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in the UK."""
    return datetime.now(UK).date()


def uk_datetime(day: date, hour: int, minute: int) -> datetime:
    """``day`` at ``hour:minute`` UK time, as an aware UTC datetime.

    In the autumn hour that happens twice the earlier one is meant; a time in
    the spring hour that does not exist moves forward by the hour, as clocks do.
    """
    local = datetime.combine(day, time(hour, minute), tzinfo=UK)
    # Round-trip through UTC so a time that does not exist lands where clocks would be.
    return local.astimezone(UTC)


def to_uk(moment: datetime) -> datetime:
    return moment.astimezone(UK)


def format_datetime(moment: datetime | None) -> str:
    """GOV.UK style: ``2 March 2027 at 6pm`` or ``2 March 2027 at 6:30pm``; empty for ``None``."""
    if moment is None:
        return ""
    local = to_uk(moment)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.hour == 12 and local.minute == 0:
        clock = "midday"
    elif local.hour == 0 and local.minute == 0:
        clock = "midnight"
    elif local.minute:
        clock = f"{hour}:{local.minute:02d}{suffix}"
    else:
        clock = f"{hour}{suffix}"
    return f"{local.day} {local:%B %Y} at {clock}"


def format_date(day: date | None) -> str:
    """GOV.UK style: ``2 March 2027``."""
    return "" if day is None else f"{day.day} {day:%B %Y}"
