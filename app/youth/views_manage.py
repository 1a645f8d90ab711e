"""Officers' youth pages: rounds and their phase dates, budgets, the catalogue, providers and moderation.

Who: council administrators, officers allowed to manage the youth module, and
platform administrators. Pages naming a row load it first (404 for another
council's id), then check (403). A change the round's phase no longer allows
answers 409 with the reason; nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin.forms import error_list
from app.extensions import db, login_manager
from app.i18n import gettext as _
from app.voting.forms import choices
from app.voting.papers import parse_pounds
from app.web.loading import get_or_404
from app.youth import operations, queries, voting
from app.youth.forms import (
    BudgetsForm,
    ConfirmForm,
    DecisionForm,
    ProviderForm,
    RoundForm,
    ServiceTypeForm,
    id_choice,
    pounds,
    pounds_text,
    whole_number,
)
from app.youth.models import Phase, ProposalStatus, YouthProposal, YouthProvider, YouthRound, YouthServiceType
from app.youth.phases import EDITABLE_PHASES, PHASE_LABELS, PHASE_STARTS
from tenants.models import Neighbourhood


def _by() -> Any:
    return current_user._get_current_object()


def _check() -> None:
    """Sign in, else 403 unless the person may manage youth rounds."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not queries.can_manage():
        abort(403)


def _load_round(round_id: int) -> YouthRound:
    round_ = get_or_404(YouthRound, round_id)
    _check()
    return round_


def _fail(form, error: operations.YouthError, extra: dict[str, str] | None = None) -> int:
    """Show ``error`` on its field (or in ``extra`` for non-form inputs, or flashed); the status to answer."""
    db.session.rollback()
    field = form._fields.get(error.field or "")
    if field is not None:
        field.errors = [*field.errors, error.message]
    elif extra is not None and error.field:
        extra[error.field] = error.message
    else:
        flash(error.message, "error")
    return error.status


# --- rounds --------------------------------------------------------------------------------------


def manage():
    _check()
    return render_template("youth/manage/index.html", rounds=queries.rounds())


def _round_form_context(form: RoundForm, round_: YouthRound | None, dates, date_errors) -> dict[str, Any]:
    summary = error_list(form, "title", "description")
    summary += [{"text": message, "href": f"#{column}-day"} for column, message in date_errors.items()]
    summary += [e for e in error_list(form, "who_votes", "min_age", "max_age") if e not in summary]
    return {
        "form": form,
        "round": round_,
        "dates": dates,
        "date_errors": date_errors,
        "phase_fields": [(PHASE_LABELS[p], column) for p, column in PHASE_STARTS],
        "form_errors": summary,
    }


def _phase_choices(form: RoundForm) -> None:
    form.phase_override.choices = choices(
        [("", _("Follow the dates"))] + [(p.value, str(label)) for p, label in PHASE_LABELS.items()]
    )


def _read_round(form: RoundForm) -> tuple[dict[str, Any] | None, dict[str, Any], dict[str, str]]:
    """The round's values from the form, or ``None`` with the dates and their errors."""
    dates, date_errors = form.read_dates()
    min_age = max_age = None
    if form.who_votes.data == "ages":
        min_age = whole_number(
            form.min_age,
            blank=_("Enter the youngest age"),
            invalid=_("The youngest age must be a whole number, like 12"),
        )
        max_age = whole_number(
            form.max_age,
            blank=_("Enter the oldest age"),
            invalid=_("The oldest age must be a whole number, like 12"),
        )
    elif form.who_votes.data != "all":
        form.who_votes.errors = [*form.who_votes.errors, _("Choose who may vote")]
    override = form.phase_override.data or None
    if override is not None and override not in {p.value for p in Phase}:
        form.phase_override.errors = [*form.phase_override.errors, _("Choose a phase")]
    if date_errors or any(f.errors for f in form):
        return None, dates, date_errors
    values = {
        "title": form.title.data,
        "description": form.description.data,
        "dates": dates,
        "min_age": min_age,
        "max_age": max_age,
        "phase_override": Phase(override) if override else None,
    }
    return values, dates, date_errors


def _round_form(form: RoundForm, round_: YouthRound | None, dates: dict[str, Any], save: Callable[[dict], Any]):
    """Show the round form, or read it, save it (``save(values)`` → the round and what to flash) and go to the round."""
    date_errors: dict[str, str] = {}
    status = 200
    if form.validate_on_submit():
        values, dates, date_errors = _read_round(form)
        if values is None:
            status = 400
        else:
            try:
                saved, message = save(values)
            except operations.YouthError as exc:
                status = _fail(form, exc, date_errors)
            else:
                db.session.commit()
                flash(message, "success")
                return redirect(url_for(".overview", round_id=saved.id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "youth/manage/round_form.html", **_round_form_context(form, round_, dates, date_errors)
    ), status


def new_round():
    _check()
    form = RoundForm()
    _phase_choices(form)
    if not form.is_submitted():
        form.who_votes.data = "ages"
        form.min_age.data, form.max_age.data = "11", "25"

    def create(values: dict) -> tuple[YouthRound, str]:
        values.pop("phase_override")  # a new round follows its dates
        round_ = operations.create_round(**values, by=_by())
        return round_, _("%(title)s created with the standard catalogue of services.", title=round_.title)

    return _round_form(form, None, {}, create)


def edit_round(round_id: int):
    round_ = _load_round(round_id)
    form = RoundForm(obj=round_)
    _phase_choices(form)
    if not form.is_submitted():
        all_residents = round_.min_age is None and round_.max_age is None
        form.who_votes.data = "all" if all_residents else "ages"
        form.min_age.data = "" if round_.min_age is None else str(round_.min_age)
        form.max_age.data = "" if round_.max_age is None else str(round_.max_age)
        form.phase_override.data = round_.phase_override.value if round_.phase_override else ""

    def update(values: dict) -> tuple[YouthRound, str]:
        operations.update_round(round_, **values, by=_by())
        return round_, _("%(title)s saved.", title=round_.title)

    return _round_form(form, round_, {column: getattr(round_, column) for _p, column in PHASE_STARTS}, update)


def overview(round_id: int):
    round_ = _load_round(round_id)
    return render_template(
        "youth/manage/overview.html",
        round=round_,
        lines=queries.budget_lines(round_, only_taking_part=True),
        services=queries.services(round_),
        counts=queries.proposal_counts(round_),
        editable=operations.phase_of(round_) in EDITABLE_PHASES,
        ballots=voting.round_ballots(round_),
        all_published=voting.all_published(round_),
        confirm=ConfirmForm(),
    )


# --- budgets -------------------------------------------------------------------------------------


def budgets(round_id: int):
    round_ = _load_round(round_id)
    form = BudgetsForm()
    lines = queries.budget_lines(round_)
    errors: dict[str, str] = {}
    values = {f"budget-{line.neighbourhood.id}": pounds_text(line.amount_pence) for line in lines}
    status = 200
    if form.validate_on_submit():
        amounts: dict[int, int | None] = {}
        for line in lines:
            key = f"budget-{line.neighbourhood.id}"
            text = (request.form.get(key) or "").strip()
            values[key] = text
            if not text:
                amounts[line.neighbourhood.id] = None
                continue
            pence = parse_pounds(text)
            if pence is None:
                errors[key] = _(
                    "The budget for %(name)s must be an amount of money, like 25000 or 25000.50",
                    name=line.neighbourhood.name,
                )
            amounts[line.neighbourhood.id] = pence
        if errors:
            status = 400
        else:
            try:
                operations.set_budgets(round_, amounts, by=_by())
            except operations.YouthError as exc:
                status = _fail(form, exc, errors)
            else:
                db.session.commit()
                flash(_("Budgets saved."), "success")
                return redirect(url_for(".overview", round_id=round_.id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "youth/manage/budgets.html",
        round=round_,
        form=form,
        lines=lines,
        values=values,
        errors=errors,
        form_errors=[{"text": message, "href": f"#{key}"} for key, message in errors.items()],
    ), status


# --- the catalogue and providers -----------------------------------------------------------------


def _provider_choices(form: ServiceTypeForm) -> None:
    form.provider_id.choices = choices([("", _("Not chosen yet"))] + [(str(p.id), p.name) for p in queries.providers()])


def _service_form(round_: YouthRound, service: YouthServiceType | None):
    form = ServiceTypeForm(obj=service)
    _provider_choices(form)
    status = 200
    if not form.is_submitted() and service is not None:
        form.unit_cost.data = pounds_text(service.unit_cost_pence)
        form.provider_id.data = str(service.provider_id) if service.provider_id else ""
    if form.validate_on_submit():
        cost = pounds(
            form.unit_cost,
            blank=_("Enter the cost of one session"),
            invalid=_("The cost of one session must be an amount of money, like 450 or 450.50"),
        )
        provider_id = id_choice(form.provider_id)
        if form.provider_id.data and provider_id is None:
            form.provider_id.errors = [_("Choose one of the council's providers")]
        if not any(f.errors for f in form):
            try:
                operations.save_service_type(
                    round_,
                    service,
                    name=form.name.data,
                    description=form.description.data,
                    provider_id=provider_id,
                    unit_cost_pence=cost,
                    by=_by(),
                )
            except operations.YouthError as exc:
                status = _fail(form, exc)
            else:
                db.session.commit()
                flash(_("%(name)s saved.", name=form.name.data), "success")
                return redirect(url_for(".overview", round_id=round_.id))
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "youth/manage/service_form.html",
        round=round_,
        service=service,
        form=form,
        form_errors=error_list(form, "name", "description", "provider_id", "unit_cost"),
    ), status


def add_service(round_id: int):
    return _service_form(_load_round(round_id), None)


def edit_service(round_id: int, service_id: int):
    round_ = get_or_404(YouthRound, round_id)
    service = get_or_404(YouthServiceType, service_id)
    if service.round_id != round_.id:
        abort(404)
    _check()
    return _service_form(round_, service)


def providers():
    _check()
    return render_template("youth/manage/providers.html", providers=queries.providers())


def _provider_form(provider: YouthProvider | None):
    form = ProviderForm(obj=provider)
    status = 200
    if form.validate_on_submit():
        try:
            saved = operations.save_provider(
                provider, name=form.name.data, contact=form.contact.data, notes=form.notes.data, by=_by()
            )
        except operations.YouthError as exc:
            status = _fail(form, exc)
        else:
            db.session.commit()
            flash(_("%(name)s saved.", name=saved.name), "success")
            return redirect(url_for(".providers"))
    elif form.is_submitted():
        status = 400
    return render_template(
        "youth/manage/provider_form.html",
        provider=provider,
        form=form,
        form_errors=error_list(form, "name", "contact", "notes"),
    ), status


def add_provider():
    _check()
    return _provider_form(None)


def edit_provider(provider_id: int):
    provider = get_or_404(YouthProvider, provider_id)
    _check()
    return _provider_form(provider)


# --- proposals and moderation --------------------------------------------------------------------


def proposals(round_id: int):
    round_ = _load_round(round_id)
    wanted = request.args.get("status")
    status = ProposalStatus(wanted) if wanted in {s.value for s in ProposalStatus} else None
    return render_template(
        "youth/manage/proposals.html",
        round=round_,
        proposals=queries.proposals(round_, status),
        status=status,
        counts=queries.proposal_counts(round_),
        neighbourhoods=queries.neighbourhood_names(),
        service_names=queries.service_names(round_),
    )


def review(round_id: int, proposal_id: int):
    round_ = get_or_404(YouthRound, round_id)
    proposal = get_or_404(YouthProposal, proposal_id)
    if proposal.round_id != round_.id:
        abort(404)
    _check()
    service = get_or_404(YouthServiceType, proposal.service_type_id)
    neighbourhood = get_or_404(Neighbourhood, proposal.neighbourhood_id)
    form = DecisionForm(obj=proposal)
    editable = operations.phase_of(round_) in EDITABLE_PHASES
    status = 200
    if not form.is_submitted():
        form.decision.data = proposal.status.value if proposal.status is not ProposalStatus.SUBMITTED else None
        form.reason.data = proposal.decision_reason
        sessions = proposal.estimated_sessions or proposal.sessions_wanted
        form.estimated_sessions.data = str(sessions)
    if form.validate_on_submit():
        sessions = whole_number(
            form.estimated_sessions,
            blank=None,
            invalid=_("The number of sessions must be a whole number, like 12"),
        )
        decision = form.decision.data
        if decision not in ("accepted", "rejected"):
            form.decision.errors = [*form.decision.errors, _("Choose accept or reject")]
        if not any(f.errors for f in form):
            try:
                operations.decide_proposal(
                    round_,
                    proposal,
                    decision=ProposalStatus(decision),
                    reason=form.reason.data,
                    feasibility=form.feasibility.data,
                    estimated_sessions=sessions,
                    by=_by(),
                )
            except operations.YouthError as exc:
                status = _fail(form, exc)
            else:
                db.session.commit()
                flash(_("Decision on “%(title)s” saved.", title=proposal.title), "success")
                return redirect(url_for(".proposals", round_id=round_.id))
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "youth/manage/review.html",
        round=round_,
        proposal=proposal,
        service=service,
        neighbourhood=neighbourhood,
        budget=queries.budget_for(round_, neighbourhood.id),
        editable=editable,
        form=form,
        form_errors=error_list(form, "decision", "estimated_sessions", "feasibility", "reason"),
    ), status
