"""The one GOV.UK date-input reader: every input gives a date or a named problem, never an exception."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.web.dates import DateProblem, parse_date, read_date_input, read_named_date


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("27", "3", "2027"), date(2027, 3, 27)),
        ((" 1 ", "01", "2030"), date(2030, 1, 1)),
        (("", "", ""), DateProblem.BLANK),
        (("27", "", "2027"), DateProblem.INCOMPLETE),
        (("x", "3", "2027"), DateProblem.NOT_NUMBERS),
        (("²", "3", "2027"), DateProblem.NOT_NUMBERS),  # a digit to str.isdigit, not to int
        (("٣", "3", "2027"), DateProblem.NOT_NUMBERS),
        (("-1", "3", "2027"), DateProblem.NOT_NUMBERS),
        (("9" * 40, "3", "2027"), DateProblem.NOT_NUMBERS),  # would overflow date()
        (("31", "2", "2027"), DateProblem.NOT_REAL),
        (("1", "13", "2027"), DateProblem.NOT_REAL),
        (("1", "1", "1899"), DateProblem.NOT_REAL),
        (("1", "1", "0027"), DateProblem.NOT_REAL),
    ],
)
def test_parse_date(parts, expected):
    assert parse_date(*parts) == expected


def test_limits_can_be_narrowed():
    assert parse_date("1", "1", "1999", earliest=2000) is DateProblem.NOT_REAL
    assert parse_date("1", "1", "2000", earliest=2000) == date(2000, 1, 1)


@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12))
def test_never_raises(day, month, year):
    assert isinstance(parse_date(day, month, year), date | DateProblem)


def test_named_date_messages(app):
    with app.test_request_context():
        form = {"closes_on-day": "31", "closes_on-month": "2", "closes_on-year": "2030"}
        assert read_named_date(form, "closes_on", "the day voting closes") == (
            None,
            "Enter the day voting closes as a real date, like 27 3 2027",
        )
        assert read_named_date({}, "closes_on", "the day voting closes")[1] == "Enter the day voting closes"
        assert read_date_input({"x-day": "2", "x-month": "3", "x-year": "2031"}, "x") == date(2031, 3, 2)
