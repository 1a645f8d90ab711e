"""The ``society_members`` electorate rule: members of a society on the counting day, by class, with consent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.governance import operations
from app.governance.consent import age_on
from app.governance.electorate import SOCIETY_MEMBERS
from app.voting import timing
from app.voting.electorate import ElectorateError, check_electorate
from app.voting.models import Ballot
from tests.fixtures.factories import new_person
from tests.governance.conftest import admitted, applicant, years_ago

TODAY = timing.today()


@pytest.fixture(autouse=True)
def _inside(in_council):
    """Every test runs inside the society's council."""


def _ballot(gov, class_ids=(), closes_in_days: int | None = 7) -> tuple[Ballot, dict]:
    rule = {"type": "society_members", "society_id": gov.society.id, "member_class_ids": list(class_ids)}
    closes = None if closes_in_days is None else timing.uk_datetime(TODAY + timedelta(days=closes_in_days), 18, 0)
    return Ballot(electorate=rule, closes_at=closes), rule


def _person_with(gov, member_class=None, **kw):
    person = new_person("Voter")
    return person, admitted(gov, member_class, user_id=person.id, **kw)


def test_check_canonicalises_and_refuses_unknown_societies_and_classes(gov):
    rule = {
        "type": "society_members",
        "society_id": gov.society.id,
        "member_class_ids": [gov.young.id, gov.tenants.id, gov.young.id],
    }
    assert check_electorate(rule)["member_class_ids"] == sorted({gov.tenants.id, gov.young.id})
    other = operations.create_society(name="Other Co-op", kind="housing_coop", by_user=None)
    other_class = operations.add_member_class(other, name="Members", by_user=None)
    for bad in (
        {"type": "society_members", "society_id": 999_999_999},
        {"type": "society_members", "society_id": True},
        {"type": "society_members", "society_id": gov.society.id, "member_class_ids": [other_class.id]},
        {"type": "society_members", "society_id": gov.society.id, "member_class_ids": ["1"]},
    ):
        with pytest.raises(ElectorateError):
            check_electorate(bad)


def test_describe_names_the_society_and_classes(gov):
    _ballot_all, every = _ballot(gov)
    _ballot_young, young = _ballot(gov, [gov.young.id])
    assert SOCIETY_MEMBERS.describe(every) == "members of Cobden Tenants Co-operative"
    assert SOCIETY_MEMBERS.describe(young) == "members of Cobden Tenants Co-operative in the Young tenants class"


def test_a_member_may_vote_and_an_applicant_refused_or_outsider_may_not(gov):
    ballot, rule = _ballot(gov)
    assert SOCIETY_MEMBERS.is_eligible(ballot, rule, gov.member_user) == (True, "")
    waiting = new_person("Waiting")
    applicant(gov, user_id=waiting.id)
    ok, reason = SOCIETY_MEMBERS.is_eligible(ballot, rule, waiting)
    assert not ok and "waiting for the committee" in reason
    refused = new_person("Refused")
    operations.refuse(applicant(gov, user_id=refused.id), decided_on=TODAY, decided_by="C", reason="R", by_user=None)
    assert "not accepted" in SOCIETY_MEMBERS.is_eligible(ballot, rule, refused)[1]
    ok, reason = SOCIETY_MEMBERS.is_eligible(ballot, rule, gov.resident)
    assert not ok and "not on its register" in reason


def test_a_member_who_ceased_on_or_before_the_counting_day_may_not_vote(gov):
    person, line = _person_with(gov, on=TODAY - timedelta(days=20))
    operations.cease(line, "left", ceased_on=TODAY - timedelta(days=2), by_user=None)
    closed_before, rule = _ballot(gov, closes_in_days=-5)  # counted on a day they were still a member
    assert SOCIETY_MEMBERS.is_eligible(closed_before, rule, person) == (True, "")
    on_the_day, rule = _ballot(gov, closes_in_days=-2)
    ok, reason = SOCIETY_MEMBERS.is_eligible(on_the_day, rule, person)
    assert not ok and "ended on" in reason
    open_now, rule = _ballot(gov, closes_in_days=None)
    assert not SOCIETY_MEMBERS.is_eligible(open_now, rule, person)[0]


def test_a_member_admitted_after_the_counting_day_may_not_vote(gov):
    person, _line = _person_with(gov, on=TODAY - timedelta(days=1))
    counted_before, rule = _ballot(gov, closes_in_days=-3)  # the count's day came before they were admitted
    ok, reason = SOCIETY_MEMBERS.is_eligible(counted_before, rule, person)
    assert not ok and "starts later" in reason
    open_now, rule = _ballot(gov, closes_in_days=None)
    assert SOCIETY_MEMBERS.is_eligible(open_now, rule, person) == (True, "")


def test_a_member_of_another_class_may_not_vote_in_a_class_vote(gov):
    ballot, rule = _ballot(gov, [gov.young.id])
    ok, reason = SOCIETY_MEMBERS.is_eligible(ballot, rule, gov.member_user)
    assert not ok and "another class" in reason


def test_an_under_age_member_needs_a_guardians_consent(gov):
    ballot, rule = _ballot(gov, [gov.young.id], closes_in_days=0)
    person, line = _person_with(gov, gov.young, date_of_birth=years_ago(15))
    ok, reason = SOCIETY_MEMBERS.is_eligible(ballot, rule, person)
    assert not ok and "parent or carer" in reason
    operations.record_guardian_consent(line, consent_by="Pat Parent", consent_on=TODAY, by_user=None)
    assert SOCIETY_MEMBERS.is_eligible(ballot, rule, person) == (True, "")
    adult, _line = _person_with(gov, gov.young, date_of_birth=years_ago(18))
    assert SOCIETY_MEMBERS.is_eligible(ballot, rule, adult) == (True, "")
    assert age_on(years_ago(18), TODAY) == 18 and age_on(years_ago(18) + timedelta(days=1), TODAY) == 17


def test_the_size_is_the_members_on_the_counting_day(gov):
    _person, _young = _person_with(gov, gov.young, date_of_birth=years_ago(30), on=TODAY - timedelta(days=3))
    _person, gone = _person_with(gov, on=TODAY - timedelta(days=9))
    operations.cease(gone, "died", ceased_on=TODAY - timedelta(days=1), by_user=None)
    applicant(gov)
    every, rule = _ballot(gov, closes_in_days=None)
    assert SOCIETY_MEMBERS.size(every, rule) == 2  # Meg and the young member; the dead member and applicant not
    past, rule = _ballot(gov, closes_in_days=-2)
    assert SOCIETY_MEMBERS.size(past, rule) == 3  # two days ago the member who died was still a member
    young_only, rule = _ballot(gov, [gov.young.id], closes_in_days=None)
    assert SOCIETY_MEMBERS.size(young_only, rule) == 1
    before_admission, rule = _ballot(gov, [gov.young.id], closes_in_days=-5)
    assert SOCIETY_MEMBERS.size(before_admission, rule) == 0
