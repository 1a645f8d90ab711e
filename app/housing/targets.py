"""Repair response targets and the repair clock, in UK time. Pure: no Flask, no database.

Default targets, which a co-op (or the council, for homes it still manages)
may change per category and urgency:

* **Emergency** (any category): 24 hours, counted as elapsed time, so nights,
  weekends and bank holidays count (a burst pipe on a Saturday is still due
  on Sunday).
* **Damp and mould**, modelled on Awaab's Law: a hazard reported as urgent or
  routine is *investigated* within 14 calendar days; once investigated, the
  home is *made safe* within 7 calendar days (``make_safe_days``); reported
  as an emergency it is 24 hours, like any emergency.
* **Urgent**: 5 working days (Monday to Friday).
* **Routine**: 28 calendar days.

A day target ends at the end of the last day (midnight UK time, GMT or BST as
that date has it): a repair reported on Monday 10 March at 10am with 14
calendar days is due by the end of Monday 24 March. A working-day target
counts the days after the report that are Monday to Friday; a report made at
the weekend starts counting from Monday. Bank holidays are not taken out
(the council's calendar is not modelled); say so on the targets page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.housing.models import RepairCategory, TargetUnit, Urgency

UK = ZoneInfo("Europe/London")

MAKE_SAFE_DEFAULT_DAYS = 7


@dataclass(frozen=True)
class Target:
    """How long a repair of one category and urgency may take."""

    amount: int
    unit: TargetUnit
    make_safe_days: int | None = None  # damp and mould: days from investigation to making safe


def default_target(category: RepairCategory, urgency: Urgency) -> Target:
    """The default target for ``category`` and ``urgency`` (see the module docstring)."""
    if urgency is Urgency.EMERGENCY:
        return Target(24, TargetUnit.HOURS)
    if category is RepairCategory.DAMP_MOULD:
        return Target(14, TargetUnit.CALENDAR_DAYS, MAKE_SAFE_DEFAULT_DAYS)
    if urgency is Urgency.URGENT:
        return Target(5, TargetUnit.WORKING_DAYS)
    return Target(28, TargetUnit.CALENDAR_DAYS)


def _end_of_uk_day(day: date) -> datetime:
    """The first instant of the next UK day: a deadline "by the end of ``day``"."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=UK)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th Monday-to-Friday day after ``start``."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


def due_at(reported_at: datetime, amount: int, unit: TargetUnit) -> datetime:
    """When a repair reported at ``reported_at`` (aware) must be done by, as an aware UTC datetime."""
    if reported_at.tzinfo is None:
        raise ValueError("reported_at must be timezone-aware")
    if unit is TargetUnit.HOURS:
        # Elapsed time, added in UTC: Python adds to a UK-zoned time by the wall clock, so 24 hours
        # across the clocks going forward would otherwise be 23 real hours.
        return reported_at.astimezone(UTC) + timedelta(hours=amount)
    local_day = reported_at.astimezone(UK).date()
    if unit is TargetUnit.CALENDAR_DAYS:
        last = local_day + timedelta(days=amount)
    else:
        last = add_working_days(local_day, amount)
    return _end_of_uk_day(last).astimezone(UTC)


@dataclass(frozen=True)
class Clock:
    """What the clock on a repair says at a moment: the deadline, and time left or overdue."""

    deadline: datetime | None
    milestone: str  # "complete", "investigate", "make_safe", or "" when the clock has stopped
    overdue: bool
    seconds: int  # left (not overdue) or over (overdue); 0 when stopped
    stopped: bool = False


def clock(deadline: datetime | None, now: datetime, *, milestone: str, stopped: bool = False) -> Clock:
    """The clock for ``deadline`` at ``now``; a stopped clock (completed, cancelled) shows nothing running."""
    if stopped or deadline is None:
        return Clock(deadline, "", False, 0, stopped=True)
    seconds = int((deadline - now).total_seconds())
    return Clock(deadline, milestone, seconds < 0, abs(seconds))


def describe_span(seconds: int) -> tuple[int, int, int]:
    """``seconds`` as (days, hours, minutes), rounded down to the minute."""
    minutes = seconds // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return days, hours, minutes
