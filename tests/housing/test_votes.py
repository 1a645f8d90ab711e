"""The housing_tenants electorate rule, the transfer ballot's result and turnout, and the TSM survey results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.housing import operations, queries, surveys, transfer
from app.housing.electorate import HOUSING_TENANTS
from app.housing.models import HousingHome
from app.housing.survey import CODES, SMALL_COUNT, check_answers, results_by_estate
from app.voting import counting, timing
from app.voting import operations as ballots
from app.voting.electorate import ElectorateError, check_electorate, is_eligible
from app.voting.models import Ballot
from tests.fixtures.factories import new_person
from tests.fixtures.sessions import post


def _home(ref: str) -> HousingHome:
    return db.session.scalar(select(HousingHome).where(HousingHome.reference == ref))


def _ballot(closes_in_days: int = 7) -> Ballot:
    return Ballot(closes_at=operations.end_of_uk_day(timing.today() + timedelta(days=closes_in_days)), electorate={})


def test_the_rule_is_checked(world, in_council):
    assert check_electorate({"type": "housing_tenants", "estate_ids": [world.kirkholt, world.kirkholt]}) == {
        "type": "housing_tenants",
        "estate_ids": [world.kirkholt],
    }
    with pytest.raises(ElectorateError):
        check_electorate({"type": "housing_tenants", "estate_ids": [987654321]})
    with pytest.raises(ElectorateError):
        check_electorate({"type": "housing_tenants", "estate_ids": ["1"]})


def test_tenants_on_the_counting_day_may_vote_and_others_are_told_why(world, in_council):
    rule = {"type": "housing_tenants", "estate_ids": [world.kirkholt]}
    ballot = _ballot()
    ballot.electorate = rule
    assert HOUSING_TENANTS.is_eligible(ballot, rule, world.tenant) == (True, "")
    ok, why = HOUSING_TENANTS.is_eligible(ballot, rule, world.council_tenant)  # Balderstone, not Kirkholt
    assert not ok and "tenants of homes on Kirkholt" in why
    ok, why = is_eligible(ballot, world.neighbour)
    assert not ok and "not named on a tenancy" in why
    everyone = {"type": "housing_tenants", "estate_ids": []}
    assert HOUSING_TENANTS.is_eligible(ballot, everyone, world.council_tenant)[0]


def test_a_tenancy_ending_before_the_counting_day_does_not_count(world, in_council):
    tenancy = next(iter(queries.tenancies(world.kh1)))
    operations.end_tenancy(tenancy, ends_on=timing.today() + timedelta(days=3), by=None)
    rule = {"type": "housing_tenants", "estate_ids": []}
    assert HOUSING_TENANTS.is_eligible(_ballot(1), rule, world.tenant)[0]
    assert not HOUSING_TENANTS.is_eligible(_ballot(7), rule, world.tenant)[0]


def test_the_size_counts_each_account_once_and_tenants_without_accounts(world, in_council):
    rule = {"type": "housing_tenants", "estate_ids": []}
    assert HOUSING_TENANTS.size(_ballot(), rule) == 2
    operations.start_tenancy(
        _home("KH-2"),
        starts_on=timing.today(),
        people=[operations.TenantDetails(world.tenant.name, world.tenant.email), operations.TenantDetails("Pat Paper")],
        by=None,
    )
    assert HOUSING_TENANTS.size(_ballot(), rule) == 3  # the tenant of two homes once, plus Pat
    assert HOUSING_TENANTS.size(_ballot(), {"type": "housing_tenants", "estate_ids": [world.balderstone]}) == 1


def _tenants(world, n: int) -> list:
    """``n`` more council-tenants with accounts, each on a new Balderstone home (committed by the caller)."""
    from app.auth.models import CouncilRole, Role

    people = []
    estate = db.session.scalar(select(operations.HousingEstate).where(operations.HousingEstate.id == world.balderstone))
    for i in range(n):
        person = new_person(f"Voter {i}")
        db.session.add(CouncilRole(user_id=person.id, role=Role.RESIDENT, modules=[]))
        home = operations.save_home(
            estate, None, operations.HomeDetails(f"BS-V{i}", f"{i} Vote Street", "OL11 3AA", 2, "house"), by=None
        )
        operations.start_tenancy(
            home,
            starts_on=timing.today() - timedelta(days=1),
            people=[operations.TenantDetails(person.name, person.email)],
            by=None,
        )
        people.append(person)
    return people


def _run(world, threshold: str, choices: list[str]):
    voters = _tenants(world, len(choices))
    link = transfer.start_transfer_ballot(
        title="Transfer to the Kirkholt co-operative",
        proposal="That the council's homes transfer to the co-operative.",
        estate_ids=[],
        society_id=world.coop,
        threshold=threshold,
        closes_at=operations.end_of_uk_day(timing.today() + timedelta(days=14)),
        open_now=True,
        by=world.officer,
    )
    ballot = transfer.ballot_of(link)
    for person, choice in zip(voters, choices, strict=True):
        ballots.cast_vote(ballot, person, choice)
    ballots.close_ballot(ballot, world.officer, early=True)
    counting.run_count(ballot.id)
    counting.publish(ballot, actor_user_id=world.officer.id)
    return link


def test_simple_majority_of_votes_cast_with_turnout(world, in_council):
    link = _run(world, "simple_majority", ["for", "for", "against", "abstain"])
    result = transfer.outcome(link, show_counted=False)
    assert result.published and result.passed
    assert result.votes == {"for": 2, "against": 1, "abstain": 1}
    assert result.electorate == 6  # the two world tenants and four voters
    assert result.voted == 4
    assert result.turnout_percent == pytest.approx(100 * 4 / 6)


def test_a_tie_fails_a_simple_majority(world, in_council):
    link = _run(world, "simple_majority", ["for", "against"])
    assert transfer.outcome(link, show_counted=False).passed is False


def test_the_council_can_require_two_thirds(world, in_council):
    link = _run(world, "two_thirds", ["for", "for", "against", "against", "for"])  # 3 of 5: 60 %
    assert transfer.outcome(link, show_counted=False).passed is False


def test_a_transfer_ballot_needs_its_details(world, in_council):
    with pytest.raises(operations.HousingError) as err:
        transfer.start_transfer_ballot(
            title="T", proposal="", estate_ids=[], society_id=None, closes_at=None, open_now=False, by=None
        )
    assert err.value.field == "proposal"
    with pytest.raises(operations.HousingError):
        transfer.start_transfer_ballot(
            title="T", proposal="P", estate_ids=[123456789], society_id=None, closes_at=None, open_now=False, by=None
        )


def test_the_officer_creates_a_transfer_ballot_from_the_page(world, client_for):
    day = timing.today() + timedelta(days=10)
    response = post(
        client_for(world.officer),
        f"{world.prefix}/manage/transfer/new",
        {
            "title": "Kirkholt transfer",
            "proposal": "Transfer the homes.",
            "estate_ids": [str(world.kirkholt)],
            "society_id": str(world.coop),
            "threshold": "simple_majority",
            "closes_on-day": str(day.day),
            "closes_on-month": str(day.month),
            "closes_on-year": str(day.year),
            "open_now": "yes",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client_for(world.tenant).get(response.headers["Location"]).get_data(as_text=True)
    assert "Kirkholt transfer" in page and "0 of 1 tenants have voted" in page


# --- the survey ----------------------------------------------------------------------------------


def _answers(overall: int, **others: int) -> dict[str, str]:
    answers = dict.fromkeys(CODES, "3")
    answers["TP01"] = str(overall)
    answers.update({k: str(v) for k, v in others.items()})
    return answers


def test_every_question_must_be_answered():
    with pytest.raises(Exception, match="TP02"):
        check_answers({"TP01": "1"})
    assert check_answers(_answers(1, TP09=0))["TP09"] == 0


def test_results_by_estate_leave_out_does_not_apply_and_flag_small_counts(world, in_council):
    survey = surveys.create_survey(society_id=None, title="Council homes 2027", by=world.officer)
    surveys.open_survey(survey, by=world.officer)
    surveys.answer_survey(survey, answers=_answers(2, TP09=0), by=world.council_tenant)
    with pytest.raises(operations.ConflictError):
        surveys.answer_survey(survey, answers=_answers(1), by=world.council_tenant)
    with pytest.raises(operations.ConflictError):  # a co-op tenant is not asked the council's survey
        surveys.answer_survey(survey, answers=_answers(1), by=world.tenant)
    estates, overall = results_by_estate(queries.responses(survey.id), queries.estate_names())
    assert [e.name for e in estates] == ["Balderstone"]
    tp01 = estates[0].shares["TP01"]
    assert (tp01.part, tp01.whole, tp01.percent, tp01.small) == (1, 1, 100.0, True)
    assert estates[0].shares["TP09"].whole == 0  # "does not apply" is left out
    assert overall.shares["TP03"].part == 0
    assert queries.tsm_overall_satisfaction(survey.id).percent == 100.0
    assert SMALL_COUNT == 10


def test_the_committee_runs_the_co_op_survey_and_sees_results(world, client_for, in_council):
    committee = client_for(world.committee)
    assert post(committee, f"{world.prefix}/coops/{world.coop}/surveys", {"title": "Kirkholt 2027"}).status_code == 302
    survey = queries.surveys(world.coop)[0]
    assert post(committee, f"{world.prefix}/surveys/{survey.id}/open").status_code == 302
    tenant = client_for(world.tenant)
    assert "Kirkholt 2027" in tenant.get(f"{world.prefix}/").get_data(as_text=True)
    incomplete = post(tenant, f"{world.prefix}/surveys/{survey.id}", {"TP01": "1"})
    assert incomplete.status_code == 422 and 'href="#TP02"' in incomplete.get_data(as_text=True)
    assert post(tenant, f"{world.prefix}/surveys/{survey.id}", _answers(1)).status_code == 302
    page = committee.get(f"{world.prefix}/surveys/{survey.id}/results")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" in body and 'role="img"' in body
    assert "100% (1 of 1; fewer than 10 answers" in body
    # Council officers without a role in the co-op still see it; a neighbour does not.
    assert client_for(world.officer).get(f"{world.prefix}/surveys/{survey.id}/results").status_code == 200
    assert client_for(world.neighbour).get(f"{world.prefix}/surveys/{survey.id}/results").status_code == 403
