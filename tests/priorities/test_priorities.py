"""Neighbourhood priorities: ballots from a template, results per neighbourhood and council-wide, pages."""

from __future__ import annotations

import json
from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.priorities import operations
from app.priorities.catalogue import TEMPLATES
from app.priorities.models import PrioritiesBallot, PrioritiesExercise
from app.priorities.results import exercise_results
from app.voting import counting, timing
from app.voting import operations as voting
from app.voting.models import Ballot, BallotKind, BallotStatus
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.fixtures.sessions import post

AREAS = ["Parks and green spaces", "Street cleaning", "Community safety", "Youth activities"]


def _request(town, **changes) -> operations.ExerciseRequest:
    values = {
        "template": "top-3",
        "kind": BallotKind.POINTS,
        "title": "Top 3 priorities for your neighbourhood",
        "neighbourhood_ids": list(town.places.values()),
        "areas": AREAS,
        "winners": 2,
        "points": 10,
        "max_per_option": 6,
        "closes_at": timing.now() + timedelta(days=7),
        "open_now": True,
    }
    return operations.ExerciseRequest(**(values | changes))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("kind", [BallotKind.POINTS, BallotKind.RANKED, BallotKind.APPROVAL])
def test_a_template_makes_one_open_ballot_per_neighbourhood(town, kind):
    world = town.world
    with council_context(world.council.id):
        exercise = operations.create_exercise(_request(town, kind=kind), by=world.officer)
        pairs = operations.exercise_ballots(exercise)
        assert [n.name for n, _b in pairs] == ["Castleton", "Milnrow", "Wardle"]
        for place, ballot in pairs:
            assert ballot.kind is kind and ballot.module == "priorities"
            assert ballot.neighbourhood_id == place.id
            assert ballot.status is BallotStatus.OPEN
            assert ballot.electorate == {
                "type": "verified_residents",
                "neighbourhood_ids": [place.id],
                "min_age": None,
                "max_age": None,
            }
            # Only the verified residents of that neighbourhood are counted (not the unverified one).
            assert ballot.electorate_size == len(town.voters[place.name])
            assert [o.title for o in voting.ballot_options(ballot)] == AREAS
            assert ballot.parameters["seats"] == 2
        if kind is BallotKind.POINTS:
            assert pairs[0][1].parameters == {"seats": 2, "points": 10, "max_per_option": 6}
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"priorities.exercise_created", "ballot.created", "ballot.opened"} <= actions


def test_residents_vote_only_in_their_own_neighbourhood(town):
    world = town.world
    with council_context(world.council.id):
        exercise = operations.create_exercise(_request(town), by=world.officer)
        ballots = {n.name: b for n, b in operations.exercise_ballots(exercise)}
        castleton = town.voters["Castleton"][0]
        voting.cast_vote(ballots["Castleton"], castleton, {"parks-and-green-spaces": 6, "street-cleaning": 4})
        with pytest.raises(voting.NotEligibleError):
            voting.cast_vote(ballots["Milnrow"], castleton, {"street-cleaning": 4})
        with pytest.raises(voting.NotEligibleError):
            voting.cast_vote(ballots["Castleton"], town.unverified, {"street-cleaning": 4})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"neighbourhood_ids": []}, "neighbourhoods"),
        ({"neighbourhood_ids": [999_999_999]}, "neighbourhoods"),
        ({"areas": ["Only one"]}, "areas"),
        ({"areas": ["Parks", "parks"]}, "areas"),
        ({"winners": 5}, "winners"),
        ({"points": 0}, "points"),
        ({"max_per_option": 11}, "max_per_option"),
        ({"title": "  "}, "title"),
        ({"template": "nope"}, "template"),
        ({"kind": BallotKind.PB}, "kind"),
        ({"closes_at": None}, "closes_on"),
    ],
)
def test_a_bad_request_is_refused_and_nothing_is_written(town, changes, field):
    world = town.world
    with council_context(world.council.id):
        with pytest.raises(operations.PrioritiesError) as refused:
            operations.create_exercise(_request(town, **changes), by=world.officer)
        assert refused.value.field == field
        assert _count(PrioritiesExercise) == 0 and _count(Ballot) == 0


def _vote_count_publish(town, exercise, papers_by_place):
    world = town.world
    ballots = {n.name: b for n, b in operations.exercise_ballots(exercise)}
    for name, papers in papers_by_place.items():
        for voter, content in zip(town.voters[name], papers, strict=False):
            voting.cast_vote(ballots[name], voter, content)
    for ballot in ballots.values():
        voting.close_ballot(ballot, world.officer)
        counting.run_count(ballot.id)
        counting.publish(ballot, actor_user_id=world.officer.id)
    return ballots


def test_results_per_neighbourhood_and_council_wide_with_turnout(town):
    world = town.world
    parks, streets, safety, youth = (
        "parks-and-green-spaces",
        "street-cleaning",
        "community-safety",
        "youth-activities",
    )
    with council_context(world.council.id):
        exercise = operations.create_exercise(_request(town), by=world.officer)
        _vote_count_publish(
            town,
            exercise,
            {
                # Castleton: 3 of 4 vote. Parks 12, streets 10, safety 6, youth 2 (of 30 points).
                "Castleton": [{parks: 6, streets: 4}, {parks: 6, safety: 4}, {streets: 6, safety: 2, youth: 2}],
                # Milnrow: 2 of 2 vote. Youth 10, safety 10 (of 20).
                "Milnrow": [{youth: 6, safety: 4}, {youth: 4, safety: 6}],
                # Wardle: nobody votes.
            },
        )
        outcome = exercise_results(exercise)
    rows = {r.neighbourhood.name: r for r in outcome.neighbourhoods}
    assert rows["Castleton"].papers == 3 and rows["Castleton"].eligible == 4
    assert rows["Castleton"].turnout == Fraction(3, 4)
    assert rows["Castleton"].winners == ["Parks and green spaces", "Street cleaning"]
    assert rows["Castleton"].scores == {parks: 12, streets: 10, safety: 6, youth: 2}
    assert rows["Milnrow"].turnout == 1
    assert rows["Wardle"].papers == 0 and rows["Wardle"].turnout == 0
    # Nobody voted in Wardle, and Milnrow gave the other priorities nothing: no tie-break lot counts as a choice.
    assert rows["Wardle"].winners == []
    assert sorted(rows["Milnrow"].winners) == ["Community safety", "Youth activities"]
    assert outcome.papers == 5 and outcome.eligible == 9 and outcome.turnout == Fraction(5, 9)
    # Each neighbourhood with results counts equally: Wardle's blank result adds zero shares.
    assert outcome.with_results == 3
    standing = {s.key: s for s in outcome.standings}
    assert standing[safety].average_share == (Fraction(6, 30) + Fraction(10, 20)) / 3
    assert standing[parks].average_share == Fraction(12, 30) / 3
    assert standing[youth].total == 12 and standing[youth].won_in == 1
    assert [s.key for s in outcome.standings][:2] == [safety, youth]


def test_ranked_results_use_first_preferences(town):
    world = town.world
    with council_context(world.council.id):
        exercise = operations.create_exercise(
            _request(town, kind=BallotKind.RANKED, neighbourhood_ids=[town.places["Milnrow"]], winners=1),
            by=world.officer,
        )
        _vote_count_publish(
            town, exercise, {"Milnrow": [["street-cleaning", "parks-and-green-spaces"], ["street-cleaning"]]}
        )
        (row,) = exercise_results(exercise).neighbourhoods
    assert row.winners == ["Street cleaning"]
    assert row.scores["street-cleaning"] == 2 and row.turnout == 1


def _base(world) -> str:
    return f"{world.prefix}/priorities"


def _form(town, **changes) -> dict:
    data = {
        "template": "top-3",
        "kind": "points",
        "title": "Our priorities",
        "neighbourhoods": [str(town.places["Castleton"]), str(town.places["Wardle"])],
        "areas": "Parks\nStreet cleaning\n\nRoad safety",
        "winners": "2",
        "points": "10",
        "max_per_option": "",
        "closes_on-day": "",
        "closes_on-month": "",
        "closes_on-year": "",
        "open_now": "no",
    }
    return data | changes


def test_an_officer_makes_ballots_from_the_form(town, client_for, in_council):
    world = town.world
    client = client_for(world.officer)
    page = client.get(_base(world) + "/new")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert str(TEMPLATES["top-3"].title) in text and "Community safety" in text and "Castleton" in text
    day = timing.today() + timedelta(days=10)
    response = post(
        client,
        _base(world) + "/new",
        _form(
            town,
            open_now="yes",
            **{"closes_on-day": str(day.day), "closes_on-month": str(day.month), "closes_on-year": str(day.year)},
        ),
    )
    assert response.status_code == 302
    exercise = db.session.scalar(select(PrioritiesExercise))
    assert exercise.title == "Our priorities" and exercise.kind == "points"
    pairs = operations.exercise_ballots(exercise)
    assert [n.name for n, _b in pairs] == ["Castleton", "Wardle"]
    assert all(b.status is BallotStatus.OPEN for _n, b in pairs)
    assert [o.title for o in voting.ballot_options(pairs[0][1])] == ["Parks", "Street cleaning", "Road safety"]
    results = client.get(response.headers["Location"])
    assert results.status_code == 200
    assert "Residents who can vote" in results.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"neighbourhoods": []}, "Choose at least one neighbourhood"),
        ({"areas": "Parks"}, "List at least 2 priority areas"),
        ({"winners": "x"}, "the number of priorities chosen as a whole number"),
        ({"points": ""}, "Enter the points each resident shares out"),
        ({"open_now": "yes"}, "Set when voting closes"),
        ({"closes_on-day": "31", "closes_on-month": "2", "closes_on-year": "2030"}, "Enter a real date"),
    ],
)
def test_the_form_explains_what_is_wrong(town, client_for, in_council, changes, message):
    client = client_for(town.world.officer)
    response = post(client, _base(town.world) + "/new", _form(town, **changes))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and message in text
    assert _count(PrioritiesExercise) == 0 and _count(Ballot) == 0


def test_only_officers_of_the_module_start_exercises(town, client_for, in_council, app):
    world = town.world
    assert client_for(world.residents[0]).get(_base(world) + "/new").status_code == 403
    assert client_for(world.housing_officer).get(_base(world) + "/new").status_code == 403
    assert post(client_for(world.residents[0]), _base(world) + "/new", _form(town)).status_code == 403
    anonymous = app.test_client().get(_base(world) + "/new")
    assert anonymous.status_code == 302 and "sign-in" in anonymous.headers["Location"]
    assert client_for(world.admin).get(_base(world) + "/new").status_code == 200
    assert _count(PrioritiesExercise) == 0


def test_results_are_public_once_published_and_counted_results_only_for_officers(town, client_for, in_council):
    world = town.world
    exercise = operations.create_exercise(_request(town, neighbourhood_ids=[town.places["Milnrow"]]), by=world.officer)
    ((_place, ballot),) = operations.exercise_ballots(exercise)
    voting.cast_vote(ballot, town.voters["Milnrow"][0], {"community-safety": 6})
    voting.close_ballot(ballot, world.officer)
    counting.run_count(ballot.id)
    db.session.commit()
    url = f"{_base(world)}/{exercise.id}"
    resident = client_for(world.residents[0]).get(url).get_data(as_text=True)
    assert "No result yet" in resident and "Average share" not in resident
    officer = client_for(world.officer).get(url).get_data(as_text=True)
    assert "Average share" in officer and "Community safety" in officer and 'role="img"' in officer
    counting.publish(ballot, actor_user_id=world.officer.id)
    db.session.commit()
    resident = client_for(world.residents[0]).get(url).get_data(as_text=True)
    assert "Average share" in resident and "100.0%" in resident  # its share of the points
    assert "50.0%" in resident  # turnout: 1 of the 2 verified residents of Milnrow


def test_every_page_is_a_404_when_the_module_is_off(town, client_for, in_council):
    world = town.world
    exercise = operations.create_exercise(_request(town), by=world.officer)
    db.session.commit()
    set_module_enabled("priorities", False)
    db.session.commit()
    client = client_for(world.admin)
    for path in ("/", "/new", f"/{exercise.id}"):
        assert client.get(_base(world) + path).status_code == 404, path


def test_another_councils_exercise_is_a_404(town, client_for, in_council, create_council):
    world = town.world
    exercise = operations.create_exercise(_request(town), by=world.officer)
    db.session.commit()
    assert client_for(world.admin).get(f"{_base(world)}/{exercise.id + 1}").status_code == 404
    assert _count(PrioritiesBallot) == 3


def test_points_papers_and_results_export_as_csv(town):
    from app.voting import exports

    world = town.world
    with council_context(world.council.id):
        exercise = operations.create_exercise(
            _request(town, neighbourhood_ids=[town.places["Milnrow"]]), by=world.officer
        )
        (ballot,) = _vote_count_publish(
            town, exercise, {"Milnrow": [{"youth-activities": 6, "community-safety": 4}, {"street-cleaning": 5}]}
        ).values()
        papers_csv = exports.ballots_csv(ballot).splitlines()
        result = json.loads(counting.current_result(ballot).document)
        results_csv = exports.results_csv(ballot, result).splitlines()
    assert papers_csv[0] == "paper,parks-and-green-spaces,street-cleaning,community-safety,youth-activities"
    assert sorted(line.split(",", 1)[1] for line in papers_csv[1:]) == ["0,0,4,6", "0,5,0,0"]
    assert results_csv[0] == "key,title,points,elected"
    assert "youth-activities,Youth activities,6,yes" in results_csv
    assert "street-cleaning,Street cleaning,5,yes" in results_csv
