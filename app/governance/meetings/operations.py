"""Writes for general meetings. Flush, never commit; the view or job commits.

The rules a person can break are refused with :class:`MeetingError` (a
sentence saying why, the form field if any, and the HTTP status), before
anything is written; an operation that writes several rows either writes them
all or raises, and the caller rolls back.

Voting goes through :mod:`app.voting`: each resolution is a resolution ballot
over the society's members (``society_members`` electorate), its rules taken
from the society's (threshold for its kind, quorum, proxy cap). Online votes
and proxy votes are that ballot's papers. Postal and in-room voters are
recorded here by member, and also as a participation in the ballot (channel
``paper``), so that nobody votes in two channels: the engine refuses a second
participation, and this module says which channel came first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from app.audit.operations import record_event
from app.auth.models import User
from app.extensions import db
from app.governance.access import module_for
from app.governance.meetings import notice_period, queries
from app.governance.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceMode,
    ChannelCount,
    ChannelVoter,
    Meeting,
    MeetingBody,
    MeetingKind,
    NoticeEmail,
    Resolution,
    ResolutionKind,
    VoteChannel,
)
from app.governance.meetings.tally import ChannelTotals, MergedResult, merge_channels
from app.governance.models import Member, MemberStatus, Society
from app.i18n import LazyString, _l, ngettext
from app.voting import counting, timing
from app.voting import operations as voting
from app.voting import proxies as voting_proxies
from app.voting.methods.resolutions import Proxy
from app.voting.models import Ballot, BallotKind, BallotStatus, Channel, Participation
from tenants.context import current_council_id

SUBJECT = "gov_meeting"
RESOLUTION_SUBJECT = "gov_resolution"
CHANNEL_WORDS = {VoteChannel.POSTAL: _l("by post"), VoteChannel.ROOM: _l("in the room")}
MODE_WORDS = {AttendanceMode.ROOM: _l("in the room"), AttendanceMode.ONLINE: _l("online")}


class MeetingError(Exception):
    """A refusal a person can cause: ``message`` says why; ``field`` names the form field; ``status`` the answer."""

    def __init__(self, message: Any, field: str | None = None, status: int = 409) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.status = status


def _user_id(by: User | int | None) -> int | None:
    return by.id if isinstance(by, User) else by


# --- meetings and agenda ------------------------------------------------------------------------


def create_meeting(
    society: Society,
    *,
    kind: MeetingKind,
    title: str,
    starts_at: datetime,
    place: str,
    online_link: str,
    voting_opens_at: datetime,
    voting_closes_at: datetime,
    by: User | int | None,
    body: MeetingBody | str = MeetingBody.GENERAL_MEETING,
) -> Meeting:
    """A new meeting of ``society``'s ``body`` (its members, forum or board; no notice given yet).

    Online voting must close after it opens and no earlier than the meeting
    starts (members present vote during the meeting).
    """
    if voting_closes_at <= voting_opens_at:
        raise MeetingError(_l("Online voting must close after it opens"), "voting_closes_at", 422)
    if voting_closes_at < starts_at:
        raise MeetingError(
            _l("Online voting must stay open until the meeting starts, at least"), "voting_closes_at", 422
        )
    meeting = Meeting(
        society_id=society.id,
        kind=MeetingKind(kind),
        body=MeetingBody(body),
        title=title.strip(),
        starts_at=starts_at,
        place=(place or "").strip(),
        online_link=(online_link or "").strip(),
        voting_opens_at=voting_opens_at,
        voting_closes_at=voting_closes_at,
        created_by_user_id=_user_id(by),
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def add_agenda_item(meeting: Meeting, *, title: str, description: str) -> AgendaItem:
    """Add an item at the end of the agenda."""
    position = len(queries.agenda(meeting.id)) + 1
    item = AgendaItem(meeting_id=meeting.id, position=position, title=title.strip(), description=description.strip())
    db.session.add(item)
    db.session.flush()
    return item


def save_minutes(meeting: Meeting, text: str) -> Meeting:
    """Store the minutes' text (the decisions are listed from the signed-off results)."""
    meeting.minutes = (text or "").strip()
    db.session.flush()
    return meeting


# --- resolutions and their ballots --------------------------------------------------------------


def resolution_parameters(society: Society, kind: ResolutionKind) -> dict[str, Any]:
    """The resolution ballot's rules from the society's rules: threshold by kind, quorum, proxies."""
    threshold = society.special_threshold if kind is ResolutionKind.SPECIAL else society.ordinary_threshold
    return {
        "threshold": threshold,
        "base": "votes_cast",
        "quorum_count": society.quorum_members,
        "quorum_share": f"{society.quorum_percent}/100",
        "proxies_count_as_present": society.proxies_count_in_quorum,
        "proxy_cap": society.proxy_cap,
    }


def add_resolution(
    meeting: Meeting,
    society: Society,
    *,
    kind: ResolutionKind,
    title: str,
    text: str,
    proposer: str,
    by: User | int | None,
) -> Resolution:
    """Add a resolution to a meeting, with its draft ballot (rules, electorate and window set).

    Refused once voting on the meeting's resolutions has closed.
    """
    if timing.now() >= meeting.voting_closes_at:
        raise MeetingError(_l("Voting at this meeting has closed, so no resolution can be added"))
    kind = ResolutionKind(kind)
    ballot = voting.create_ballot(
        title=title.strip(), description=text.strip(), kind=BallotKind.RESOLUTION, module=module_for(society), by=by
    )
    voting.update_electorate(
        ballot, {"type": "society_members", "society_id": society.id, "member_class_ids": []}, by=by
    )
    voting.update_rules(
        ballot,
        method="resolution",
        parameters=resolution_parameters(society, kind),
        tie_break_rule="lexicographic",
        by=by,
    )
    voting.update_window(ballot, opens_at=meeting.voting_opens_at, closes_at=meeting.voting_closes_at, by=by)
    resolution = Resolution(
        meeting_id=meeting.id,
        position=len(queries.resolutions(meeting.id)) + 1,
        kind=kind,
        title=title.strip(),
        text=text.strip(),
        proposer=(proposer or "").strip(),
        ballot_id=ballot.id,
    )
    db.session.add(resolution)
    db.session.flush()
    return resolution


# --- notice -------------------------------------------------------------------------------------


def notice_refusal(meeting: Meeting, society: Society, day) -> Any:
    """Why notice sent on ``day`` would be too late for the meeting (``None`` when it is in time)."""
    held_on = queries.meeting_day(meeting)
    if notice_period.notice_in_time(day, held_on, society.notice_clear_days):
        return None
    return _l(
        "Notice of a meeting on %(meeting)s had to be sent by %(latest)s: the society's rules need "
        "%(days)s clear days' notice. Move the meeting to %(earliest)s or later.",
        meeting=timing.format_date(held_on),
        latest=timing.format_date(notice_period.latest_notice_day(held_on, society.notice_clear_days)),
        days=society.notice_clear_days,
        earliest=timing.format_date(notice_period.earliest_meeting_day(day, society.notice_clear_days)),
    )


def give_notice(meeting: Meeting, society: Society, *, by: User | int | None) -> list[Resolution]:
    """Send the notice today: stamp the meeting and every resolution not yet in a notice, email the members.

    Refused when today is too late for the society's notice period. The
    emails go by a job once this commits (one per member and meeting, however
    often notice is given). Returns the resolutions this notice added.
    """
    today = timing.today()
    refusal = notice_refusal(meeting, society, today)
    if refusal is not None:
        raise MeetingError(refusal)
    added = [r for r in queries.resolutions(meeting.id) if r.noticed_on is None]
    if meeting.notice_given_on is not None and not added:
        raise MeetingError(_l("Notice of this meeting has already been given, and no resolution has been added since"))
    if meeting.notice_given_on is None:
        meeting.notice_given_on = today
    for resolution in added:
        resolution.noticed_on = today
    db.session.flush()
    record_event(
        "meeting.notice_given",
        SUBJECT,
        meeting.id,
        payload={
            "on": today.isoformat(),
            "resolutions": [r.id for r in added],
            "meeting_day": str(queries.meeting_day(meeting)),
        },
        actor_user_id=_user_id(by),
    )
    from workers.enqueue import enqueue_after_commit
    from workers.jobs.meetings import send_meeting_notice

    enqueue_after_commit(
        send_meeting_notice,
        meeting.id,
        council_id=current_council_id(),
        job_id=f"meeting-notice:{current_council_id()}:{meeting.id}:{today}:{len(added)}",
    )
    return added


def email_notice(meeting: Meeting, society: Society, send) -> int:
    """Queue the notice email once per member with an address; returns how many were queued now.

    ``send(member, address)`` queues one email. The row in ``gov_notice_emails``
    is inserted first (``ON CONFLICT DO NOTHING``): only a new row sends, so a
    rerun of the job, or a second notice, emails nobody twice.
    """
    if meeting.notice_given_on is None:
        return 0
    sent = 0
    for member in queries.members_to_notify(society.id, timing.today()):
        inserted = db.session.execute(
            insert(NoticeEmail)
            .values(council_id=current_council_id(), meeting_id=meeting.id, member_id=member.id, queued_at=timing.now())
            .on_conflict_do_nothing(index_elements=["council_id", "meeting_id", "member_id"])
            .returning(NoticeEmail.id)
        ).first()
        if inserted is not None:
            send(member, queries.notice_address(member))
            sent += 1
    return sent


def put_resolution(resolution: Resolution, meeting: Meeting, society: Society, *, by: User | int | None) -> Ballot:
    """Put a resolution to the meeting: open (or schedule) its ballot for the meeting's voting window.

    Refused, with the reason, when the resolution was not in a notice given
    in time for the meeting under the society's rules.
    """
    held_on = queries.meeting_day(meeting)
    if resolution.noticed_on is None:
        raise MeetingError(
            _l(
                "This resolution cannot be put to the meeting: it was not in a notice of the meeting. "
                "The society's rules need %(days)s clear days' notice of every resolution.",
                days=society.notice_clear_days,
            )
        )
    if not notice_period.notice_in_time(resolution.noticed_on, held_on, society.notice_clear_days):
        raise MeetingError(
            _l(
                "This resolution cannot be put to the meeting: notice was given on %(sent)s, which leaves "
                "%(given)s clear days before %(meeting)s, and the society's rules need %(days)s.",
                sent=timing.format_date(resolution.noticed_on),
                given=notice_period.clear_days_between(resolution.noticed_on, held_on),
                meeting=timing.format_date(held_on),
                days=society.notice_clear_days,
            )
        )
    ballot = queries.ballot(resolution)
    try:
        if ballot.opens_at is not None and ballot.opens_at > timing.now():
            return voting.schedule_ballot(ballot, by=by)
        return voting.open_ballot(ballot, by=by)
    except voting.VotingError as exc:
        raise MeetingError(exc.message) from None


def close_voting(resolution: Resolution, *, by: User | int | None) -> bool:
    """Close online voting on a resolution now (so the result can be signed off)."""
    if resolution.signed_off_at is not None:
        raise MeetingError(_l("The result of this resolution has been signed off"))
    ballot = queries.ballot(resolution)
    try:
        return voting.close_ballot(ballot, by=by)
    except voting.VotingError as exc:
        raise MeetingError(exc.message) from None


# --- attendance ---------------------------------------------------------------------------------


def _refuse_if_not_member(member: Member, meeting: Meeting, field: str | None = "member_id") -> None:
    held_on = queries.meeting_day(meeting)
    if member.status is MemberStatus.CEASED and member.ceased_on is not None and member.ceased_on <= held_on:
        raise MeetingError(
            _l(
                "%(name)s's membership ended on %(day)s, so they cannot take part",
                name=member.name,
                day=timing.format_date(member.ceased_on),
            ),
            field,
        )
    if member.status is not MemberStatus.MEMBER:
        raise MeetingError(_l("%(name)s is not a member of the society", name=member.name), field)


def record_attendance(meeting: Meeting, member: Member, mode: AttendanceMode, *, by: User | int | None) -> Attendance:
    """Record a member as present at the meeting, in the room or online (once)."""
    _refuse_if_not_member(member, meeting)
    existing = queries.attendance_of(meeting.id, member.id)
    if existing is not None:
        raise MeetingError(
            _l("%(name)s is already recorded as attending %(how)s", name=member.name, how=MODE_WORDS[existing.mode]),
            "member_id",
        )
    row = Attendance(
        meeting_id=meeting.id, member_id=member.id, mode=AttendanceMode(mode), recorded_by_user_id=_user_id(by)
    )
    db.session.add(row)
    db.session.flush()
    return row


def join_online(meeting: Meeting, member: Member) -> Attendance:
    """A member joins the online meeting themselves, while its online window is open; joining again is harmless."""
    moment = timing.now()
    if moment < meeting.voting_opens_at:
        raise MeetingError(
            _l("The online meeting opens on %(when)s", when=timing.format_datetime(meeting.voting_opens_at)), None, 403
        )
    if moment >= meeting.voting_closes_at:
        raise MeetingError(_l("The online meeting has closed"), None, 403)
    existing = queries.attendance_of(meeting.id, member.id)
    if existing is not None:
        return existing
    return record_attendance(meeting, member, AttendanceMode.ONLINE, by=member.user_id)


# --- proxies ------------------------------------------------------------------------------------


def appoint_proxy(meeting: Meeting, member: Member, holder: Member, *, by: User | int | None) -> int:
    """Record that ``member`` appoints ``holder`` as proxy for every resolution of the meeting.

    Appointments are made before the meeting starts; both people need an
    account (the holder votes with theirs). The cap and the other rules are the
    voting engine's (:func:`app.voting.proxies.record_proxy`): one refusal
    refuses the whole appointment. Returns the number of resolutions covered.
    """
    if timing.now() >= meeting.starts_at:
        raise MeetingError(_l("Proxies must be appointed before the meeting starts"))
    _refuse_if_not_member(member, meeting, "member_id")
    _refuse_if_not_member(holder, meeting, "holder_id")
    if member.user_id is None:
        raise MeetingError(
            _l("%(name)s has no account, so their proxy cannot be recorded here", name=member.name), "member_id"
        )
    if holder.user_id is None:
        raise MeetingError(_l("%(name)s has no account, so cannot hold a proxy", name=holder.name), "holder_id")
    resolutions = queries.resolutions(meeting.id)
    if not resolutions:
        raise MeetingError(_l("Add the meeting's resolutions before appointing proxies"))
    member_user, holder_user = queries.user(member.user_id), queries.user(holder.user_id)
    for resolution in resolutions:
        if queries.channel_voter(resolution.id, member.id) is not None:
            raise MeetingError(
                _l("%(name)s has already voted on %(title)s", name=member.name, title=resolution.title), "member_id"
            )
        try:
            voting_proxies.record_proxy(queries.ballot(resolution), member_user, holder_user, officer_id=_user_id(by))
        except voting_proxies.ProxyError as exc:
            field = {"holder_email": "holder_id", "member_email": "member_id"}.get(exc.field or "")
            raise MeetingError(exc.message, field) from None
    return len(resolutions)


def cast_proxy_vote(resolution: Resolution, holder: Member, member: Member, choice: str) -> str:
    """The holder's vote for the member they hold a proxy for (entered in the room by a scrutineer, or online)."""
    if resolution.signed_off_at is not None:
        raise MeetingError(_l("The result of this resolution has been signed off, so the counts cannot change"))
    if queries.channel_voter(resolution.id, member.id) is not None:
        raise MeetingError(_l("%(name)s has voted themselves, so their proxy cannot vote", name=member.name))
    holder_user = queries.user(holder.user_id)
    if holder_user is None or member.user_id is None:
        raise MeetingError(_l("This member's proxy is not recorded"), None, 404)
    try:
        return voting_proxies.cast_proxy_vote(queries.ballot(resolution), holder_user, member.user_id, choice)
    except voting.AlreadyVotedError:
        raise MeetingError(_l("%(name)s has already voted, in person or by proxy", name=member.name)) from None
    except voting.VotingError as exc:
        raise MeetingError(exc.message, "choice", getattr(exc, "status", 409)) from None


# --- votes in each channel ----------------------------------------------------------------------


def _refuse_after_sign_off(resolution: Resolution) -> None:
    if resolution.signed_off_at is not None:
        raise MeetingError(_l("The result of this resolution has been signed off, so the counts cannot change"))


def _earlier_vote(resolution: Resolution, member: Member) -> Any:
    """Why the member cannot vote again on the resolution (``None`` when they have not voted)."""
    earlier = queries.channel_voter(resolution.id, member.id)
    if earlier is not None:
        return _l(
            "%(name)s's vote %(how)s has already been recorded", name=member.name, how=CHANNEL_WORDS[earlier.channel]
        )
    if member.user_id is not None:
        channel = queries.participation_channel(resolution.ballot_id, member.user_id)
        if channel is Channel.ONLINE:
            return _l("%(name)s has already voted online", name=member.name)
        if channel is Channel.PROXY:
            return _l("%(name)s has already voted by proxy", name=member.name)
    return None


def record_channel_voter(
    resolution: Resolution, meeting: Meeting, member: Member, channel: VoteChannel, *, by: User | int | None
) -> ChannelVoter:
    """Record that ``member`` voted on ``resolution`` by post or in the room (how they voted is in the count).

    Refused for a member who has ceased, who voted already in any channel, or
    (in the room) who is not recorded as attending in the room.
    """
    _refuse_after_sign_off(resolution)
    channel = VoteChannel(channel)
    ballot = voting.lock_ballot(queries.ballot(resolution))
    if ballot.status in (BallotStatus.COUNTED, BallotStatus.PUBLISHED):
        raise MeetingError(_l("This resolution has been counted"))
    _refuse_if_not_member(member, meeting)
    refusal = _earlier_vote(resolution, member)
    if refusal is not None:
        raise MeetingError(refusal, "member_id")
    if channel is VoteChannel.ROOM:
        present = queries.attendance_of(meeting.id, member.id)
        if present is None or present.mode is not AttendanceMode.ROOM:
            raise MeetingError(
                _l(
                    "%(name)s is not recorded as attending in the room; record their attendance first", name=member.name
                ),
                "member_id",
            )
    voter = ChannelVoter(
        resolution_id=resolution.id, member_id=member.id, channel=channel, recorded_by_user_id=_user_id(by)
    )
    db.session.add(voter)
    if member.user_id is not None:
        # A participation in the ballot too, so the engine refuses an online or proxy vote from now on.
        stored = db.session.execute(
            insert(Participation)
            .values(
                council_id=current_council_id(),
                ballot_id=ballot.id,
                user_id=member.user_id,
                channel=Channel.PAPER,
                cast_on=timing.today(),
            )
            .on_conflict_do_nothing(index_elements=["council_id", "ballot_id", "user_id"])
            .returning(Participation.id)
        ).first()
        if stored is None:
            raise MeetingError(_l("%(name)s has already voted", name=member.name), "member_id")
    db.session.flush()
    return voter


def enter_channel_count(
    resolution: Resolution,
    channel: VoteChannel,
    *,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    by: User | int | None,
) -> ChannelCount:
    """Enter (or correct, until sign-off) the count of a channel; it must add up to the voters recorded in it."""
    _refuse_after_sign_off(resolution)
    channel = VoteChannel(channel)
    recorded = queries.voters_in(resolution.id, channel)
    total = votes_for + votes_against + abstentions
    if total != recorded:
        raise MeetingError(
            LazyString(
                lambda: ngettext(
                    "The count adds up to %(total)s but %(num)d member is recorded as voting %(how)s",
                    "The count adds up to %(total)s but %(num)d members are recorded as voting %(how)s",
                    recorded,
                    total=total,
                    how=CHANNEL_WORDS[channel],
                )
            ),
            "votes_for",
            422,
        )
    row = queries.channel_counts(resolution.id).get(channel)
    if row is None:
        row = ChannelCount(resolution_id=resolution.id, channel=channel, votes_for=0, votes_against=0, abstentions=0)
        db.session.add(row)
    row.votes_for, row.votes_against, row.abstentions = votes_for, votes_against, abstentions
    row.entered_by_user_id = _user_id(by)
    db.session.flush()
    return row


def vote_online(resolution: Resolution, member: Member | None, user: User, choice: str) -> str:
    """A member's own online vote; returns the receipt code. Refused after a postal or in-room vote, with the reason."""
    if member is not None:
        earlier = queries.channel_voter(resolution.id, member.id)
        if earlier is not None:
            raise MeetingError(
                _l(
                    "Your vote %(how)s has already been recorded, so you cannot vote online as well",
                    how=CHANNEL_WORDS[earlier.channel],
                ),
                "choice",
            )
    try:
        return voting.cast_vote(queries.ballot(resolution), user, choice)
    except voting.AlreadyVotedError:
        channel = queries.participation_channel(resolution.ballot_id, user.id)
        if channel is Channel.PROXY:
            raise MeetingError(_l("Your proxy has already voted for you on this resolution"), "choice") from None
        raise MeetingError(_l("You have already voted on this resolution"), "choice") from None
    except voting.PaperError as exc:
        raise MeetingError(exc.message, "choice", 422) from None
    except voting.VotingError as exc:
        raise MeetingError(exc.message, "choice", exc.status) from None


# --- the merged count, sign-off and publication -------------------------------------------------


def merged_count(resolution: Resolution, meeting: Meeting) -> MergedResult:
    """Count the resolution over every channel now (no writes). The ballot must have opened."""
    ballot = queries.ballot(resolution)
    if not ballot.rules_version:
        raise MeetingError(_l("This resolution has not been put to the meeting yet"))
    load = counting.load_papers(ballot)
    online = dict.fromkeys(("for", "against", "abstain"), 0)
    for content, n in load.papers:
        online[content] += n
    proxies = []
    for content, n in load.proxy_papers:
        for _ in range(n):
            number = len(proxies) + 1
            # Proxy papers are anonymous; the cap per holder was enforced when each proxy was appointed.
            proxies.append(Proxy(member=f"proxy-{number}", holder=f"holder-{number}", choice=content))
    counts = queries.channel_counts(resolution.id)

    def totals(channel: VoteChannel) -> ChannelTotals:
        row = counts.get(channel)
        return ChannelTotals() if row is None else ChannelTotals(row.votes_for, row.votes_against, row.abstentions)

    rules = counting.ballot_spec(ballot).resolution_rules()
    members = ballot.electorate_size or 0
    try:
        return merge_channels(
            rules,
            members=members,
            channels={
                "online": ChannelTotals(online["for"], online["against"], online["abstain"]),
                "postal": totals(VoteChannel.POSTAL),
                "room": totals(VoteChannel.ROOM),
            },
            proxies=proxies,
            present_in_person=queries.present_in_person(meeting, resolution),
        )
    except ValueError as exc:
        raise MeetingError(_l("The counts cannot be right: %(problem)s", problem=str(exc))) from None


def missing_counts(resolution: Resolution) -> list[VoteChannel]:
    """Channels with voters recorded but no count entered."""
    counts = queries.channel_counts(resolution.id)
    return [c for c in VoteChannel if queries.voters_in(resolution.id, c) and c not in counts]


def sign_off(resolution: Resolution, meeting: Meeting, *, by: User | int | None) -> MergedResult:
    """The scrutineer signs off the result sheet: the merged count is stored with its hash, and audited.

    Voting must have closed and every channel with voters must have its count.
    After this the counts cannot change.
    """
    _refuse_after_sign_off(resolution)
    ballot = voting.lock_ballot(queries.ballot(resolution))
    if ballot.status not in (BallotStatus.CLOSED, BallotStatus.COUNTED, BallotStatus.PUBLISHED):
        raise MeetingError(_l("Close voting on this resolution before signing off its result"))
    missing = missing_counts(resolution)
    if missing:
        raise MeetingError(_l("Enter the count of the votes %(how)s before signing off", how=CHANNEL_WORDS[missing[0]]))
    result = merged_count(resolution, meeting)
    resolution.outcome = result.outcome
    resolution.result_document = result.canonical()
    resolution.result_sha256 = result.sha256
    resolution.signed_off_at = timing.now()
    resolution.signed_off_by_user_id = _user_id(by)
    db.session.flush()
    record_event(
        "meeting.result_signed_off",
        RESOLUTION_SUBJECT,
        resolution.id,
        payload={"meeting_id": meeting.id, "ballot_id": ballot.id, "outcome": result.outcome, "sha256": result.sha256},
        actor_user_id=_user_id(by),
    )
    return result


def publish(resolution: Resolution, *, by: User | int | None) -> Resolution:
    """Publish a signed-off result to the members."""
    if resolution.signed_off_at is None:
        raise MeetingError(_l("A scrutineer must sign off the result before it is published"))
    if resolution.published_at is not None:
        raise MeetingError(_l("This result is already published"))
    resolution.published_at = timing.now()
    db.session.flush()
    record_event(
        "meeting.result_published",
        RESOLUTION_SUBJECT,
        resolution.id,
        payload={"sha256": resolution.result_sha256, "outcome": resolution.outcome},
        actor_user_id=_user_id(by),
    )
    return resolution


def member_by_id(society_id: int, member_id: Any) -> Member | None:
    """A register line of the society from a form's id, or ``None``."""
    try:
        wanted = int(member_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Member).where(Member.society_id == society_id, Member.id == wanted))
