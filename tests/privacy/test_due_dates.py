"""The one-month clock of UK GDPR Art. 12(3) as the ICO reads it, and its extension."""

from __future__ import annotations

from datetime import date

import pytest

from app.privacy.due_dates import ClockState, add_months, clock, due_date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 9, 3), date(2026, 10, 3)),  # the ICO's own example: the corresponding date
        (date(2027, 1, 31), date(2027, 2, 28)),  # no 31 February: the last day of February
        (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year
        (date(2028, 1, 29), date(2028, 2, 29)),
        (date(2027, 1, 29), date(2027, 2, 28)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 15), date(2027, 1, 15)),  # across the year end
        (date(2026, 12, 31), date(2027, 1, 31)),
    ],
)
def test_one_month_from_receipt(received, due):
    assert due_date(received) == due


@pytest.mark.parametrize(
    ("received", "months", "due"),
    [
        (date(2027, 1, 31), 1, date(2027, 3, 31)),
        (date(2027, 1, 31), 2, date(2027, 4, 30)),  # counted from receipt, not from the first due date
        (date(2026, 11, 30), 2, date(2027, 2, 28)),
        (date(2026, 11, 22), 2, date(2027, 2, 22)),
    ],
)
def test_extension_counts_further_months_from_receipt(received, months, due):
    assert due_date(received, months) == due


@pytest.mark.parametrize("months", [-1, 3, 12])
def test_extension_beyond_two_months_is_refused(months):
    with pytest.raises(ValueError):
        due_date(date(2026, 1, 1), months)


def test_add_months_refuses_going_back():
    with pytest.raises(ValueError):
        add_months(date(2026, 1, 1), -1)


@pytest.mark.parametrize(
    ("today", "days_left", "state"),
    [
        (date(2026, 11, 1), 30, ClockState.ON_TRACK),
        (date(2026, 11, 23), 8, ClockState.ON_TRACK),
        (date(2026, 11, 24), 7, ClockState.DUE_SOON),
        (date(2026, 12, 1), 0, ClockState.DUE_TODAY),
        (date(2026, 12, 2), -1, ClockState.OVERDUE),
        (date(2027, 1, 1), -31, ClockState.OVERDUE),
    ],
)
def test_clock_states(today, days_left, state):
    result = clock(date(2026, 12, 1), today)
    assert (result.days_left, result.state) == (days_left, state)


def test_a_completed_request_has_no_running_clock():
    assert clock(date(2026, 1, 1), date(2026, 6, 1), done=True).state is ClockState.DONE
    assert ClockState.OVERDUE.tag_class == "govuk-tag--red"
    assert ClockState.ON_TRACK.tag_class == "govuk-tag--green"
