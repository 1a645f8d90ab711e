"""The officer's open-voting page, links from the round's page, and a neighbourhood's results page."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.voting.models import Ballot
from app.youth import voting
from app.youth.models import Phase, VoteKind
from tests.fixtures.sessions import post
from tests.youth.conftest import build_round, finish_ballot, make_voter, reviewed_round


def test_officer_opens_voting_and_the_round_page_links_each_ballot(world, client_for, in_council):
    round_, _proposals = reviewed_round(world)
    officer = client_for(world.officer)
    url = f"{world.prefix}/manage/{round_.id}/voting"
    assert officer.get(url).status_code == 200
    bad = post(officer, url, {"vote_kind": "approval", "max_picks": "lots"})
    assert bad.status_code == 400 and "whole number" in bad.get_data(as_text=True)
    from app.youth.queries import services

    sport = next(s for s, _p in services(round_) if s.name == "Sport")
    bad = post(officer, url, {"vote_kind": "division", f"floor-{sport.id}": "lots"})
    assert bad.status_code == 400 and "amount of money for Sport" in bad.get_data(as_text=True)
    assert db.session.scalar(select(Ballot.id)) is None
    done = post(officer, url, {"vote_kind": "pb"})
    assert done.status_code == 302
    again = post(officer, url, {"vote_kind": "pb"})
    assert again.status_code == 409 and "already opened" in again.get_data(as_text=True)
    ballots = voting.round_ballots(round_)
    page = client_for(None).get(f"{world.prefix}/{round_.id}").get_data(as_text=True)
    for ballot in ballots.values():
        assert f"/ballots/{ballot.id}" in page
    assert "Results for Brixton Hill" in page


def test_open_voting_without_proposals_is_a_409_with_the_reason(world, client_for, in_council):
    round_ = build_round(world, Phase.REVIEW)
    response = post(client_for(world.officer), f"{world.prefix}/manage/{round_.id}/voting", {"vote_kind": "pb"})
    assert response.status_code == 409
    assert "accepted proposals" in response.get_data(as_text=True)


def test_open_voting_is_for_managers_only(world, client_for, in_council):
    round_, _ = reviewed_round(world)
    url = f"{world.prefix}/manage/{round_.id}/voting"
    assert post(client_for(world.housing_officer), url, {"vote_kind": "pb"}).status_code == 403
    assert post(client_for(world.residents[0]), url, {"vote_kind": "pb"}).status_code == 403
    assert db.session.scalar(select(Ballot.id)) is None


def test_results_page_shows_equal_shares_and_greedy_with_a_plain_explanation(world, client_for, in_council):
    round_, proposals = reviewed_round(world)
    football, boxing, dance = proposals[:3]
    voting.open_voting(round_, vote_kind=VoteKind.PB, by=world.officer)
    db.session.commit()
    url = f"{world.prefix}/{round_.id}/neighbourhoods/{world.neighbourhoods[0].id}/results"
    before = client_for(None).get(url)
    assert before.status_code == 200 and "not been counted" in before.get_data(as_text=True)
    ballot_id = voting.round_ballots(round_)[world.neighbourhoods[0].id].id
    papers = [(make_voter(world), [f"youth-{football.id}", f"youth-{boxing.id}"]) for _ in range(6)]
    papers += [(make_voter(world), [f"youth-{dance.id}"]) for _ in range(4)]
    finish_ballot(world, ballot_id, papers)
    page = client_for(None).get(url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Dance" in text and "What was funded" in text
    assert "Greedy (most votes first)" in text  # the comparison table from the voting results
    assert "pocket money" in text  # the explanation for young people
    # Greedy would fund football and boxing (most votes); Equal Shares funds dance, so they differ.
    assert "Why the two ways differ here" in text


def test_results_page_of_a_neighbourhood_not_in_the_round_is_404(world, client_for, in_council):
    round_ = build_round(world, Phase.REVIEW)
    from app.youth.operations import set_budgets

    round_.phase_override = Phase.PROPOSALS
    set_budgets(round_, {world.neighbourhoods[1].id: None}, by=world.officer)
    db.session.commit()
    client = client_for(None)
    assert (
        client.get(f"{world.prefix}/{round_.id}/neighbourhoods/{world.neighbourhoods[1].id}/results").status_code == 404
    )
    assert client.get(f"{world.prefix}/{round_.id}/neighbourhoods/999999/results").status_code == 404


def test_officer_can_tell_residents_a_phase_has_started(world, client_for, in_council):
    from workers.models import OutboxJob

    round_ = build_round(world, Phase.PROPOSALS)
    url = f"{world.prefix}/manage/{round_.id}/announce-phase"
    assert post(client_for(world.residents[0]), url).status_code == 403
    assert post(client_for(world.officer), url, csrf=False).status_code == 400
    assert post(client_for(world.officer), url).status_code == 302
    job = db.session.scalar(select(OutboxJob).where(OutboxJob.func_name.contains("send_round_notification")))
    assert job is not None and job.args == [round_.id, "proposals"]
    upcoming = build_round(world, Phase.UPCOMING, title="Next year")
    assert post(client_for(world.officer), f"{world.prefix}/manage/{upcoming.id}/announce-phase").status_code == 303
