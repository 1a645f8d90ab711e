"""Meeting pages per role, bad input answered with the reason, the notice PDF and the notice email (real SMTP)."""

from __future__ import annotations

from email import message_from_bytes, policy

from sqlalchemy import func, select

from app.governance.meetings import operations, queries
from app.governance.meetings.models import NoticeEmail, VoteChannel
from tenants.context import council_context
from tests.fixtures.sessions import post
from tests.governance.meetings.conftest import add_resolution, make_meeting, ready_meeting
from tests.workers.conftest import redis_conn, run_jobs, smtp_server  # noqa: F401  (fixtures)


def _meeting(world, committed=True):
    with council_context(world.council.id):
        meeting, resolutions = ready_meeting(world)
        return meeting.id, resolutions[0].id


def test_pages_per_role(world, client_for, active_db):
    meeting_id, resolution_id = _meeting(world)
    page = f"{world.prefix}/{meeting_id}"
    count = f"{page}/resolutions/{resolution_id}/count"
    assert client_for(None).get(page).status_code == 302  # sign in first
    assert client_for(world.outsider).get(page).status_code == 403
    member = client_for(world.members[0]).get(page)
    assert member.status_code == 200 and "Vote on Resolution 1" in member.get_data(as_text=True)
    assert client_for(world.members[0]).get(count).status_code == 403
    assert client_for(world.scrutineer).get(count).status_code == 200
    assert client_for(world.officer).get(count).status_code == 200  # a council officer of housing
    assert client_for(world.scrutineer).get(f"{world.prefix}/new").status_code == 403
    assert client_for(world.secretary).get(f"{world.prefix}/new").status_code == 200
    pdf = client_for(world.members[0]).get(f"{page}/notice.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # Members do not see a result before it is published.
    assert client_for(world.members[0]).get(f"{page}/resolutions/{resolution_id}/result").status_code == 404


def test_voting_twice_across_channels_is_refused_on_the_page(world, client_for, active_db):
    meeting_id, resolution_id = _meeting(world)
    base = f"{world.prefix}/{meeting_id}/resolutions/{resolution_id}"
    voter = world.members[0]
    with council_context(world.council.id):
        line_id = world.line(voter).id
    recorded = post(
        client_for(world.scrutineer), f"{base}/count/voters", {"member_id": str(line_id), "channel": "postal"}
    )
    assert recorded.status_code == 303
    again = post(client_for(voter), f"{base}/vote", {"choice": "for"})
    assert again.status_code == 409
    assert "vote by post has already been recorded" in again.get_data(as_text=True)
    ceased = post(client_for(world.ceased), f"{base}/vote", {"choice": "for"})
    assert ceased.status_code == 403  # not a member any more: no part in the society's meetings


def test_bad_input_gets_the_reason_and_a_4xx(world, client_for, active_db):
    meeting_id, resolution_id = _meeting(world)
    base = f"{world.prefix}/{meeting_id}/resolutions/{resolution_id}"
    totals = post(
        client_for(world.scrutineer),
        f"{base}/count/totals",
        {"channel": "room", "votes_for": "3", "votes_against": "0", "abstentions": "0"},
    )
    assert totals.status_code == 422 and "adds up to 3 but 0 members" in totals.get_data(as_text=True)
    words = post(client_for(world.scrutineer), f"{base}/count/totals", {"channel": "room", "votes_for": "many"})
    assert words.status_code == 422
    created = post(
        client_for(world.secretary), f"{world.prefix}/new", {"kind": "annual", "title": "AGM", "starts_on": "soon"}
    )
    assert created.status_code == 422 and "Enter a real date" in created.get_data(as_text=True)
    with council_context(world.council.id):
        late_meeting = make_meeting(world)
        late = add_resolution(world, late_meeting)
        active_db.session.commit()
        ids = late_meeting.id, late.id
    put = post(client_for(world.secretary), f"{world.prefix}/{ids[0]}/resolutions/{ids[1]}/put")
    assert put.status_code == 409
    assert "not in a notice of the meeting" in put.get_data(as_text=True)


def test_holder_over_the_cap_is_refused_on_the_proxy_page(world, client_for, active_db):
    meeting_id, _resolution_id = _meeting(world)
    url = f"{world.prefix}/{meeting_id}/proxies"
    with council_context(world.council.id):
        ids = [world.line(p).id for p in world.members]
    secretary = client_for(world.secretary)
    assert post(secretary, url, {"member_id": str(ids[1]), "holder_id": str(ids[0])}).status_code == 303
    assert post(secretary, url, {"member_id": str(ids[2]), "holder_id": str(ids[0])}).status_code == 303
    over = post(secretary, url, {"member_id": str(ids[3]), "holder_id": str(ids[0])})
    assert over.status_code == 409 and "already holds 2 proxies" in over.get_data(as_text=True)


def test_the_notice_is_emailed_once_per_member(committed_db, world, client_for, run_jobs, smtp_server):  # noqa: F811
    with council_context(world.council.id):
        meeting = make_meeting(world)
        add_resolution(world, meeting)
        committed_db.session.commit()
        meeting_id = meeting.id
    answer = post(client_for(world.secretary), f"{world.prefix}/{meeting_id}/notice")
    assert answer.status_code == 303
    run_jobs()
    messages = [message_from_bytes(e.content, policy=policy.default) for e in smtp_server.envelopes]
    addresses = sorted(m["To"] for m in messages)
    assert addresses == sorted(p.email for p in world.members)  # not the ceased member, not outsiders
    body = messages[0].get_content()
    assert "Change rule 12" in body and "proxy" in body and f"/meetings/{meeting_id}" in body
    # The job's work again (a retry, or a second notice) emails nobody twice.
    with council_context(world.council.id):
        again = []
        meeting = queries.meeting(world.society_id, meeting_id)
        assert operations.email_notice(meeting, world.society, lambda m, a: again.append(a)) == 0
        assert again == []
        sent = committed_db.session.scalar(select(func.count()).select_from(NoticeEmail))
    assert sent == len(world.members)
    run_jobs()
    assert len(smtp_server.envelopes) == len(world.members)


def test_result_published_to_members(world, client_for, active_db):
    meeting_id, resolution_id = _meeting(world)
    base = f"{world.prefix}/{meeting_id}/resolutions/{resolution_id}"
    with council_context(world.council.id):
        meeting = queries.meeting(world.society.id, meeting_id)
        resolution = queries.resolution(meeting_id, resolution_id)
        for person in world.members[:3]:
            operations.vote_online(resolution, world.line(person), person, "for")
        operations.record_channel_voter(resolution, meeting, world.line(world.members[3]), VoteChannel.POSTAL, by=None)
        operations.enter_channel_count(
            resolution, VoteChannel.POSTAL, votes_for=1, votes_against=0, abstentions=0, by=None
        )
        active_db.session.commit()
    scrutineer = client_for(world.scrutineer)
    assert post(scrutineer, f"{base}/close").status_code == 303
    assert post(scrutineer, f"{base}/sign-off").status_code == 303
    assert post(scrutineer, f"{base}/publish").status_code == 403  # publishing is the secretary's
    assert post(client_for(world.secretary), f"{base}/publish").status_code == 303
    shown = client_for(world.members[5]).get(f"{base}/result").get_data(as_text=True)
    assert "The resolution was passed." in shown and "4 * 4 &gt;= 3 * 4" in shown
