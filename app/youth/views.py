"""Residents' youth pages: rounds, a neighbourhood's page in a round, proposing a service, your proposals.

Pages naming a round or neighbourhood load it first (another council's id is a
404 for everyone), then check who is asking. Proposing needs a role in the
council; anyone may read a round's public pages.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin.forms import error_list
from app.extensions import db, login_manager
from app.i18n import gettext as _
from app.voting.forms import choices
from app.web.loading import get_or_404
from app.youth import operations, queries, voting
from app.youth.forms import ProposalForm, id_choice, whole_number
from app.youth.models import Phase, YouthRound
from app.youth.operations import phase_of
from tenants.models import Neighbourhood

PROPOSAL_FIELDS = ("neighbourhood_id", "service_type_id", "title", "description", "audience", "sessions_wanted")


def index():
    return render_template("youth/index.html", rounds=queries.rounds())


def round_page(round_id: int):
    round_ = get_or_404(YouthRound, round_id)
    return render_template(
        "youth/round.html",
        round=round_,
        lines=queries.budget_lines(round_, only_taking_part=True),
        services=queries.services(round_),
        ballots=voting.round_ballots(round_),
    )


def neighbourhood_page(round_id: int, neighbourhood_id: int):
    round_ = get_or_404(YouthRound, round_id)
    neighbourhood = get_or_404(Neighbourhood, neighbourhood_id)
    budget = queries.budget_for(round_, neighbourhood.id)
    if budget is None:
        abort(404)  # not taking part in this round
    return render_template(
        "youth/neighbourhood.html",
        round=round_,
        neighbourhood=neighbourhood,
        budget=budget,
        accepted=queries.accepted_in(round_, neighbourhood.id),
        proposal_count=queries.submitted_count_in(round_, neighbourhood.id),
        service_names=queries.service_names(round_),
    )


def _proposal_choices(form: ProposalForm, round_: YouthRound) -> None:
    lines = queries.budget_lines(round_, only_taking_part=True)
    form.neighbourhood_id.choices = choices(
        [("", _("Choose a neighbourhood"))] + [(str(line.neighbourhood.id), line.neighbourhood.name) for line in lines]
    )
    form.service_type_id.choices = choices([(str(s.id), s.name) for s, _provider in queries.services(round_)])


def propose(round_id: int):
    round_ = get_or_404(YouthRound, round_id)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not queries.belongs_to_council():
        abort(403)
    if phase_of(round_) is not Phase.PROPOSALS:
        return render_template("youth/not_taking_proposals.html", round=round_), 409
    form = ProposalForm()
    _proposal_choices(form, round_)
    if not form.is_submitted() and request.args.get("neighbourhood", "").isdigit():
        form.neighbourhood_id.data = request.args["neighbourhood"]
    status = 200
    if form.validate_on_submit():
        sessions = whole_number(
            form.sessions_wanted,
            blank=_("Enter how many sessions you would like"),
            invalid=_("How many sessions you would like must be a whole number, like 12"),
        )
        if not form.sessions_wanted.errors:
            try:
                proposal = operations.submit_proposal(
                    round_,
                    neighbourhood_id=id_choice(form.neighbourhood_id),
                    service_type_id=id_choice(form.service_type_id),
                    title=form.title.data,
                    description=form.description.data,
                    audience=form.audience.data,
                    sessions_wanted=sessions,
                    by=current_user._get_current_object(),
                )
            except operations.YouthError as exc:
                db.session.rollback()
                _field_error(form, exc)
                status = exc.status
            else:
                db.session.commit()
                flash(_("Your proposal “%(title)s” has been sent to the council.", title=proposal.title), "success")
                return redirect(url_for(".mine"))
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    return (
        render_template("youth/propose.html", round=round_, form=form, form_errors=error_list(form, *PROPOSAL_FIELDS)),
        status,
    )


def mine():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not queries.belongs_to_council():
        abort(403)  # someone of another council: their proposals are not here
    return render_template(
        "youth/mine.html",
        rows=queries.my_proposals(current_user.id),
        neighbourhoods=queries.neighbourhood_names(),
    )


def _field_error(form, error: operations.YouthError) -> None:
    """Put ``error`` on its field, or on the form's first field when it names none."""
    field = form._fields.get(error.field or "") or next(f for name, f in form._fields.items() if name != "csrf_token")
    field.errors = [*field.errors, error.message]
