"""Officers' youth pages after review: opening voting, announcing results, commissioning and recording delivery.

Same rules as ``views_manage``: load (404 for another council's id), then check
(403), call an operation, commit, redirect; a refusal the phase causes is 409
with the reason, bad input 400 with the message on its field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import abort, flash, redirect, render_template, request, url_for

from app.admin.forms import error_list
from app.extensions import db
from app.i18n import gettext as _
from app.voting.forms import choices
from app.voting.papers import parse_pounds
from app.web.dates import DateProblem, parse_date, typed_parts
from app.web.loading import get_or_404
from app.youth import delivery, notify, queries, voting
from app.youth.forms import (
    CommissionForm,
    ConfirmForm,
    OpenVotingForm,
    SessionsForm,
    StatusForm,
    id_choice,
    whole_number,
)
from app.youth.models import CommissionStatus, Phase, VoteKind, YouthCommission, YouthProposal
from app.youth.operations import YouthError, _event, phase_of
from app.youth.views_manage import _by, _fail, _load_round


def open_voting(round_id: int):
    round_ = _load_round(round_id)
    form = OpenVotingForm()
    services = [s for s, _provider in queries.services(round_)]
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    status = 200
    if form.validate_on_submit():
        kind = form.vote_kind.data if form.vote_kind.data in {k.value for k in VoteKind} else None
        if kind is None:
            form.vote_kind.errors = [*form.vote_kind.errors, _("Choose how each neighbourhood will vote")]
        picks = whole_number(
            form.max_picks,
            blank=_("Enter how many proposals each voter may pick") if kind == "approval" else None,
            invalid=_("How many proposals each voter may pick must be a whole number, like 12"),
        )
        bounds: dict[int, tuple[int | None, int | None]] = {}
        for service in services:
            pair = []
            for name in ("floor", "ceiling"):
                key = f"{name}-{service.id}"
                text = (request.form.get(key) or "").strip()
                values[key] = text
                pence = parse_pounds(text) if text else None
                if text and pence is None:
                    errors[key] = _("Enter an amount of money for %(service)s, like 500", service=service.name)
                pair.append(pence)
            bounds[service.id] = (pair[0], pair[1])
        if form.vote_kind.errors or form.max_picks.errors or errors:
            status = 400
        else:
            try:
                voting.open_voting(round_, vote_kind=VoteKind(kind), max_picks=picks, bounds=bounds, by=_by())
                notify.notify(round_, Phase.VOTING.value)
            except YouthError as exc:
                status = _fail(form, exc, errors)
            else:
                db.session.commit()
                flash(_("Voting is open in every neighbourhood with something to vote on."), "success")
                return redirect(url_for(".overview", round_id=round_.id))
    elif form.is_submitted():
        status = 400
    summary = error_list(form, "vote_kind", "max_picks") + [
        {"text": message, "href": f"#{key}"} for key, message in errors.items()
    ]
    return render_template(
        "youth/manage/open_voting.html",
        round=round_,
        form=form,
        services=services,
        values=values,
        errors=errors,
        form_errors=summary,
        accepted=voting.accepted_proposals(round_),
        lines=queries.budget_lines(round_, only_taking_part=True),
    ), status


def announce(round_id: int):
    """Tell residents the results are out, once every neighbourhood's ballot is published (POST)."""
    round_ = _load_round(round_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if not voting.all_published(round_):
        flash(_("Publish the result of every neighbourhood's ballot first."), "error")
        return redirect(url_for(".overview", round_id=round_.id)), 303
    if round_.results_announced_at is not None:
        flash(_("The results have already been announced."), "error")
        return redirect(url_for(".overview", round_id=round_.id)), 303
    round_.results_announced_at = datetime.now(UTC)
    if round_.phase_override is Phase.VOTING:
        round_.phase_override = Phase.RESULTS
    notify.notify(round_, notify.RESULTS)
    _event("results_announced", "youth_round", round_.id, _by())
    db.session.commit()
    flash(_("Results announced. Residents who asked will get an email."), "success")
    return redirect(url_for(".overview", round_id=round_.id))


def announce_phase(round_id: int):
    """Email residents that the round's current phase has started (POST; once per phase)."""
    round_ = _load_round(round_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    phase = phase_of(round_)
    if phase is Phase.UPCOMING:
        flash(_("The round has not started yet."), "error")
        return redirect(url_for(".overview", round_id=round_.id)), 303
    notify.notify(round_, phase.value)
    db.session.commit()
    flash(_("Residents who asked will get an email about this phase."), "success")
    return redirect(url_for(".overview", round_id=round_.id))


# --- delivery ------------------------------------------------------------------------------------


def _provider_choices(field) -> None:
    field.choices = choices([("", _("Choose a provider"))] + [(str(p.id), p.name) for p in queries.providers()])


def deliveries(round_id: int):
    round_ = _load_round(round_id)
    form = CommissionForm()
    _provider_choices(form.provider_id)
    return render_template(
        "youth/manage/delivery.html",
        round=round_,
        lines=delivery.progress(round_),
        form=form,
        neighbourhoods=queries.neighbourhood_names(),
    )


def commission(round_id: int, proposal_id: int):
    round_ = _load_round(round_id)
    proposal = get_or_404(YouthProposal, proposal_id)
    form = CommissionForm()
    _provider_choices(form.provider_id)
    if not form.validate_on_submit():
        abort(400)
    try:
        delivery.commission(round_, proposal, provider_id=id_choice(form.provider_id), by=_by())
    except YouthError as exc:
        db.session.rollback()
        form.provider_id.errors = [exc.message]
        return render_template(
            "youth/manage/delivery.html",
            round=round_,
            lines=delivery.progress(round_),
            form=form,
            neighbourhoods=queries.neighbourhood_names(),
            failed=proposal.id,
            form_errors=[{"text": exc.message, "href": f"#provider_id-{proposal.id}"}],
        ), exc.status
    db.session.commit()
    flash(_("%(title)s is commissioned.", title=proposal.title), "success")
    return redirect(url_for(".deliveries", round_id=round_.id))


def _status_choices(form: StatusForm, row: YouthCommission) -> None:
    form.status.choices = choices(
        [(s.value, str(delivery.STATUS_LABELS[s])) for s in CommissionStatus if s in delivery.NEXT[row.status]]
    )


def _commission_page(round_, row, status_form, sessions_form, status=200, summary=None, date_values=None):
    proposal = get_or_404(YouthProposal, row.proposal_id)
    return render_template(
        "youth/manage/commission.html",
        round=round_,
        row=row,
        proposal=proposal,
        status_form=status_form,
        sessions_form=sessions_form,
        records=delivery.records(row),
        labels=delivery.STATUS_LABELS,
        date_values=date_values or {},
        form_errors=summary or [],
    ), status


def _load_commission(round_id: int, commission_id: int):
    round_ = _load_round(round_id)
    row = get_or_404(YouthCommission, commission_id)
    if row.round_id != round_.id:
        abort(404)
    return round_, row


def commission_page(round_id: int, commission_id: int):
    round_, row = _load_commission(round_id, commission_id)
    status_form = StatusForm(prefix="status")
    _status_choices(status_form, row)
    return _commission_page(round_, row, status_form, SessionsForm(prefix="sessions"))


def change_status(round_id: int, commission_id: int):
    round_, row = _load_commission(round_id, commission_id)
    status_form = StatusForm(prefix="status")
    _status_choices(status_form, row)
    if not status_form.validate_on_submit():
        abort(400)
    try:
        delivery.change_status(row, status_form.status.data, reason=status_form.reason.data or "", by=_by())
    except YouthError as exc:
        db.session.rollback()
        field = status_form.reason if exc.field == "reason" else status_form.status
        field.errors = [exc.message]
        summary = [{"text": exc.message, "href": f"#{field.id}"}]
        return _commission_page(round_, row, status_form, SessionsForm(prefix="sessions"), exc.status, summary)
    db.session.commit()
    flash(_("Status changed."), "success")
    return redirect(url_for(".commission_page", round_id=round_.id, commission_id=row.id))


def _read_date(prefix: str) -> tuple[date | None, dict[str, str], bool]:
    values = typed_parts(request.form, prefix)
    found = parse_date(values["day"], values["month"], values["year"])
    if isinstance(found, date):
        return found, values, True
    return None, values, found is DateProblem.BLANK


def record_sessions(round_id: int, commission_id: int):
    round_, row = _load_commission(round_id, commission_id)
    status_form = StatusForm(prefix="status")
    _status_choices(status_form, row)
    form = SessionsForm(prefix="sessions")
    if not form.validate_on_submit():
        abort(400)
    held_on, date_values, readable = _read_date("held_on")
    if not readable:
        form.held_on.errors = [_("Enter a real date, like 27 3 2027")]
    sessions = whole_number(
        form.sessions,
        blank=_("Enter the number of sessions"),
        invalid=_("The number of sessions must be a whole number, like 12"),
    )
    attendance = whole_number(
        form.attendance,
        blank=_("Enter the total attendance"),
        invalid=_("The total attendance must be a whole number, like 12"),
    )
    status = 400
    if not (form.held_on.errors or form.sessions.errors or form.attendance.errors):
        try:
            delivery.record_sessions(row, held_on=held_on, sessions=sessions, attendance=attendance, by=_by())
        except YouthError as exc:
            db.session.rollback()
            getattr(form, exc.field, form.held_on).errors = [exc.message]
            status = exc.status
        else:
            db.session.commit()
            flash(_("Sessions recorded."), "success")
            return redirect(url_for(".commission_page", round_id=round_.id, commission_id=row.id))
    summary = [
        {"text": f.errors[0], "href": "#held_on-day" if f.name == "sessions-held_on" else f"#{f.id}"}
        for f in (form.held_on, form.sessions, form.attendance)
        if f.errors
    ]
    return _commission_page(round_, row, status_form, form, status, summary, date_values)
