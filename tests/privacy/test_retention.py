"""The register rule an erasure follows (Co-operative and Community Benefit Societies Act 2014)."""

from __future__ import annotations

from datetime import date

import pytest

from app.privacy.retention import name_may_be_removed, retention_ends


def test_a_current_member_keeps_their_name():
    assert not name_may_be_removed(admitted=True, ceased_on=None, today=date(2060, 1, 1))


@pytest.mark.parametrize(
    ("ceased_on", "today", "removable"),
    [
        (date(2020, 5, 1), date(2030, 4, 30), False),
        (date(2020, 5, 1), date(2030, 5, 1), True),
        (date(2010, 1, 1), date(2026, 11, 22), True),
        (date(2024, 2, 29), date(2034, 2, 27), False),
        (date(2024, 2, 29), date(2034, 2, 28), True),
    ],
)
def test_a_former_member_keeps_their_name_for_ten_years(ceased_on, today, removable):
    assert name_may_be_removed(admitted=True, ceased_on=ceased_on, today=today) is removable


def test_someone_never_admitted_is_not_on_the_register_of_members():
    assert name_may_be_removed(admitted=False, ceased_on=None, today=date(2026, 1, 1))


def test_retention_end_of_a_leap_day():
    assert retention_ends(date(2024, 2, 29)) == date(2034, 2, 28)
