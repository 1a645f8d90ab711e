"""Members' election pages: the list, an election with its candidates' statements, standing, and results.

Load → check → call an operation → render or redirect. Everything names a
society first (404 when it is not this council's or its module is off),
then the election within it (404); drafts are seen only by the people who
run the society. Anyone may read a published election, its statements and
its declared result; standing needs a signed-in member.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.extensions import db, login_manager
from app.governance import access
from app.governance import queries as registers
from app.governance.elections import operations, queries
from app.governance.elections.forms import ConsentForm, NominationForm, WithdrawForm, whole
from app.governance.elections.models import (
    CandidateResult,
    Election,
    ElectionStatus,
    Nomination,
    NominationStatus,
    SeatOutcome,
)
from app.governance.models import Member, Society
from app.i18n import gettext as _
from app.voting import counting
from app.voting.forms import choices
from app.voting.models import BallotStatus
from app.voting.results_display import build_view


def load(society_id: int, election_id: int) -> tuple[Society, Election]:
    """The society and election from the URL; 404 when either is missing, or a draft to someone who cannot manage."""
    society = access.society_or_404(society_id)
    election = queries.election(society.id, election_id)
    if election is None:
        abort(404)
    if election.status is ElectionStatus.DRAFT and not access.can_manage(society):
        abort(404)
    return society, election


def load_nomination(election: Election, nomination_id: int) -> Nomination:
    nomination = queries.nomination(election, nomination_id)
    if nomination is None:
        abort(404)
    return nomination


def my_line(society: Society) -> Member | None:
    """The signed-in person's line in the society's register (live, else their latest), if any."""
    if not current_user.is_authenticated:
        return None
    return registers.member_for_user(society.id, current_user.id)


def index(society_id: int):
    society = access.society_or_404(society_id)
    manager = access.can_manage(society)
    return render_template(
        "governance/elections/index.html",
        society=society,
        elections=queries.elections(society.id, include_drafts=manager),
        manager=manager,
    )


def election_page(society_id: int, election_id: int):
    society, election = load(society_id, election_id)
    line = my_line(society)
    constituencies = queries.constituencies(election)
    ballots = queries.ballots(election)
    mine = queries.nominations_for_user(election, current_user.id) if current_user.is_authenticated else []
    my_ballot = None
    if line is not None and operations.is_member_today(line):
        seat = next((c.seat for c in constituencies if c.seat.member_class_id == line.member_class_id), None)
        if seat is not None and seat.id in ballots:
            my_ballot = ballots[seat.id]
    return render_template(
        "governance/elections/election.html",
        society=society,
        election=election,
        constituencies=constituencies,
        candidates=queries.nominations(election, [NominationStatus.VALID]),
        ballots=ballots,
        line=line,
        is_member=operations.is_member_today(line),
        mine=mine,
        my_ballot=my_ballot,
        nomination_refusal=operations.nomination_window_refusal(election),
        manager=access.can_manage(society),
        BallotStatus=BallotStatus,
    )


def _require_member(society: Society) -> Member:
    """The signed-in person's register line when they are a member today; else 403 with the reason."""
    line = my_line(society)
    if not operations.is_member_today(line):
        abort(403)
    return line


def nominate(society_id: int, election_id: int):
    """Stand for a constituency, or nominate another member of one's own constituency."""
    society, election = load(society_id, election_id)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    refusal = operations.nomination_window_refusal(election)
    if refusal:
        return _refused(society, election, refusal, 409)
    line = my_line(society)
    if not operations.is_member_today(line):
        message = (
            _("Only members of the society can stand or make nominations. You are not on its register of members.")
            if line is None
            else _("Only members of the society can stand or make nominations, and you are not a member today.")
        )
        return _refused(society, election, message, 403)
    constituencies = queries.constituencies(election)
    form = NominationForm()
    form.seat_id.choices = choices([(str(c.seat.id), c.name) for c in constituencies])
    status = 200
    if not form.is_submitted():
        own = next((c for c in constituencies if c.seat.member_class_id == line.member_class_id), None)
        form.seat_id.data = str(own.seat.id) if own else ""
        form.who.data = "self"
    elif form.validate_on_submit():
        status = _submit_nomination(society, election, line, form)
        if status is None:
            return redirect(url_for(".election", society_id=society.id, election_id=election.id))
    else:
        status = 400
    return (
        render_template(
            "governance/elections/nominate.html",
            society=society,
            election=election,
            line=line,
            form=form,
            form_errors=_errors(form, ["seat_id", "who", "membership_number", "statement"]),
        ),
        status,
    )


def _submit_nomination(society: Society, election: Election, line: Member, form: NominationForm) -> int | None:
    """Make the nomination from the form; ``None`` on success (committed), else the status to answer with."""
    raw = form.seat_id.data or ""
    seat = queries.seat(election, int(raw)) if raw.isdigit() and len(raw) < 19 else None
    if seat is None:
        form.seat_id.errors = [_("Choose a constituency")]
    who = form.who.data
    if who not in ("self", "other"):
        form.who.errors = [_("Say whether you are standing yourself or nominating another member")]
    candidate = line
    if who == "other":
        number = whole(form.membership_number, _("their membership number"))
        candidate = queries.member_by_number(society.id, number) if number is not None else None
        if number is not None and candidate is None:
            form.membership_number.errors = [_("There is no member of the society with that membership number")]
    if any(f.errors for f in form):
        return 422
    try:
        nomination = operations.nominate(
            election,
            seat,
            nominator=line,
            candidate=candidate,
            statement=form.statement.data or "",
            by=current_user._get_current_object(),
        )
    except operations.ElectionError as exc:
        db.session.rollback()
        _show(form, exc, default="statement")
        return exc.status
    db.session.commit()
    if nomination.status is NominationStatus.AWAITING_CONSENT:
        flash(_("Your nomination is made. The member you nominated must now agree to stand."), "success")
    else:
        flash(_("Your nomination is made. The society's officers will check it."), "success")
    return None


def _show(form: Any, exc: operations.ElectionError, *, default: str) -> None:
    field = form._fields.get(exc.field or "") or form._fields[default]
    field.errors = [*field.errors, exc.message]


def _errors(form: Any, order: list[str]) -> list[dict[str, str]]:
    items = []
    for name in order:
        field = form._fields[name]
        if field.errors:
            anchor = f"{field.id}-0" if name == "who" else field.id
            items.append({"text": str(field.errors[0]), "href": f"#{anchor}"})
    return items


def _refused(society: Society, election: Election, message: str, status: int):
    return (
        render_template("governance/elections/refused.html", society=society, election=election, message=message),
        status,
    )


def _own_nomination(society_id: int, election_id: int, nomination_id: int):
    """The election, the nomination, and the signed-in candidate's line (404, sign in, then 403)."""
    society, election = load(society_id, election_id)
    nomination = load_nomination(election, nomination_id)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    line = my_line(society)
    if line is None or line.id != nomination.member_id:
        abort(403)
    return society, election, nomination, line


def consent(society_id: int, election_id: int, nomination_id: int):
    """The person nominated agrees to stand, writing their statement."""
    society, election, nomination, line = _own_nomination(society_id, election_id, nomination_id)
    if nomination.status is not NominationStatus.AWAITING_CONSENT:
        return _refused(society, election, _("This nomination is not waiting for your agreement."), 409)
    form = ConsentForm()
    status = 200
    if form.is_submitted():
        if not form.validate_on_submit():
            abort(400)
        try:
            operations.consent(
                election, nomination, line, statement=form.statement.data or "", by=current_user._get_current_object()
            )
        except operations.ElectionError as exc:
            db.session.rollback()
            _show(form, exc, default="statement")
            status = exc.status
        else:
            db.session.commit()
            flash(_("You have agreed to stand. The society's officers will check your nomination."), "success")
            return redirect(url_for(".election", society_id=society.id, election_id=election.id))
    return (
        render_template(
            "governance/elections/consent.html",
            society=society,
            election=election,
            nomination=nomination,
            seat=queries.seat(election, nomination.seat_id),
            constituency=_constituency_name(election, nomination.seat_id),
            form=form,
            form_errors=_errors(form, ["statement"]),
        ),
        status,
    )


def _constituency_name(election: Election, seat_id: int) -> str:
    return next((c.name for c in queries.constituencies(election) if c.seat.id == seat_id), "")


def withdraw(society_id: int, election_id: int, nomination_id: int):
    """The candidate declines a nomination or stands down (before the poll starts)."""
    society, election, nomination, _line = _own_nomination(society_id, election_id, nomination_id)
    if nomination.status is NominationStatus.WITHDRAWN or election.status is not ElectionStatus.NOMINATIONS:
        return _refused(society, election, _("This nomination can no longer be withdrawn."), 409)
    form = WithdrawForm()
    if form.is_submitted():
        if not form.validate_on_submit():
            abort(400)
        try:
            operations.withdraw(
                election,
                nomination,
                reason=form.reason.data or "",
                by=current_user._get_current_object(),
                by_officer=False,
            )
        except operations.ElectionError as exc:
            db.session.rollback()
            return _refused(society, election, exc.message, exc.status)
        db.session.commit()
        flash(_("Your nomination has been withdrawn."), "success")
        return redirect(url_for(".election", society_id=society.id, election_id=election.id))
    return render_template(
        "governance/elections/withdraw.html",
        society=society,
        election=election,
        nomination=nomination,
        constituency=_constituency_name(election, nomination.seat_id),
        form=form,
    )


def results(society_id: int, election_id: int):
    """Each constituency's result: the round-by-round table of its count, or who was returned unopposed."""
    society, election = load(society_id, election_id)
    manager = access.can_manage(society)
    declared = election.status is ElectionStatus.DECLARED
    preview = manager and election.status is ElectionStatus.VOTING and operations.all_counted(election)
    if not (declared or preview):
        abort(404)
    ballots = queries.ballots(election)
    candidates = queries.nominations(election, [NominationStatus.VALID])
    sections = []
    for constituency in queries.constituencies(election):
        seat = constituency.seat
        standing = [c for c in candidates if c.nomination.seat_id == seat.id]
        section: dict[str, Any] = {"constituency": constituency, "standing": standing, "view": None, "ballot": None}
        ballot = ballots.get(seat.id)
        if seat.outcome is SeatOutcome.CONTESTED and ballot is not None:
            result = counting.current_result(ballot)
            if result is not None:
                options = counting.ballot_options(ballot)
                section["view"] = build_view(ballot, options, result, counting.ballot_spec(ballot, options))
                section["ballot"] = ballot
                section["papers"] = counting.paper_count(ballot)
        sections.append(section)
    return render_template(
        "governance/elections/results.html",
        society=society,
        election=election,
        sections=sections,
        declared=declared,
        body=queries.body_members(election),
        Result=CandidateResult,
    )
