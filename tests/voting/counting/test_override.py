"""Overriding a PB outcome: only with a written reason, shown with the result and audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.voting.counting import CountError, current_result, override_outcome, run_count
from app.voting.models import BallotKind, BallotStatus
from tenants.context import council_context
from tests.voting.counting.elections import CANDIDATES
from tests.voting.counting.web import send, session_client, staff

PROJECTS = [("alpha", "Alpha park", 6000), ("beta", "Beta garden", 4000), ("gamma", "Gamma hall", 4000)]
PAPERS = [["alpha", "beta"]] * 6 + [["gamma"]] * 4
REASON = "The land for the Beta garden was sold before the vote, so it cannot be built."


@pytest.fixture
def counted(create_council, create_user, grant_role, make_ballot):
    people = staff(create_council, create_user, grant_role)
    with council_context(people.council.id):
        made = make_ballot(BallotKind.PB, "greedy", PROJECTS, {"budget_pence": 10000, "utility": "cost"}, PAPERS)
        run_count(made.ballot.id)
    return people, made


def test_an_override_needs_a_written_reason(app, db, counted):
    people, made = counted
    officer = session_client(app, people.admin.id)
    url = f"/c/{people.council.slug}/ballots/manage/{made.ballot.id}/override"
    page = officer.get(url)
    assert page.status_code == 200 and "Why is the outcome being changed?" in page.get_data(as_text=True)
    for reason in ("", "too short"):
        response = send(officer, "POST", url, {"selected": ["alpha", "gamma"], "reason": reason})
        assert response.status_code == 422
        assert "Write" in response.get_data(as_text=True)
    with council_context(people.council.id):
        assert current_result(made.ballot).override_document is None

    response = send(officer, "POST", url, {"selected": ["alpha", "gamma"], "reason": REASON})
    assert response.status_code == 302
    with council_context(people.council.id):
        result = current_result(made.ballot)
        override = json.loads(result.override_document)
        assert override["selected"] == ["alpha", "gamma"] and override["reason"] == REASON
        assert override["replaces_sha256"] == result.sha256
        assert result.override_reason == REASON and result.overridden_by_id == people.admin.id
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "ballot.result_overridden"))
        assert event.payload["reason"] == REASON and event.payload["selected"] == ["alpha", "gamma"]
    html = officer.get(f"/c/{people.council.slug}/ballots/{made.ballot.id}/results").get_data(as_text=True)
    assert "The council changed the outcome of the count" in html
    assert "The land for the Beta garden was sold before the vote" in html


def test_an_override_cannot_overspend_or_name_unknown_projects(db, counted):
    people, made = counted
    with council_context(people.council.id):
        with pytest.raises(CountError, match="more than the budget"):
            override_outcome(made.ballot, selected=["alpha", "beta", "gamma"], reason=REASON, actor_user_id=None)
        with pytest.raises(CountError, match="not projects on the ballot"):
            override_outcome(made.ballot, selected=["delta"], reason=REASON, actor_user_id=None)


def test_only_pb_outcomes_can_be_overridden(app, db, create_council, create_user, grant_role, make_ballot):
    people = staff(create_council, create_user, grant_role)
    with council_context(people.council.id):
        made = make_ballot(BallotKind.RANKED, "irv", CANDIDATES, {"seats": 1}, [["ada"], ["alan"], ["ada"]])
        run_count(made.ballot.id)
        with pytest.raises(CountError, match="participatory budget"):
            override_outcome(made.ballot, selected=["ada"], reason=REASON, actor_user_id=None)
    officer = session_client(app, people.admin.id)
    assert officer.get(f"/c/{people.council.slug}/ballots/manage/{made.ballot.id}/override").status_code == 404


def test_an_uncounted_ballot_cannot_be_overridden(db, create_council, make_ballot):
    council = create_council()
    with council_context(council.id):
        made = make_ballot(
            BallotKind.PB,
            "greedy",
            PROJECTS,
            {"budget_pence": 10000, "utility": "cost"},
            PAPERS,
            status=BallotStatus.CLOSED,
        )
        with pytest.raises(CountError, match="must be counted"):
            override_outcome(made.ballot, selected=["alpha"], reason=REASON, actor_user_id=None)
