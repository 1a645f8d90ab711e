"""The notice period in clear days: neither the day of sending nor the day of the meeting counts."""

from __future__ import annotations

from datetime import date

import pytest

from app.governance.meetings.notice_period import (
    clear_days_between,
    earliest_meeting_day,
    latest_notice_day,
    notice_in_time,
)


def test_fourteen_clear_days_from_the_first_of_march_is_the_sixteenth():
    # 2..15 March are the fourteen clear days; 1 March (sending) and the meeting day do not count.
    assert earliest_meeting_day(date(2027, 3, 1), 14) == date(2027, 3, 16)
    assert latest_notice_day(date(2027, 3, 16), 14) == date(2027, 3, 1)
    assert clear_days_between(date(2027, 3, 1), date(2027, 3, 16)) == 14


def test_a_meeting_one_day_early_is_not_lawful():
    assert notice_in_time(date(2027, 3, 1), date(2027, 3, 16), 14)
    assert not notice_in_time(date(2027, 3, 1), date(2027, 3, 15), 14)
    assert clear_days_between(date(2027, 3, 1), date(2027, 3, 15)) == 13


def test_no_notice_is_never_in_time():
    assert not notice_in_time(None, date(2027, 3, 16), 0)


def test_zero_clear_days_still_leaves_out_the_day_of_sending():
    assert earliest_meeting_day(date(2027, 3, 1), 0) == date(2027, 3, 2)
    assert not notice_in_time(date(2027, 3, 1), date(2027, 3, 1), 0)


def test_across_a_month_and_a_leap_day():
    assert earliest_meeting_day(date(2028, 2, 20), 14) == date(2028, 3, 6)
    assert latest_notice_day(date(2028, 3, 6), 14) == date(2028, 2, 20)


def test_same_day_or_earlier_gives_no_clear_days():
    assert clear_days_between(date(2027, 3, 1), date(2027, 3, 1)) == 0
    assert clear_days_between(date(2027, 3, 1), date(2027, 3, 2)) == 0


def test_a_negative_period_is_refused():
    with pytest.raises(ValueError):
        earliest_meeting_day(date(2027, 3, 1), -1)
    with pytest.raises(ValueError):
        latest_notice_day(date(2027, 3, 1), -1)
