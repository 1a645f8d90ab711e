"""Proxies for resolutions: recorded within the cap, voted by the holder, counted as proxy votes."""

from __future__ import annotations

import html
import json

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.voting.counting import current_result, run_count
from app.voting.models import BallotKind, BallotPaper, BallotStatus, Channel, Participation, Proxy
from app.voting.operations import AlreadyVotedError, cast_vote
from app.voting.rules import default_parameters
from tenants.context import council_context
from tests.voting.counting.web import send, session_client, staff


@pytest.fixture
def setup(app, db, create_council, create_user, grant_role, make_ballot):
    people = staff(create_council, create_user, grant_role)
    residents = [create_user(name=f"Member {n}") for n in range(4)]
    for person in residents:
        grant_role(person, people.council, Role.RESIDENT)
    outsider = create_user(name="Not a member")
    params = default_parameters(BallotKind.RESOLUTION) | {"proxy_cap": 1, "quorum_count": 2}
    with council_context(people.council.id):
        made = make_ballot(
            BallotKind.RESOLUTION, "resolution", [], params, [], status=BallotStatus.OPEN, electorate_size=4
        )
        ids = {
            "council": people.council.id,
            "ballot": made.ballot.id,
            "slug": people.council.slug,
            "admin": people.admin.id,
            "members": [(r.id, r.email) for r in residents],
            "outsider": outsider.email,
        }
        db.session.commit()
    ids["url"] = f"/c/{ids['slug']}/ballots/manage/{ids['ballot']}/proxies"
    return ids


class _Page:
    def __init__(self, response):
        self.status_code = response.status_code
        self.text = html.unescape(response.get_data(as_text=True))

    def get_data(self, as_text=True):
        return self.text


def _record(app, ids, member_email, holder_email):
    return _Page(_send(app, ids, member_email, holder_email))


def _send(app, ids, member_email, holder_email):
    return send(
        session_client(app, ids["admin"]),
        "POST",
        ids["url"],
        {"member_email": member_email, "holder_email": holder_email},
    )


def test_proxies_are_recorded_within_the_cap(app, db, setup):
    ids = setup
    (m0, e0), (_, e1), (m2, e2), _ = ids["members"]
    assert _record(app, ids, e0, e2).status_code == 302
    over = _record(app, ids, e1, e2)
    assert over.status_code == 422 and "already holds 1 proxy, the most the rules allow" in over.get_data(as_text=True)
    again = _record(app, ids, e0, e1)
    assert again.status_code == 422 and "has already appointed a proxy" in again.get_data(as_text=True)
    own = _record(app, ids, e1, e1)
    assert own.status_code == 422 and "cannot hold their own proxy" in own.get_data(as_text=True)
    outsider = _record(app, ids, ids["outsider"], e1)
    assert outsider.status_code == 422 and "not in this ballot's electorate" in outsider.get_data(as_text=True)
    unknown = _record(app, ids, "nobody@example.org", e1)
    assert unknown.status_code == 422 and "No account has that email address" in unknown.get_data(as_text=True)
    with council_context(ids["council"]):
        rows = db.session.execute(select(Proxy.member_user_id, Proxy.holder_user_id)).all()
    assert rows == [(m0, m2)]
    page = session_client(app, ids["admin"]).get(ids["url"]).get_data(as_text=True)
    assert "Member 0" in page and "Member 2" in page


def test_the_holder_votes_for_the_member_and_the_count_shows_a_proxy_vote(app, db, setup):
    ids = setup
    (m0, e0), (m1, _), (m2, e2), (m3, _) = ids["members"]
    _record(app, ids, e0, e2)
    url = f"/c/{ids['slug']}/ballots/{ids['ballot']}/proxy-votes"
    holder = session_client(app, m2)
    page = holder.get(url).get_data(as_text=True)
    assert "Member 0" in page and "Who are you voting for?" in page
    # Someone who holds no proxy for that member is refused.
    refused = send(session_client(app, m1), "POST", url, {"member": str(m0), "choice": "for"})
    assert refused.status_code == 422
    cast = send(holder, "POST", url, {"member": str(m0), "choice": "for"})
    assert cast.status_code == 200 and "Vote cast for Member 0" in cast.get_data(as_text=True)
    with council_context(ids["council"]):
        [(user, channel)] = db.session.execute(select(Participation.user_id, Participation.channel)).all()
        assert (user, channel) == (m0, Channel.PROXY)
        assert db.session.scalar(select(BallotPaper.channel)) is Channel.PROXY
    # The member cannot now vote in person, nor the holder a second time for them.
    again = send(holder, "POST", url, {"member": str(m0), "choice": "against"})
    assert again.status_code == 409 and "already voted" in again.get_data(as_text=True)
    from app.auth.models import User
    from app.voting.models import Ballot

    with council_context(ids["council"]):
        ballot = db.session.scalar(select(Ballot))
        member = db.session.scalar(select(User).where(User.id == m0))
        with pytest.raises(AlreadyVotedError):
            cast_vote(ballot, member, "against")
        holder_user = db.session.scalar(select(User).where(User.id == m2))
        cast_vote(ballot, holder_user, "for")
        cast_vote(ballot, db.session.scalar(select(User).where(User.id == m3)), "against")
        ballot.status = BallotStatus.CLOSED
        db.session.flush()
        run_count(ballot.id)
        body = json.loads(current_result(ballot).document)
    assert body["details"]["votes"] == {"for": 2, "against": 1, "abstain": 0}
    assert body["details"]["of_which_proxy"] == {"for": 1, "against": 0, "abstain": 0}
    assert body["details"]["quorum"]["present"] == 3 and body["outcome"] == "passed"


def test_proxies_are_only_for_resolutions(app, db, create_council, create_user, grant_role, make_ballot):
    from tests.voting.counting.elections import CANDIDATES

    people = staff(create_council, create_user, grant_role)
    with council_context(people.council.id):
        made = make_ballot(BallotKind.RANKED, "irv", CANDIDATES, {"seats": 1}, [], status=BallotStatus.OPEN)
    url = f"/c/{people.council.slug}/ballots/manage/{made.ballot.id}/proxies"
    assert session_client(app, people.admin.id).get(url).status_code == 404
