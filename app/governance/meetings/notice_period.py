"""The notice period of a general meeting, in clear days (pure: no Flask, no database).

"Clear days" leave out both the day the notice is sent and the day of the
meeting. With 14 clear days, a notice sent on 1 March allows a meeting on
16 March at the earliest (2 to 15 March are the fourteen clear days).
"""

from __future__ import annotations

from datetime import date, timedelta


def earliest_meeting_day(sent_on: date, clear_days: int) -> date:
    """The first day a meeting may be held when its notice is sent on ``sent_on``."""
    if clear_days < 0:
        raise ValueError("a notice period cannot be negative")
    return sent_on + timedelta(days=clear_days + 1)


def latest_notice_day(meeting_day: date, clear_days: int) -> date:
    """The last day a notice may be sent for a meeting held on ``meeting_day``."""
    if clear_days < 0:
        raise ValueError("a notice period cannot be negative")
    return meeting_day - timedelta(days=clear_days + 1)


def clear_days_between(sent_on: date, meeting_day: date) -> int:
    """How many clear days a notice sent on ``sent_on`` gives before ``meeting_day`` (0 if none)."""
    return max(0, (meeting_day - sent_on).days - 1)


def notice_in_time(sent_on: date | None, meeting_day: date, clear_days: int) -> bool:
    """Whether a notice sent on ``sent_on`` (``None``: never sent) was lawful for a meeting on ``meeting_day``."""
    return sent_on is not None and meeting_day >= earliest_meeting_day(sent_on, clear_days)
