"""The governance core's reads: the register on a day, holdings, the ledger, roles, and scoping to one society."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.governance import operations, queries
from app.governance.models import SocietyKind, SocietyRole
from app.voting import timing
from tests.fixtures.factories import new_person
from tests.governance.conftest import admitted, applicant

TODAY = timing.today()


@pytest.fixture(autouse=True)
def _inside(in_council):
    """Every test runs inside the society's council."""


def test_societies_by_kind_and_by_id(gov):
    trust = operations.create_society(name="A School Trust", kind=SocietyKind.SCHOOL_TRUST, by_user=None)
    assert [s.name for s in queries.societies()] == ["A School Trust", "Cobden Tenants Co-operative"]
    assert queries.societies(SocietyKind.SCHOOL_TRUST) == [trust]
    assert queries.society(gov.society.id) is gov.society
    assert queries.society(999_999_999) is None


def test_the_register_on_a_day(gov):
    early = admitted(gov, on=TODAY - timedelta(days=15))
    late = admitted(gov, on=TODAY - timedelta(days=2))
    operations.cease(early, "left", ceased_on=TODAY - timedelta(days=5), by_user=None)
    applicant(gov)
    ten_days_ago = TODAY - timedelta(days=10)
    assert queries.members_on(gov.society.id, ten_days_ago) == [gov.member, early]
    assert queries.members_on(gov.society.id, TODAY) == [gov.member, late]
    assert queries.count_members_on(gov.society.id, TODAY - timedelta(days=5)) == 1  # ceased that day: not counted
    assert queries.count_members_on(gov.society.id, TODAY, [gov.young.id]) == 0
    assert queries.is_member_on(gov.society.id, gov.member_user.id, TODAY)
    assert not queries.is_member_on(gov.society.id, gov.member_user.id, gov.member.admitted_on - timedelta(days=1))
    assert queries.register(gov.society.id) == [gov.member, early, late]
    assert queries.register(gov.society.id, include_past=False) == [gov.member, late]


def test_applications_oldest_first_and_a_persons_live_line_first(gov):
    newer = applicant(gov, applied_on=TODAY - timedelta(days=1))
    older = applicant(gov, applied_on=TODAY - timedelta(days=9))
    assert queries.applications(gov.society.id) == [older, newer]
    person = new_person("Returning")
    first = admitted(gov, user_id=person.id, on=TODAY - timedelta(days=10))
    operations.cease(first, "left", ceased_on=TODAY - timedelta(days=3), by_user=None)
    assert queries.member_for_user(gov.society.id, person.id) == first
    again = applicant(gov, user_id=person.id, applied_on=TODAY - timedelta(days=30))
    assert queries.member_for_user(gov.society.id, person.id) == again  # live beats past, whatever the dates


def test_holdings_and_ledger_lines(gov):
    other = admitted(gov)
    operations.issue_shares(other, 3, by_user=None)
    operations.withdraw_shares(gov.member, 1, by_user=None)
    assert queries.holdings(gov.society.id) == {gov.member.id: 0, other.id: 4}
    assert queries.shares_held(other.id) == 4
    assert [e.shares for e in queries.member_share_lines(other.id)] == [1, 3]
    entry = queries.member_share_lines(other.id)[0]
    assert queries.share_entry(other.id, entry.id) == entry
    assert queries.share_entry(gov.member.id, entry.id) is None  # another member's line
    assert len(queries.share_ledger(gov.society.id)) == 4


def test_lookups_stay_inside_one_society(gov):
    other = operations.create_society(name="Other Co-op", kind="housing_coop", by_user=None)
    other_class = operations.add_member_class(other, name="Members", by_user=None)
    assert queries.member_class(gov.society.id, other_class.id) is None
    assert queries.member(other.id, gov.member.id) is None
    officer = queries.society_officers(gov.society.id)[0]
    assert queries.society_officer(gov.society.id, officer.id) == officer
    assert queries.society_officer(other.id, officer.id) is None


def test_roles_and_people(gov):
    assert queries.society_roles(gov.society.id, gov.committee.id) == {SocietyRole.COMMITTEE}
    assert queries.society_roles(gov.society.id, gov.member_user.id) == set()
    assert {h.role for h in queries.society_officers(gov.society.id)} == set(SocietyRole)
    assert queries.people([gov.admin.id, None])[gov.admin.id].name == "Ada Admin"
    assert queries.people([]) == {}
    assert queries.person_in_council(gov.resident.email.upper()) == gov.resident
    assert queries.person_in_council(gov.stranger.email) is None  # an account of another council
