"""Election pages per role: who sees what, standing through the form, refusals with the reason and a 4xx."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.governance.elections import operations
from app.governance.elections.models import Election, ElectionSeat, ElectionStatus, Nomination, NominationStatus
from app.voting import counting, timing
from app.voting import operations as ballot_ops
from tests.fixtures.sessions import post
from tests.governance.elections.conftest import (
    add_member,
    close_nominations,
    date_fields,
    make_election,
    seat_of,
    stand,
    user_of,
)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _new_form(**kw):
    today = timing.today()
    data = {
        "title": "Board election 2027",
        "body_name": "Board",
        "body_size": "5",
        "description": "",
        "method": "stv",
        "statement_max_words": "200",
        "term_years": "3",
        **date_fields("nominations_open_on", today),
        **date_fields("nominations_close_on", today + timedelta(days=10)),
        **date_fields("voting_closes_on", today + timedelta(days=20)),
    }
    data.update(kw)
    return data


def test_officers_create_an_election_and_set_its_seats(world, client_for, in_council):
    for person in (world.secretary, world.officer, world.admin):
        assert client_for(person).get(f"{world.prefix}/new").status_code == 200
    client = client_for(world.secretary)
    response = post(client, f"{world.prefix}/new", _new_form())
    assert response.status_code == 302
    election = db.session.scalar(select(Election))
    assert election.body_name == "Board" and election.status is ElectionStatus.DRAFT
    seats_url = f"{world.prefix}/{election.id}/manage/seats"
    assert client.get(seats_url).status_code == 200
    too_many = {f"seats-{world.classes['Parents'].id}": "4", f"seats-{world.classes['Staff'].id}": "2"}
    response = post(client, seats_url, too_many)
    assert response.status_code == 422
    assert "The constituencies have 6 seats between them, but the Board has only 5." in response.get_data(as_text=True)
    assert _count(ElectionSeat) == 0
    response = post(
        client, seats_url, {f"seats-{world.classes['Parents'].id}": "3", f"seats-{world.classes['Staff'].id}": "x"}
    )
    assert response.status_code == 422 and "Enter the seats for Staff as a whole number" in response.get_data(
        as_text=True
    )
    ok = {f"seats-{world.classes['Parents'].id}": "3", f"seats-{world.classes['Staff'].id}": "2"}
    assert post(client, seats_url, ok).status_code == 302
    assert _count(ElectionSeat) == 2
    assert post(client, f"{world.prefix}/{election.id}/manage/open-nominations").status_code == 302
    db.session.refresh(election)
    assert election.status is ElectionStatus.NOMINATIONS


def test_bad_details_get_messages_next_to_the_fields(world, client_for, in_council):
    client = client_for(world.secretary)
    response = post(client, f"{world.prefix}/new", _new_form(body_size="lots", **{"voting_closes_on-day": "x"}))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#body_size"' in body and "Enter the number of seats on the body as a whole number" in body
    assert 'href="#voting_closes_on-day"' in body
    assert _count(Election) == 0


def test_members_and_other_people_cannot_run_elections(world, client_for, in_council):
    election = make_election(world)
    parent = add_member(world, "Parents", "Pat Parent")
    db.session.commit()
    for person in (user_of(world, parent), world.stranger, world.housing_officer):
        client = client_for(person)
        assert client.get(f"{world.prefix}/new").status_code == 403
        assert client.get(f"{world.prefix}/{election.id}/manage").status_code == 403
        assert post(client, f"{world.prefix}/{election.id}/manage/start-poll").status_code == 403
    anonymous = client_for(None).get(f"{world.prefix}/{election.id}/manage")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]


def test_drafts_are_hidden_from_members(world, client_for, in_council):
    draft = make_election(world, open_nominations=False)
    assert client_for(world.stranger).get(f"{world.prefix}/{draft.id}").status_code == 404
    assert draft.title not in client_for(world.stranger).get(f"{world.prefix}/").get_data(as_text=True)
    assert client_for(world.secretary).get(f"{world.prefix}/{draft.id}").status_code == 200


def test_a_member_stands_through_the_form(world, client_for, in_council):
    election = make_election(world)
    parent = add_member(world, "Parents", "Pat Parent")
    db.session.commit()
    client = client_for(user_of(world, parent))
    page = client.get(f"{world.prefix}/{election.id}")
    assert "Stand or nominate a member" in page.get_data(as_text=True)
    assert client.get(f"{world.prefix}/{election.id}/nominate").status_code == 200
    seat = seat_of(world, election, "Parents")
    response = post(
        client,
        f"{world.prefix}/{election.id}/nominate",
        {"seat_id": str(seat.id), "who": "self", "statement": "I will hold the trust to account."},
    )
    assert response.status_code == 302
    nomination = db.session.scalar(select(Nomination))
    assert nomination.status is NominationStatus.SUBMITTED and nomination.member_id == parent.id
    # The secretary checks it; then the statement is public.
    secretary = client_for(world.secretary)
    assert secretary.get(f"{world.prefix}/{election.id}/nominations/{nomination.id}/check").status_code == 200
    response = post(
        secretary, f"{world.prefix}/{election.id}/nominations/{nomination.id}/check", {"decision": "withdraw"}
    )
    assert response.status_code == 422 and "Give the reason for withdrawing the nomination" in response.get_data(
        as_text=True
    )
    response = post(
        secretary, f"{world.prefix}/{election.id}/nominations/{nomination.id}/check", {"decision": "accept"}
    )
    assert response.status_code == 302
    public = client_for(None).get(f"{world.prefix}/{election.id}").get_data(as_text=True)
    assert "I will hold the trust to account." in public and "Pat Parent" in public


def test_nominating_in_the_wrong_constituency_through_the_form(world, client_for, in_council):
    election = make_election(world)
    staff = add_member(world, "Staff", "Stella Staff")
    db.session.commit()
    response = post(
        client_for(user_of(world, staff)),
        f"{world.prefix}/{election.id}/nominate",
        {"seat_id": str(seat_of(world, election, "Parents").id), "who": "self", "statement": "Hello"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "you can stand only in the Staff constituency, not Parents" in body and 'href="#seat_id"' in body
    assert _count(Nomination) == 0


def test_a_ceased_member_and_a_stranger_cannot_stand(world, client_for, in_council):
    election = make_election(world)
    gone = add_member(world, "Parents", "Gina Gone", ceased=True)
    db.session.commit()
    seat = seat_of(world, election, "Parents")
    for person, words in (
        (user_of(world, gone), "you are not a member today"),
        (world.stranger, "not on its register"),
    ):
        response = post(
            client_for(person),
            f"{world.prefix}/{election.id}/nominate",
            {"seat_id": str(seat.id), "who": "self", "statement": "Me"},
        )
        assert response.status_code == 403 and words in response.get_data(as_text=True)
    assert _count(Nomination) == 0


def test_nominations_after_the_close_are_refused_through_the_form(world, client_for, in_council):
    election = make_election(world)
    parent = add_member(world, "Parents", "Late Larry")
    db.session.commit()
    close_nominations(world, election)
    response = post(
        client_for(user_of(world, parent)),
        f"{world.prefix}/{election.id}/nominate",
        {"seat_id": str(seat_of(world, election, "Parents").id), "who": "self", "statement": "Me"},
    )
    assert response.status_code == 409 and "Nominations closed on" in response.get_data(as_text=True)
    assert _count(Nomination) == 0


def test_nominating_another_member_who_agrees_then_withdraws(world, client_for, in_council):
    election = make_election(world)
    nominator = add_member(world, "Parents", "Nora Nominator")
    candidate = add_member(world, "Parents", "Carl Candidate")
    db.session.commit()
    url = f"{world.prefix}/{election.id}/nominate"
    seat = str(seat_of(world, election, "Parents").id)
    response = post(
        client_for(user_of(world, nominator)), url, {"seat_id": seat, "who": "other", "membership_number": "999"}
    )
    assert (
        response.status_code == 422
        and "There is no member of the society with that membership number" in response.get_data(as_text=True)
    )
    response = post(
        client_for(user_of(world, nominator)),
        url,
        {"seat_id": seat, "who": "other", "membership_number": str(candidate.membership_number), "statement": ""},
    )
    assert response.status_code == 302
    nomination = db.session.scalar(select(Nomination))
    consent_url = f"{world.prefix}/{election.id}/nominations/{nomination.id}/consent"
    assert client_for(user_of(world, nominator)).get(consent_url).status_code == 403  # only the candidate
    mine = client_for(user_of(world, candidate))
    assert "Agree to stand" in mine.get(f"{world.prefix}/{election.id}").get_data(as_text=True)
    assert post(mine, consent_url, {"statement": ""}).status_code == 422
    assert post(mine, consent_url, {"statement": "Happy to serve."}).status_code == 302
    db.session.refresh(nomination)
    assert nomination.status is NominationStatus.SUBMITTED
    withdraw_url = f"{world.prefix}/{election.id}/nominations/{nomination.id}/withdraw"
    assert mine.get(withdraw_url).status_code == 200
    assert post(mine, withdraw_url, {"reason": ""}).status_code == 302
    db.session.refresh(nomination)
    assert nomination.status is NominationStatus.WITHDRAWN


def test_the_poll_counting_and_results_pages(world, client_for, in_council):
    election = make_election(world, {"Parents": 1, "Staff": 1})
    a = stand(world, election, add_member(world, "Parents", "Ann"))
    b = stand(world, election, add_member(world, "Parents", "Bob"))
    stand(world, election, add_member(world, "Staff", "Sol"))
    voter = add_member(world, "Parents", "Vic Voter")
    staff_voter = add_member(world, "Staff", "Sid Staff")
    db.session.commit()
    secretary = client_for(world.secretary)
    manage = f"{world.prefix}/{election.id}/manage"
    response = post(secretary, f"{manage}/start-poll")
    assert response.status_code == 409 and "The poll can start after that." in response.get_data(as_text=True)
    close_nominations(world, election)
    assert post(secretary, f"{manage}/start-poll").status_code == 302
    page = client_for(user_of(world, voter)).get(f"{world.prefix}/{election.id}").get_data(as_text=True)
    assert "Vote in your constituency" in page
    staff_page = client_for(user_of(world, staff_voter)).get(f"{world.prefix}/{election.id}").get_data(as_text=True)
    assert "There is no vote in your constituency" in staff_page
    assert client_for(None).get(f"{world.prefix}/{election.id}/results").status_code == 404
    assert secretary.get(manage).status_code == 200
    response = post(secretary, f"{manage}/count")
    assert response.status_code == 409 and "Voting is still open. Close it before counting." in response.get_data(
        as_text=True
    )
    db.session.refresh(election)
    ballot_id = db.session.scalar(select(ElectionSeat.ballot_id).where(ElectionSeat.ballot_id.is_not(None)))
    from app.voting.models import Ballot

    ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
    ballot_ops.cast_vote(ballot, user_of(world, voter), [operations.option_key(b), operations.option_key(a)])
    db.session.commit()
    assert post(secretary, f"{manage}/close").status_code == 302
    assert post(secretary, f"{manage}/count").status_code == 302
    counting.run_count(ballot_id)
    db.session.commit()
    assert secretary.get(f"{world.prefix}/{election.id}/results").status_code == 200  # a preview
    assert client_for(None).get(f"{world.prefix}/{election.id}/results").status_code == 404
    assert post(secretary, f"{manage}/declare").status_code == 302
    results = client_for(None).get(f"{world.prefix}/{election.id}/results")
    body = results.get_data(as_text=True)
    assert results.status_code == 200
    assert "Round by round" in body and "Bob" in body and "Returned unopposed" not in body
    assert "Members of the Stakeholder forum" in body and "Unopposed" in body
    assert client_for(None).get(f"/c/{world.council.slug}/ballots/{ballot_id}/results").status_code == 200


def test_another_councils_people_get_404(world, client_for, in_council, grant_role):
    from app.auth.models import Role

    election = make_election(world)
    grant_role(world.stranger, world.other_council, Role.COUNCIL_ADMIN)
    db.session.commit()
    theirs = f"/c/{world.other_council.slug}/societies/{world.society.id}/elections/{election.id}"
    assert client_for(world.stranger).get(theirs).status_code == 404
    assert client_for(world.stranger).get(f"{theirs}/manage").status_code == 404
