"""Meeting operations against real PostgreSQL: notice, proxies, channels, the merged tally, sign-off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.governance.meetings import operations, queries
from app.governance.meetings.models import AttendanceMode, ResolutionKind, VoteChannel
from app.governance.meetings.operations import MeetingError
from app.voting.models import BallotStatus
from tests.governance.meetings.conftest import add_resolution, make_meeting, ready_meeting


def test_resolution_ballot_takes_the_societys_rules(in_council):
    world = in_council
    meeting = make_meeting(world)
    special = add_resolution(world, meeting, ResolutionKind.SPECIAL)
    ordinary = add_resolution(world, meeting, ResolutionKind.ORDINARY, title="Accept the accounts")
    assert queries.ballot(special).parameters["threshold"] == "three_quarters"
    assert queries.ballot(ordinary).parameters["threshold"] == "simple_majority"
    ballot = queries.ballot(special)
    assert ballot.parameters["proxy_cap"] == 2 and ballot.parameters["quorum_count"] == 3
    assert ballot.electorate == {"type": "society_members", "society_id": world.society.id, "member_class_ids": []}
    assert ballot.closes_at == meeting.voting_closes_at


def test_a_resolution_without_notice_is_refused_with_the_reason(in_council):
    world = in_council
    meeting = make_meeting(world)
    resolution = add_resolution(world, meeting)
    with pytest.raises(MeetingError, match="not in a notice of the meeting"):
        operations.put_resolution(resolution, meeting, world.society, by=world.secretary)
    assert queries.ballot(resolution).status is BallotStatus.DRAFT


def test_notice_too_late_is_refused_and_a_late_resolution_cannot_be_put(in_council):
    world = in_council
    meeting = make_meeting(world, days_ahead=10)  # fewer than 14 clear days away
    resolution = add_resolution(world, meeting)
    with pytest.raises(MeetingError, match="had to be sent by"):
        operations.give_notice(meeting, world.society, by=world.secretary)
    assert meeting.notice_given_on is None
    # Backdated notice that left too few clear days: the resolution is refused with the count.
    resolution.noticed_on = queries.meeting_day(meeting) - timedelta(days=10)
    with pytest.raises(MeetingError, match="leaves 9 clear days"):
        operations.put_resolution(resolution, meeting, world.society, by=world.secretary)


def test_a_resolution_added_after_notice_needs_a_notice_of_its_own(in_council):
    world = in_council
    meeting, (_first,) = ready_meeting(world)
    late = add_resolution(world, meeting, title="Added late")
    with pytest.raises(MeetingError, match="not in a notice"):
        operations.put_resolution(late, meeting, world.society, by=world.secretary)
    added = operations.give_notice(meeting, world.society, by=world.secretary)
    assert [r.id for r in added] == [late.id]
    operations.put_resolution(late, meeting, world.society, by=world.secretary)
    assert queries.ballot(late).status is BallotStatus.OPEN
    with pytest.raises(MeetingError, match="already been given"):
        operations.give_notice(meeting, world.society, by=world.secretary)


def test_a_proxy_over_the_cap_is_refused_and_nothing_is_half_written(in_council):
    world = in_council
    meeting, resolutions = ready_meeting(world, kinds=(ResolutionKind.SPECIAL, ResolutionKind.ORDINARY))
    holder = world.line(world.members[0])
    operations.appoint_proxy(meeting, world.line(world.members[1]), holder, by=world.secretary)
    operations.appoint_proxy(meeting, world.line(world.members[2]), holder, by=world.secretary)  # at the cap
    db.session.commit()
    with pytest.raises(MeetingError, match="already holds 2 proxies"):
        operations.appoint_proxy(meeting, world.line(world.members[3]), holder, by=world.secretary)
    db.session.rollback()
    from app.voting.proxies import proxies

    for resolution in resolutions:
        held = [(m.id, h.id) for _p, m, h in proxies(queries.ballot(resolution))]
        assert held == [(world.members[1].id, world.members[0].id), (world.members[2].id, world.members[0].id)]


def test_proxies_must_be_appointed_before_the_meeting(in_council):
    world = in_council
    meeting, _ = ready_meeting(world)
    meeting.starts_at = operations.timing.now() - timedelta(minutes=5)
    with pytest.raises(MeetingError, match="before the meeting starts"):
        operations.appoint_proxy(
            meeting, world.line(world.members[1]), world.line(world.members[0]), by=world.secretary
        )


def test_a_member_votes_in_one_channel_only(in_council):
    world = in_council
    meeting, (resolution,) = ready_meeting(world)
    postal, online, room = world.members[0], world.members[1], world.members[2]
    operations.record_channel_voter(resolution, meeting, world.line(postal), VoteChannel.POSTAL, by=world.scrutineer)
    # Online after a postal vote: refused with the reason.
    with pytest.raises(MeetingError, match="vote by post has already been recorded"):
        operations.vote_online(resolution, world.line(postal), postal, "for")
    # Online first, then in the room: refused.
    operations.vote_online(resolution, world.line(online), online, "against")
    operations.record_attendance(meeting, world.line(online), AttendanceMode.ROOM, by=world.scrutineer)
    with pytest.raises(MeetingError, match="has already voted online"):
        operations.record_channel_voter(resolution, meeting, world.line(online), VoteChannel.ROOM, by=world.scrutineer)
    # Postal then room: refused.
    with pytest.raises(MeetingError, match="vote by post has already been recorded"):
        operations.record_channel_voter(resolution, meeting, world.line(postal), VoteChannel.ROOM, by=world.scrutineer)
    # In the room without being recorded at the door: refused.
    with pytest.raises(MeetingError, match="not recorded as attending in the room"):
        operations.record_channel_voter(resolution, meeting, world.line(room), VoteChannel.ROOM, by=world.scrutineer)
    # A proxy cannot vote for a member who voted by post.
    with pytest.raises(MeetingError, match="voted themselves"):
        operations.cast_proxy_vote(resolution, world.line(world.members[4]), world.line(postal), "for")


def test_a_ceased_member_cannot_vote_in_any_channel(in_council):
    world = in_council
    meeting, (resolution,) = ready_meeting(world)
    ceased = world.line(world.ceased)
    with pytest.raises(MeetingError, match="membership ended"):
        operations.vote_online(resolution, None, world.ceased, "for")
    with pytest.raises(MeetingError, match="membership ended"):
        operations.record_channel_voter(resolution, meeting, ceased, VoteChannel.POSTAL, by=world.scrutineer)
    with pytest.raises(MeetingError, match="membership ended"):
        operations.record_attendance(meeting, ceased, AttendanceMode.ROOM, by=world.scrutineer)
    with pytest.raises(MeetingError, match="membership ended"):
        operations.appoint_proxy(meeting, ceased, world.line(world.members[0]), by=world.secretary)


def test_counts_must_match_the_voters_recorded(in_council):
    world = in_council
    meeting, (resolution,) = ready_meeting(world)
    operations.record_channel_voter(
        resolution, meeting, world.line(world.members[0]), VoteChannel.POSTAL, by=world.scrutineer
    )
    with pytest.raises(MeetingError, match="adds up to 2 but 1 member is recorded"):
        operations.enter_channel_count(
            resolution, VoteChannel.POSTAL, votes_for=2, votes_against=0, abstentions=0, by=world.scrutineer
        )
    row = operations.enter_channel_count(
        resolution, VoteChannel.POSTAL, votes_for=1, votes_against=0, abstentions=0, by=world.scrutineer
    )
    assert row.votes_for == 1


def test_merged_tally_sign_off_and_publication(in_council):
    world = in_council
    meeting, (resolution,) = ready_meeting(world)
    m = world.members
    # Proxy: member 6 appoints member 5, whose vote the scrutineer enters in the room.
    operations.appoint_proxy(meeting, world.line(m[5]), world.line(m[4]), by=world.secretary)
    # Online: members 1 and 2 for.
    operations.vote_online(resolution, world.line(m[0]), m[0], "for")
    operations.vote_online(resolution, world.line(m[1]), m[1], "for")
    # Postal: member 3 against.
    operations.record_channel_voter(resolution, meeting, world.line(m[2]), VoteChannel.POSTAL, by=world.scrutineer)
    operations.enter_channel_count(
        resolution, VoteChannel.POSTAL, votes_for=0, votes_against=1, abstentions=0, by=world.scrutineer
    )
    # Room: members 4 and 5 attend; both vote for by show of hands.
    for person in (m[3], m[4]):
        operations.record_attendance(meeting, world.line(person), AttendanceMode.ROOM, by=world.scrutineer)
        operations.record_channel_voter(resolution, meeting, world.line(person), VoteChannel.ROOM, by=world.scrutineer)
    operations.enter_channel_count(
        resolution, VoteChannel.ROOM, votes_for=2, votes_against=0, abstentions=0, by=world.scrutineer
    )
    operations.cast_proxy_vote(resolution, world.line(m[4]), world.line(m[5]), "for")
    db.session.commit()

    with pytest.raises(MeetingError, match="Close voting"):
        operations.sign_off(resolution, meeting, by=world.scrutineer)
    operations.close_voting(resolution, by=world.scrutineer)
    result = operations.sign_off(resolution, meeting, by=world.scrutineer)
    db.session.commit()
    doc = result.document
    # For: 2 online + 0 postal + 2 room + 1 proxy = 5; against 1. Three-quarters: 4 * 5 = 20 >= 3 * 6 = 18.
    assert doc["sums"]["for"] == "2 + 0 + 2 + 1 (proxy) = 5"
    assert doc["present"]["sum"] == "5 (in person) + 1 (proxies) = 6"
    assert doc["count"]["details"]["quorum"]["inequality"] == "6 >= 3"
    assert doc["count"]["details"]["threshold"]["inequality"] == "4 * 5 >= 3 * 6"
    assert resolution.outcome == "passed" and resolution.result_sha256 == result.sha256
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "meeting.result_signed_off"))
    assert event is not None and event.payload["sha256"] == result.sha256

    # After sign-off the counts cannot change.
    with pytest.raises(MeetingError, match="signed off"):
        operations.enter_channel_count(
            resolution, VoteChannel.ROOM, votes_for=0, votes_against=2, abstentions=0, by=world.scrutineer
        )
    with pytest.raises(MeetingError, match="signed off"):
        operations.record_channel_voter(resolution, meeting, world.line(m[0]), VoteChannel.POSTAL, by=world.scrutineer)
    with pytest.raises(MeetingError, match="signed off"):
        operations.sign_off(resolution, meeting, by=world.scrutineer)

    operations.publish(resolution, by=world.secretary)
    assert resolution.published_at is not None
    with pytest.raises(MeetingError, match="already published"):
        operations.publish(resolution, by=world.secretary)


def test_sign_off_needs_every_channel_with_voters_counted(in_council):
    world = in_council
    meeting, (resolution,) = ready_meeting(world)
    operations.record_channel_voter(
        resolution, meeting, world.line(world.members[0]), VoteChannel.POSTAL, by=world.scrutineer
    )
    operations.close_voting(resolution, by=world.scrutineer)
    with pytest.raises(MeetingError, match="count of the votes by post"):
        operations.sign_off(resolution, meeting, by=world.scrutineer)
    assert resolution.signed_off_at is None


def test_joining_online_counts_as_present(in_council):
    world = in_council
    meeting, (resolution,) = ready_meeting(world)
    operations.join_online(meeting, world.line(world.members[0]))
    operations.join_online(meeting, world.line(world.members[0]))  # again: no second row
    assert queries.present_in_person(meeting, resolution) == 1
    meeting.voting_closes_at = operations.timing.now() - timedelta(minutes=1)
    with pytest.raises(MeetingError, match="closed"):
        operations.join_online(meeting, world.line(world.members[1]))
