"""Meeting pages: thin views (load, check who is asking, call an operation, render or redirect).

Every page loads the society (404 when it is not this council's or its module
is off), then the meeting and resolution (404 when not the society's), then
checks the person: the secretary, committee and council managers run
meetings; scrutineers (and council managers) record attendance, enter counts
and sign off; members see meetings once notice is given, join online, vote
and see published results.
"""

from __future__ import annotations

import json

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin.forms import error_list
from app.extensions import db, login_manager
from app.governance import access
from app.governance.meetings import bodies, forms, notice, notice_period, operations, queries
from app.governance.meetings.models import AttendanceMode, Meeting, Resolution, VoteChannel
from app.governance.meetings.operations import MeetingError
from app.governance.models import Society
from app.i18n import gettext as _
from app.voting import timing
from app.voting.forms import choices
from app.voting.models import BallotStatus
from app.voting.proxies import proxies as ballot_proxies

# --- loading and checking -----------------------------------------------------------------------


def _signed_in() -> None:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def _load(society_id: int, meeting_id: int | None = None, resolution_id: int | None = None):
    society = access.society_or_404(society_id)
    meeting = resolution = None
    if meeting_id is not None:
        meeting = queries.meeting(society.id, meeting_id)
        if meeting is None:
            abort(404)
    if resolution_id is not None:
        resolution = queries.resolution(meeting.id, resolution_id)
        if resolution is None:
            abort(404)
    _signed_in()
    return society, meeting, resolution


def _viewer(society: Society, meeting: Meeting | None = None) -> dict:
    """Who is asking: flags for the templates; 403 for people with no part in the society."""
    manage = access.can_manage(society)
    scrutinise = access.can_scrutinise(society)
    member = queries.live_member(society.id, current_user.id)
    if not (manage or scrutinise or member is not None):
        abort(403)
    if meeting is not None and meeting.notice_given_on is None and not (manage or scrutinise):
        abort(404)  # members see a meeting once notice is given
    return {"can_manage": manage, "can_scrutinise": scrutinise, "member": member}


def _require(flag: bool) -> None:
    if not flag:
        abort(403)


def _refused(error: MeetingError, where: str):
    """The reason an action was refused, with a way back; 409 (or the error's own status)."""
    return render_template("meetings/refused.html", reason=str(error.message), back=where), error.status


def _meeting_url(society: Society, meeting: Meeting) -> str:
    return url_for(".meeting", society_id=society.id, meeting_id=meeting.id)


def meeting_crumbs(society: Society, meeting: Meeting | None = None) -> list[dict[str, str]]:
    """Breadcrumbs of a meeting page: the society's meetings (at the meeting's body's heading), then the meeting."""
    index_url = url_for(".index", society_id=society.id)
    if meeting is None:
        return [{"text": _("Meetings"), "href": index_url}]
    return [
        {"text": bodies.heading(meeting), "href": f"{index_url}#{meeting.body.value}"},
        {"text": meeting.title, "href": _meeting_url(society, meeting)},
    ]


def _count_url(society: Society, meeting: Meeting, resolution: Resolution) -> str:
    return url_for(".count", society_id=society.id, meeting_id=meeting.id, resolution_id=resolution.id)


def _members_choices(society: Society) -> list[tuple[str, str]]:
    people = queries.members_on(society.id, timing.today())
    return choices([("", _("Choose a member"))] + [(str(m.id), f"{m.name} ({m.membership_number})") for m in people])


def resolution_status(resolution: Resolution, ballot) -> str:
    """Where a resolution is, in words."""
    if resolution.published_at is not None:
        return _("Result published")
    if resolution.signed_off_at is not None:
        return _("Result signed off")
    status = ballot.status
    if status is BallotStatus.DRAFT:
        return _("Not yet put to the meeting")
    if status is BallotStatus.SCHEDULED:
        return _("Voting opens on %(when)s", when=timing.format_datetime(ballot.opens_at))
    if status is BallotStatus.OPEN:
        return _("Voting open until %(when)s", when=timing.format_datetime(ballot.closes_at))
    return _("Voting closed")


# --- meetings -----------------------------------------------------------------------------------


def index(society_id: int):
    society, _m, _r = _load(society_id)
    who = _viewer(society)
    staff = who["can_manage"] or who["can_scrutinise"]
    meetings = queries.meetings(society.id, noticed_only=not staff)
    return render_template("meetings/index.html", society=society, groups=bodies.grouped(meetings), **who)


def new_meeting(society_id: int):
    society, _m, _r = _load(society_id)
    _require(access.can_manage(society))
    form = forms.MeetingForm()
    status = 200
    if form.validate_on_submit():
        starts_at, opens_at, closes_at = form.moments()
        if starts_at and opens_at and closes_at:
            try:
                meeting = operations.create_meeting(
                    society,
                    kind=form.kind.data,
                    body=form.body.data or "general_meeting",
                    title=form.title.data,
                    starts_at=starts_at,
                    place=form.place.data or "",
                    online_link=form.online_link.data or "",
                    voting_opens_at=opens_at,
                    voting_closes_at=closes_at,
                    by=current_user.id,
                )
            except MeetingError as exc:
                getattr(form, exc.field or "title").errors.append(str(exc.message))
            else:
                db.session.commit()
                flash(_("Meeting created. Add the agenda and resolutions, then give notice."), "success")
                return redirect(_meeting_url(society, meeting), code=303)
        status = 422
    elif form.is_submitted():
        form.moments()
        status = 422
    earliest = notice_period.earliest_meeting_day(timing.today(), society.notice_clear_days)
    return (
        render_template(
            "meetings/new.html",
            society=society,
            form=form,
            earliest=earliest,
            body_choices=forms.BODY_CHOICES,
            form_errors=error_list(form),
        ),
        status,
    )


def meeting(society_id: int, meeting_id: int):
    society, meeting_, _r = _load(society_id, meeting_id)
    who = _viewer(society, meeting_)
    rows = []
    for resolution in queries.resolutions(meeting_.id):
        ballot = queries.ballot(resolution)
        voted = None
        if who["member"] is not None:
            voted = queries.participation_channel(ballot.id, current_user.id) or queries.channel_voter(
                resolution.id, who["member"].id
            )
        rows.append(
            {
                "resolution": resolution,
                "ballot": ballot,
                "status": resolution_status(resolution, ballot),
                "threshold": notice.threshold_for(society, resolution),
                "voted": voted,
                "open": ballot.status is BallotStatus.OPEN and timing.now() < (ballot.closes_at or timing.now()),
            }
        )
    attending = queries.attendance_of(meeting_.id, who["member"].id) if who["member"] is not None else None
    held_on = queries.meeting_day(meeting_)
    return render_template(
        "meetings/meeting.html",
        society=society,
        meeting=meeting_,
        agenda=queries.agenda(meeting_.id),
        rows=rows,
        attending=attending,
        latest_notice=notice_period.latest_notice_day(held_on, society.notice_clear_days),
        notice_late=operations.notice_refusal(meeting_, society, timing.today()),
        online_open=meeting_.voting_opens_at <= timing.now() < meeting_.voting_closes_at,
        agenda_form=forms.AgendaItemForm(),
        proxy_text=notice.proxy_text(society),
        **who,
    )


def notice_pdf(society_id: int, meeting_id: int):
    society, meeting_, _r = _load(society_id, meeting_id)
    _viewer(society, meeting_)
    body = notice.pdf(meeting_, society, g.council)
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="notice-{meeting_.id}.pdf"'},
    )


def add_agenda_item(society_id: int, meeting_id: int):
    society, meeting_, _r = _load(society_id, meeting_id)
    _require(access.can_manage(society))
    form = forms.AgendaItemForm()
    if not form.validate_on_submit():
        flash(str(next(iter(form.errors.values()))[0]), "error")
        return redirect(_meeting_url(society, meeting_), code=303)
    operations.add_agenda_item(meeting_, title=form.title.data, description=form.description.data or "")
    db.session.commit()
    return redirect(_meeting_url(society, meeting_) + "#agenda", code=303)


def new_resolution(society_id: int, meeting_id: int):
    society, meeting_, _r = _load(society_id, meeting_id)
    _require(access.can_manage(society))
    form = forms.ResolutionForm()
    status = 200
    if form.validate_on_submit():
        try:
            operations.add_resolution(
                meeting_,
                society,
                kind=form.kind.data,
                title=form.title.data,
                text=form.text.data,
                proposer=form.proposer.data or "",
                by=current_user.id,
            )
        except MeetingError as exc:
            db.session.rollback()
            return _refused(exc, _meeting_url(society, meeting_))
        db.session.commit()
        flash(_("Resolution added."), "success")
        return redirect(_meeting_url(society, meeting_) + "#resolutions", code=303)
    if form.is_submitted():
        status = 422
    return (
        render_template(
            "meetings/resolution_new.html",
            society=society,
            meeting=meeting_,
            form=form,
            form_errors=error_list(form),
            ordinary=notice.THRESHOLD_WORDS[society.ordinary_threshold],
            special=notice.THRESHOLD_WORDS[society.special_threshold],
        ),
        status,
    )


def give_notice(society_id: int, meeting_id: int):
    society, meeting_, _r = _load(society_id, meeting_id)
    _require(access.can_manage(society))
    try:
        operations.give_notice(meeting_, society, by=current_user.id)
    except MeetingError as exc:
        return _refused(exc, _meeting_url(society, meeting_))
    db.session.commit()
    flash(_("Notice given. Members with an email address are being sent it."), "success")
    return redirect(_meeting_url(society, meeting_), code=303)


def put_resolution(society_id: int, meeting_id: int, resolution_id: int):
    society, meeting_, resolution = _load(society_id, meeting_id, resolution_id)
    _require(access.can_manage(society))
    try:
        operations.put_resolution(resolution, meeting_, society, by=current_user.id)
    except MeetingError as exc:
        db.session.rollback()
        return _refused(exc, _meeting_url(society, meeting_))
    db.session.commit()
    flash(_("The resolution has been put to the meeting."), "success")
    return redirect(_meeting_url(society, meeting_) + "#resolutions", code=303)


# --- attendance and proxies ---------------------------------------------------------------------


def attendance(society_id: int, meeting_id: int):
    society, meeting_, _r = _load(society_id, meeting_id)
    _require(access.can_manage(society) or access.can_scrutinise(society))
    form = forms.MemberForm()
    form.member_id.choices = _members_choices(society)
    status = 200
    if form.validate_on_submit():
        member = operations.member_by_id(society.id, form.member_id.data)
        if member is None:
            abort(404)
        try:
            operations.record_attendance(meeting_, member, AttendanceMode.ROOM, by=current_user.id)
        except MeetingError as exc:
            db.session.rollback()
            form.member_id.errors.append(str(exc.message))
            status = exc.status
        else:
            db.session.commit()
            flash(_("%(name)s is recorded as attending in the room.", name=member.name), "success")
            return redirect(url_for(".attendance", society_id=society.id, meeting_id=meeting_.id), code=303)
    elif form.is_submitted():
        status = 422
    return (
        render_template(
            "meetings/attendance.html",
            society=society,
            meeting=meeting_,
            form=form,
            present=queries.attendance(meeting_.id),
            form_errors=error_list(form),
        ),
        status,
    )


def join(society_id: int, meeting_id: int):
    society, meeting_, _r = _load(society_id, meeting_id)
    who = _viewer(society, meeting_)
    if who["member"] is None:
        abort(403)
    try:
        operations.join_online(meeting_, who["member"])
    except MeetingError as exc:
        db.session.rollback()
        return _refused(exc, _meeting_url(society, meeting_))
    db.session.commit()
    flash(_("You have joined the meeting online. You are counted as present."), "success")
    return redirect(_meeting_url(society, meeting_), code=303)


def proxies(society_id: int, meeting_id: int):
    society, meeting_, _r = _load(society_id, meeting_id)
    _require(access.can_manage(society))
    form = forms.ProxyForm()
    form.member_id.choices = form.holder_id.choices = _members_choices(society)
    status = 200
    if form.validate_on_submit():
        member = operations.member_by_id(society.id, form.member_id.data)
        holder = operations.member_by_id(society.id, form.holder_id.data)
        if member is None or holder is None:
            abort(404)
        try:
            operations.appoint_proxy(meeting_, member, holder, by=current_user.id)
        except MeetingError as exc:
            db.session.rollback()
            getattr(form, exc.field or "member_id").errors.append(str(exc.message))
            status = exc.status
        else:
            db.session.commit()
            flash(_("%(holder)s holds %(member)s's proxy.", holder=holder.name, member=member.name), "success")
            return redirect(url_for(".proxies", society_id=society.id, meeting_id=meeting_.id), code=303)
    elif form.is_submitted():
        status = 422
    resolutions = queries.resolutions(meeting_.id)
    appointed = ballot_proxies(queries.ballot(resolutions[0])) if resolutions else []
    return (
        render_template(
            "meetings/proxies.html",
            society=society,
            meeting=meeting_,
            form=form,
            appointed=appointed,
            form_errors=error_list(form, "member_id", "holder_id"),
        ),
        status,
    )


# --- voting -------------------------------------------------------------------------------------


def vote(society_id: int, meeting_id: int, resolution_id: int):
    society, meeting_, resolution = _load(society_id, meeting_id, resolution_id)
    who = _viewer(society, meeting_)
    form = forms.VoteForm()
    status = 200
    if form.validate_on_submit():
        try:
            code = operations.vote_online(resolution, who["member"], current_user, form.choice.data)
        except MeetingError as exc:
            db.session.rollback()
            form.choice.errors.append(str(exc.message))
            status = exc.status
        else:
            db.session.commit()
            return render_template(
                "meetings/voted.html", society=society, meeting=meeting_, resolution=resolution, code=code
            )
    elif form.is_submitted():
        status = 422
    return (
        render_template(
            "meetings/vote.html",
            society=society,
            meeting=meeting_,
            resolution=resolution,
            threshold=notice.threshold_for(society, resolution),
            form=form,
            form_errors=error_list(form),
        ),
        status,
    )


def _count_page(society, meeting_, resolution, *, voter_form=None, count_form=None, proxy_form=None, status=200):
    ballot = queries.ballot(resolution)
    voter_form = voter_form or forms.ChannelVoterForm(formdata=None)
    voter_form.member_id.choices = _members_choices(society)
    count_form = count_form or forms.ChannelCountForm(formdata=None)
    proxy_form = proxy_form or forms.ProxyVoteForm(formdata=None)
    proxy_form.proxy.choices = _proxy_choices(ballot)
    counts = queries.channel_counts(resolution.id)
    try:
        preview = operations.merged_count(resolution, meeting_) if ballot.rules_version else None
    except MeetingError:
        preview = None
    errors = error_list(voter_form) + error_list(count_form) + error_list(proxy_form)
    return (
        render_template(
            "meetings/count.html",
            society=society,
            meeting=meeting_,
            resolution=resolution,
            ballot=ballot,
            status_text=resolution_status(resolution, ballot),
            voters=queries.channel_voters(resolution.id),
            counts=counts,
            VoteChannel=VoteChannel,
            voters_in={c: queries.voters_in(resolution.id, c) for c in VoteChannel},
            voter_form=voter_form,
            count_form=count_form,
            proxy_form=proxy_form,
            preview=preview,
            form_errors=errors,
        ),
        status,
    )


def _proxy_choices(ballot) -> list[tuple[str, str]]:
    out = [("", _("Choose the proxy"))]
    for proxy, member, holder in ballot_proxies(ballot):
        out.append((f"{proxy.member_user_id}", _("%(holder)s for %(member)s", holder=holder.name, member=member.name)))
    return choices(out)


def count(society_id: int, meeting_id: int, resolution_id: int):
    society, meeting_, resolution = _load(society_id, meeting_id, resolution_id)
    _require(access.can_scrutinise(society))
    return _count_page(society, meeting_, resolution)


def record_voter(society_id: int, meeting_id: int, resolution_id: int):
    society, meeting_, resolution = _load(society_id, meeting_id, resolution_id)
    _require(access.can_scrutinise(society))
    form = forms.ChannelVoterForm()
    form.member_id.choices = _members_choices(society)
    if not form.validate_on_submit():
        return _count_page(society, meeting_, resolution, voter_form=form, status=422)
    member = operations.member_by_id(society.id, form.member_id.data)
    if member is None:
        abort(404)
    try:
        operations.record_channel_voter(
            resolution, meeting_, member, VoteChannel(form.channel.data), by=current_user.id
        )
    except MeetingError as exc:
        db.session.rollback()
        form.member_id.errors.append(str(exc.message))
        return _count_page(society, meeting_, resolution, voter_form=form, status=exc.status)
    db.session.commit()
    flash(_("%(name)s's vote is recorded.", name=member.name), "success")
    return redirect(_count_url(society, meeting_, resolution), code=303)


def enter_count(society_id: int, meeting_id: int, resolution_id: int):
    society, meeting_, resolution = _load(society_id, meeting_id, resolution_id)
    _require(access.can_scrutinise(society))
    form = forms.ChannelCountForm()
    valid = form.validate_on_submit()
    numbers = [forms.whole(getattr(form, name)) for name in ("votes_for", "votes_against", "abstentions")]
    if not valid or None in numbers:
        return _count_page(society, meeting_, resolution, count_form=form, status=422)
    try:
        operations.enter_channel_count(
            resolution,
            VoteChannel(form.channel.data),
            votes_for=numbers[0],
            votes_against=numbers[1],
            abstentions=numbers[2],
            by=current_user.id,
        )
    except MeetingError as exc:
        db.session.rollback()
        getattr(form, exc.field or "votes_for").errors.append(str(exc.message))
        return _count_page(society, meeting_, resolution, count_form=form, status=exc.status)
    db.session.commit()
    flash(_("The count is saved."), "success")
    return redirect(_count_url(society, meeting_, resolution), code=303)


def proxy_vote(society_id: int, meeting_id: int, resolution_id: int):
    society, meeting_, resolution = _load(society_id, meeting_id, resolution_id)
    _require(access.can_scrutinise(society))
    ballot = queries.ballot(resolution)
    form = forms.ProxyVoteForm()
    form.proxy.choices = _proxy_choices(ballot)
    if not form.validate_on_submit():
        return _count_page(society, meeting_, resolution, proxy_form=form, status=422)
    member_user_id = int(form.proxy.data)
    appointment = next((p for p, _m, _h in ballot_proxies(ballot) if p.member_user_id == member_user_id), None)
    if appointment is None:
        abort(404)
    member = queries.live_member(society.id, appointment.member_user_id)
    holder = queries.live_member(society.id, appointment.holder_user_id)
    if member is None or holder is None:
        form.proxy.errors.append(_("The member or the proxy holder is no longer a member"))
        return _count_page(society, meeting_, resolution, proxy_form=form, status=409)
    try:
        operations.cast_proxy_vote(resolution, holder, member, form.choice.data)
    except MeetingError as exc:
        db.session.rollback()
        form.proxy.errors.append(str(exc.message))
        return _count_page(society, meeting_, resolution, proxy_form=form, status=exc.status)
    db.session.commit()
    flash(_("The proxy vote is recorded."), "success")
    return redirect(_count_url(society, meeting_, resolution), code=303)


def close(society_id: int, meeting_id: int, resolution_id: int):
    society, meeting_, resolution = _load(society_id, meeting_id, resolution_id)
    _require(access.can_manage(society) or access.can_scrutinise(society))
    try:
        operations.close_voting(resolution, by=current_user.id)
    except MeetingError as exc:
        db.session.rollback()
        return _refused(exc, _count_url(society, meeting_, resolution))
    db.session.commit()
    flash(_("Voting on this resolution is closed."), "success")
    return redirect(_count_url(society, meeting_, resolution), code=303)


def sign_off(society_id: int, meeting_id: int, resolution_id: int):
    society, meeting_, resolution = _load(society_id, meeting_id, resolution_id)
    _require(access.can_scrutinise(society))
    try:
        operations.sign_off(resolution, meeting_, by=current_user.id)
    except MeetingError as exc:
        db.session.rollback()
        return _refused(exc, _count_url(society, meeting_, resolution))
    db.session.commit()
    flash(_("You have signed off the result sheet."), "success")
    return redirect(
        url_for(".result", society_id=society.id, meeting_id=meeting_.id, resolution_id=resolution.id), code=303
    )


def publish(society_id: int, meeting_id: int, resolution_id: int):
    society, meeting_, resolution = _load(society_id, meeting_id, resolution_id)
    _require(access.can_manage(society))
    try:
        operations.publish(resolution, by=current_user.id)
    except MeetingError as exc:
        return _refused(
            exc, url_for(".result", society_id=society.id, meeting_id=meeting_.id, resolution_id=resolution.id)
        )
    db.session.commit()
    flash(_("The result is published to members."), "success")
    return redirect(
        url_for(".result", society_id=society.id, meeting_id=meeting_.id, resolution_id=resolution.id), code=303
    )


def result(society_id: int, meeting_id: int, resolution_id: int):
    society, meeting_, resolution = _load(society_id, meeting_id, resolution_id)
    who = _viewer(society, meeting_)
    staff = who["can_manage"] or who["can_scrutinise"]
    if resolution.published_at is None and not staff:
        abort(404)  # members see a result once it is published
    document = json.loads(resolution.result_document) if resolution.result_document else None
    signer = queries.user(resolution.signed_off_by_user_id)
    return render_template(
        "meetings/result.html",
        society=society,
        meeting=meeting_,
        resolution=resolution,
        document=document,
        signer=signer,
        threshold=notice.threshold_for(society, resolution),
        **who,
    )


def minutes(society_id: int, meeting_id: int):
    society, meeting_, _r = _load(society_id, meeting_id)
    who = _viewer(society, meeting_)
    form = forms.MinutesForm()
    status = 200
    if request.method == "POST":
        _require(who["can_manage"])
        if form.validate_on_submit():
            operations.save_minutes(meeting_, form.minutes.data or "")
            db.session.commit()
            flash(_("The minutes are saved."), "success")
            return redirect(url_for(".minutes", society_id=society.id, meeting_id=meeting_.id), code=303)
        status = 422
    else:
        form.minutes.data = meeting_.minutes
    staff = who["can_manage"] or who["can_scrutinise"]
    decisions = [
        r for r in queries.resolutions(meeting_.id) if r.published_at is not None or (staff and r.signed_off_at)
    ]
    return (
        render_template(
            "meetings/minutes.html",
            society=society,
            meeting=meeting_,
            decisions=decisions,
            form=form,
            form_errors=error_list(form),
            **who,
        ),
        status,
    )
