"""The transfer ballot (council officers) and the tenant satisfaction survey (a co-op's committee, or officers)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.governance import access as governance_access
from app.governance.models import Society
from app.housing import access, charts, operations, queries, surveys, transfer
from app.housing.forms import field_text, id_list, optional_id, summary
from app.housing.models import HousingSurvey, SurveyStatus
from app.housing.survey import QUESTIONS, SMALL_COUNT, percent_text, results_by_estate
from app.i18n import gettext as _
from app.voting import timing
from app.voting.methods.resolutions import THRESHOLDS
from app.web.dates import read_named_date
from app.web.loading import get_or_404

TRANSFER_FIELDS = ("title", "proposal", "estate_ids", "society_id", "threshold", "closes_on", "open_now")


def _by() -> object:
    return current_user._get_current_object()


def transfer_list():
    access.require_officer()
    rows = [(link, transfer.outcome(link, show_counted=True)) for link in queries.transfer_ballots()]
    return render_template("housing/transfer_list.html", rows=rows)


def new_transfer():
    access.require_officer()
    errors: dict[str, str] = {}
    status = 200
    values = request.form if request.method == "POST" else {"threshold": "simple_majority", "open_now": "no"}
    if request.method == "POST":
        estate_ids = id_list(request.form, "estate_ids")
        if estate_ids is None:
            errors["estate_ids"] = _("Choose estates from the list")
        society_raw = field_text(request.form, "society_id")
        society_id = optional_id(request.form, "society_id")
        if society_raw and society_id is None:
            errors["society_id"] = _("Choose a housing co-operative from the list")
        open_now = field_text(request.form, "open_now")
        if open_now not in ("yes", "no"):
            errors["open_now"] = _("Say whether to open the ballot now")
        closes_on, date_error = read_named_date(request.form, "closes_on", _("the day voting closes"))
        if date_error:
            errors["closes_on"] = date_error
        if not errors:
            try:
                link = transfer.start_transfer_ballot(
                    title=request.form.get("title", ""),
                    proposal=request.form.get("proposal", ""),
                    estate_ids=estate_ids,
                    society_id=society_id,
                    threshold=field_text(request.form, "threshold"),
                    closes_at=operations.end_of_uk_day(closes_on),
                    open_now=open_now == "yes",
                    by=_by(),
                )
            except operations.HousingError as exc:
                db.session.rollback()
                errors[exc.field or "title"] = str(exc.message)
            else:
                db.session.commit()
                flash(_("The transfer ballot has been created."), "success")
                return redirect(url_for(".transfer", transfer_id=link.id))
        status = 422
    return (
        render_template(
            "housing/transfer_new.html",
            estates=queries.estates(),
            coops=queries.housing_coops(),
            thresholds=list(THRESHOLDS),
            values=values,
            chosen={str(i) for i in (request.form.getlist("estate_ids") if request.method == "POST" else [])},
            errors=errors,
            form_errors=summary(errors, TRANSFER_FIELDS),
        ),
        status,
    )


# --- surveys -------------------------------------------------------------------------------------


def _surveys(society: Society | None):
    errors: dict[str, str] = {}
    status = 200
    scope = society.id if society else None
    if request.method == "POST":
        try:
            made = surveys.create_survey(society_id=scope, title=request.form.get("title", ""), by=_by())
        except operations.HousingError as exc:
            db.session.rollback()
            errors["title"] = exc.message
            status = exc.status
        else:
            db.session.commit()
            flash(_("The survey %(title)s has been drafted.", title=made.title), "success")
            return redirect(request.path)
    return (
        render_template(
            "housing/surveys.html",
            society=society,
            surveys=queries.surveys(scope),
            values=request.form,
            errors=errors,
            form_errors=summary(errors),
        ),
        status,
    )


def council_surveys():
    access.require_officer()
    return _surveys(None)


def coop_surveys(society_id: int):
    return _surveys(access.require_coop_manager(society_id))


def _managed_survey(survey_id: int) -> tuple[HousingSurvey, Society | None]:
    survey = get_or_404(HousingSurvey, survey_id)
    access.signed_in()
    if survey.society_id is None:
        if not access.is_officer():
            abort(403)
        return survey, None
    society = next((s for s in queries.housing_coops() if s.id == survey.society_id), None)
    if society is None or not governance_access.can_manage(society):
        abort(403)
    return survey, society


def _back(society: Society | None) -> str:
    return url_for(".coop_surveys", society_id=society.id) if society else url_for(".council_surveys")


def open_survey(survey_id: int):
    survey, society = _managed_survey(survey_id)
    try:
        surveys.open_survey(survey, by=_by())
    except operations.HousingError as exc:
        db.session.rollback()
        abort(exc.status, description=exc.message)
    db.session.commit()
    flash(_("The survey is open. Tenants see it on their housing page."), "success")
    return redirect(_back(society))


def close_survey(survey_id: int):
    survey, society = _managed_survey(survey_id)
    try:
        surveys.close_survey(survey, by=_by())
    except operations.HousingError as exc:
        db.session.rollback()
        abort(exc.status, description=exc.message)
    db.session.commit()
    flash(_("The survey is closed."), "success")
    return redirect(_back(society))


def survey_results(survey_id: int):
    survey, society = _managed_survey(survey_id)
    estates, overall = results_by_estate(queries.responses(survey.id), queries.estate_names())
    return render_template(
        "housing/survey_results.html",
        survey=survey,
        society=society,
        estates=estates,
        overall=overall,
        questions=QUESTIONS,
        chart=charts.overall_by_estate(estates) if estates else None,
        percent_text=percent_text,
        small_count=SMALL_COUNT,
        SurveyStatus=SurveyStatus,
        today=timing.today(),
    )
