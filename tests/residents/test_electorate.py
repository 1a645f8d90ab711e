"""The ``verified_residents`` electorate rule: verification, neighbourhood, age on the closing day, parental consent."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from app.residents import profiles
from app.residents.electorate import VERIFIED_RESIDENTS, counting_day, years_before
from app.residents.models import ConsentKind, VerificationMethod
from app.voting.electorate import ElectorateError, check_electorate, describe
from app.voting.timing import uk_datetime
from tenants.context import council_context
from tenants.models import Neighbourhood

CLOSING = uk_datetime(date(2027, 3, 31), 17, 0)


@pytest.fixture
def town(db, create_council):
    council = create_council(slug="verifyham")
    with council_context(council.id):
        north, south = Neighbourhood(name="North"), Neighbourhood(name="South")
        db.session.add_all([north, south])
        db.session.flush()
        yield SimpleNamespace(council=council, north=north.id, south=south.id)


def _ballot(rule: dict, closes_at: datetime | None = CLOSING) -> SimpleNamespace:
    return SimpleNamespace(electorate=check_electorate(rule), closes_at=closes_at)


def _resident(create_user, *, neighbourhood: int | None, born: date | None, verified: bool = True):
    user = create_user()
    profile = profiles.ensure_profile(user.id)
    if verified:
        profiles.verify(profile, how=VerificationMethod.LETTER_CODE, neighbourhood_id=neighbourhood, date_of_birth=born)
    return user, profile


def _eligible(ballot, user) -> tuple[bool, str]:
    return VERIFIED_RESIDENTS.is_eligible(ballot, ballot.electorate, user)


def test_the_rule_is_checked_and_put_in_canonical_form(town):
    rule = check_electorate({"type": "verified_residents", "neighbourhood_ids": [town.south, town.north, town.north]})
    assert rule == {
        "type": "verified_residents",
        "neighbourhood_ids": sorted([town.north, town.south]),
        "min_age": None,
        "max_age": None,
    }
    for bad, message in [
        ({"neighbourhood_ids": [999_999_999]}, "Choose neighbourhoods"),
        ({"neighbourhood_ids": ["1"]}, "Choose neighbourhoods"),
        ({"min_age": -1}, "youngest age"),
        ({"max_age": 11.5}, "oldest age"),
        ({"min_age": 25, "max_age": 11}, "must not be more than"),
    ]:
        with pytest.raises(ElectorateError, match=message):
            check_electorate({"type": "verified_residents", **bad})


def test_describe_names_the_neighbourhoods_and_ages(town):
    rule = check_electorate(
        {"type": "verified_residents", "neighbourhood_ids": [town.north], "min_age": 11, "max_age": 25}
    )
    assert describe(rule) == "verified residents of North aged 11 to 25"
    assert describe(check_electorate({"type": "verified_residents"})) == "verified residents of the council"


def test_only_verified_residents_of_the_neighbourhood_may_vote(town, create_user):
    ballot = _ballot({"type": "verified_residents", "neighbourhood_ids": [town.north]})
    northerner, _ = _resident(create_user, neighbourhood=town.north, born=date(1980, 1, 1))
    southerner, _ = _resident(create_user, neighbourhood=town.south, born=date(1980, 1, 1))
    unverified, _ = _resident(create_user, neighbourhood=None, born=None, verified=False)
    assert _eligible(ballot, northerner) == (True, "")
    ok, reason = _eligible(ballot, southerner)
    assert not ok and "another neighbourhood" in reason
    ok, reason = _eligible(ballot, unverified)
    assert not ok and "enter the code" in reason
    assert VERIFIED_RESIDENTS.size(ballot, ballot.electorate) == 1


def test_ages_are_counted_on_the_closing_day(town, create_user):
    ballot = _ballot({"type": "verified_residents", "min_age": 16, "max_age": 25})
    turns_16_on_closing_day, _ = _resident(create_user, neighbourhood=town.north, born=date(2011, 3, 31))
    turns_16_the_day_after, _ = _resident(create_user, neighbourhood=town.north, born=date(2011, 4, 1))
    turns_26_on_closing_day, _ = _resident(create_user, neighbourhood=town.north, born=date(2001, 3, 31))
    still_25, _ = _resident(create_user, neighbourhood=town.north, born=date(2001, 4, 1))
    assert _eligible(ballot, turns_16_on_closing_day)[0]
    assert not _eligible(ballot, turns_16_the_day_after)[0]
    ok, reason = _eligible(ballot, turns_26_on_closing_day)
    assert not ok and "Your age on the closing day is 26" in reason
    assert _eligible(ballot, still_25)[0]
    # The count in SQL agrees with the rule person by person.
    assert VERIFIED_RESIDENTS.size(ballot, ballot.electorate) == 2


def test_under_16s_need_a_parent_or_carers_consent(town, create_user):
    ballot = _ballot({"type": "verified_residents", "min_age": 11, "max_age": 25})
    young, profile = _resident(create_user, neighbourhood=town.south, born=date(2013, 6, 1))
    ok, reason = _eligible(ballot, young)
    assert not ok and "parent or carer" in reason
    profiles.give_consent(profile, ConsentKind.PARENTAL, wording_version="v1", given_by_name="Sam Parent")
    assert _eligible(ballot, young) == (True, "")
    profiles.withdraw_consent(profile, ConsentKind.PARENTAL)
    assert not _eligible(ballot, young)[0]


def test_an_age_rule_needs_a_date_of_birth(town, create_user):
    ballot = _ballot({"type": "verified_residents", "max_age": 25})
    no_birthday, _ = _resident(create_user, neighbourhood=town.north, born=None)
    ok, reason = _eligible(ballot, no_birthday)
    assert not ok and "date of birth" in reason
    assert _eligible(_ballot({"type": "verified_residents"}), no_birthday)[0]


def test_counting_day_and_leap_years():
    assert counting_day(SimpleNamespace(closes_at=CLOSING)) == date(2027, 3, 31)
    assert years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)
    assert years_before(date(2027, 3, 31), 16) == date(2011, 3, 31)
