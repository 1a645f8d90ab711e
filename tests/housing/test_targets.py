"""Repair targets and the clock: emergency, damp and mould (Awaab's Law), urgent and routine, in UK time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.housing import targets
from app.housing.models import RepairCategory, TargetUnit, Urgency

UK = ZoneInfo("Europe/London")


def uk(*args) -> datetime:
    return datetime(*args, tzinfo=UK)


def test_defaults():
    assert targets.default_target(RepairCategory.PLUMBING, Urgency.EMERGENCY) == targets.Target(24, TargetUnit.HOURS)
    assert targets.default_target(RepairCategory.DAMP_MOULD, Urgency.EMERGENCY) == targets.Target(24, TargetUnit.HOURS)
    assert targets.default_target(RepairCategory.DAMP_MOULD, Urgency.ROUTINE) == targets.Target(
        14, TargetUnit.CALENDAR_DAYS, 7
    )
    assert targets.default_target(RepairCategory.DAMP_MOULD, Urgency.URGENT).make_safe_days == 7
    assert targets.default_target(RepairCategory.ELECTRICAL, Urgency.URGENT) == targets.Target(
        5, TargetUnit.WORKING_DAYS
    )
    assert targets.default_target(RepairCategory.OTHER, Urgency.ROUTINE) == targets.Target(28, TargetUnit.CALENDAR_DAYS)


def test_an_emergency_runs_through_the_weekend():
    reported = uk(2027, 3, 6, 15, 0)  # a Saturday afternoon
    assert targets.due_at(reported, 24, TargetUnit.HOURS) == uk(2027, 3, 7, 15, 0)


def test_an_emergency_across_the_clocks_going_forward_is_24_real_hours():
    reported = uk(2027, 3, 27, 12, 0)  # GMT; BST starts at 1am on Sunday 28 March 2027
    due = targets.due_at(reported, 24, TargetUnit.HOURS)
    assert due - reported.astimezone(UTC) == timedelta(hours=24)
    assert due.astimezone(UK) == uk(2027, 3, 28, 13, 0)


def test_damp_and_mould_is_investigated_by_the_end_of_the_fourteenth_day():
    reported = uk(2027, 3, 10, 10, 0)  # a Wednesday
    due = targets.due_at(reported, 14, TargetUnit.CALENDAR_DAYS)
    assert due.astimezone(UK) == uk(2027, 3, 25, 0, 0)  # midnight ending Wednesday 24 March


def test_a_day_target_ends_at_uk_midnight_in_summer_time():
    reported = uk(2027, 7, 1, 23, 30)  # BST; 22:30 UTC, still 1 July in the UK
    due = targets.due_at(reported, 28, TargetUnit.CALENDAR_DAYS)
    assert due == datetime(2027, 7, 29, 23, 0, tzinfo=UTC)  # midnight BST ending 29 July


def test_a_report_just_after_uk_midnight_counts_from_that_uk_day():
    reported = datetime(2027, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 BST on 2 July
    due = targets.due_at(reported, 1, TargetUnit.CALENDAR_DAYS)
    assert due.astimezone(UK) == uk(2027, 7, 4, 0, 0)


def test_working_days_skip_weekends():
    friday = uk(2027, 3, 5, 16, 0)
    assert targets.due_at(friday, 5, TargetUnit.WORKING_DAYS).astimezone(UK) == uk(2027, 3, 13, 0, 0)  # end of Fri 12th
    saturday = uk(2027, 3, 6, 9, 0)
    assert targets.due_at(saturday, 1, TargetUnit.WORKING_DAYS).astimezone(UK) == uk(2027, 3, 9, 0, 0)  # end of Mon 8th


def test_the_clock_counts_down_then_shows_overdue_and_stops_when_done():
    deadline = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    before = targets.clock(deadline, datetime(2027, 3, 9, 11, 30, tzinfo=UTC), milestone="complete")
    assert not before.overdue and targets.describe_span(before.seconds) == (1, 0, 30)
    after = targets.clock(deadline, datetime(2027, 3, 10, 14, 0, tzinfo=UTC), milestone="complete")
    assert after.overdue and targets.describe_span(after.seconds) == (0, 2, 0)
    assert targets.clock(deadline, deadline, milestone="complete", stopped=True).stopped
