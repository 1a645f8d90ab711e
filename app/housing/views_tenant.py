"""Tenants' housing pages: their home and the co-op's offer, reporting and following repairs, surveys.

Every page naming a row loads it first (404 for another council's or a
missing id), then checks the person may see it (403).
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.housing import access, operations, queries, surveys, transfer
from app.housing.forms import summary, whole
from app.housing.models import (
    HousingRepair,
    HousingSurvey,
    HousingTenant,
    HousingTransferBallot,
    RepairStatus,
    SurveyStatus,
)
from app.housing.photos import PhotoError, clean_photos
from app.housing.survey import QUESTIONS
from app.i18n import gettext as _
from app.voting import timing
from app.web.loading import get_or_404

REPAIR_FIELDS = ("home_id", "category", "urgency", "location", "description", "photos")


def index():
    if not current_user.is_authenticated:
        return render_template("housing/index.html", mine=[], repairs=[], open_surveys=[], answered=set())
    mine = queries.homes_of(current_user.id, timing.today())
    repairs = queries.repairs_for_homes(m.home.id for m in mine)
    open_surveys = queries.open_surveys_for(m.estate for m in mine)
    answered = {s.id for s in open_surveys if queries.response_of(s.id, current_user.id) is not None}
    return render_template(
        "housing/index.html",
        mine=mine,
        repairs=repairs,
        open_surveys=open_surveys,
        answered=answered,
        coops={s.id: s for s in queries.housing_coops()},
        manages=access.is_officer(),
        managed_coops=access.managed_coops(),
        transfers=[t for t in queries.transfer_ballots() if transfer.ballot_of(t).status.value != "draft"],
    )


def _answer_offer(tenant_id: int, accept: bool):
    tenant = get_or_404(HousingTenant, tenant_id)
    access.signed_in()
    if tenant.user_id != current_user.id:
        abort(404)  # another tenant's offer: as if it did not exist
    try:
        if accept:
            operations.accept_offer(tenant, current_user._get_current_object())
        else:
            operations.decline_offer(tenant, current_user._get_current_object())
    except operations.HousingError as exc:
        db.session.rollback()
        abort(exc.status, description=exc.message)
    db.session.commit()
    if accept:
        flash(_("Thank you. Your application to join the co-operative has been sent to its committee."), "success")
    else:
        flash(_("You have said no to joining the co-operative. You can ask its secretary to join later."), "success")
    return redirect(url_for(".index"))


def accept_offer(tenant_id: int):
    return _answer_offer(tenant_id, True)


def decline_offer(tenant_id: int):
    return _answer_offer(tenant_id, False)


def new_repair():
    access.signed_in()
    mine = queries.homes_of(current_user.id, timing.today())
    if not mine:
        return render_template("housing/not_a_tenant.html"), 403
    errors: dict[str, str] = {}
    values = request.form if request.method == "POST" else {"home_id": str(mine[0].home.id)}
    status = 200
    if request.method == "POST":
        home_id = whole(request.form, "home_id")
        home = next((m.home for m in mine if m.home.id == home_id), None)
        if home is None:
            errors["home_id"] = _("Choose your home from the list")
        files = [(f.filename or "", f.read()) for f in request.files.getlist("photos") if f and (f.filename or "")]
        photos = []
        try:
            photos = clean_photos(files)
        except PhotoError as exc:
            errors["photos"] = exc.message
        if not errors:
            try:
                repair = operations.report_repair(
                    home,
                    category=request.form.get("category"),
                    urgency=request.form.get("urgency"),
                    location=request.form.get("location"),
                    description=request.form.get("description"),
                    photos=photos,
                    by=current_user._get_current_object(),
                )
            except operations.HousingError as exc:
                db.session.rollback()
                errors[exc.field or "description"] = exc.message
            else:
                db.session.commit()
                flash(_("Your repair has been reported. You can follow it on this page."), "success")
                return redirect(url_for(".repair", repair_id=repair.id))
        status = 422
    return (
        render_template(
            "housing/repair_new.html",
            mine=mine,
            values=values,
            errors=errors,
            form_errors=summary(errors, REPAIR_FIELDS),
        ),
        status,
    )


def _repair_for_viewer(repair_id: int):
    repair = get_or_404(HousingRepair, repair_id)
    home = queries.home_by_id(repair.home_id)
    estate = queries.estate_of(home)
    access.signed_in()
    if not access.can_see_repair(repair, home, estate):
        abort(403)
    return repair, home, estate


def repair_page(repair_id: int, *, errors: dict[str, str] | None = None, status: int = 200):
    repair, home, estate = _repair_for_viewer(repair_id)
    manager = access.manages_estate(estate)
    contractors = queries.contractors(estate.society_id, including_council=True) if manager else []
    errors = errors or {}
    return (
        render_template(
            "housing/repair.html",
            repair=repair,
            home=home,
            estate=estate,
            photos=queries.photos(repair.id),
            contractor=queries.contractor(repair.contractor_id) if repair.contractor_id else None,
            contractors=contractors,
            manager=manager,
            is_reporter=repair.reported_by_user_id == current_user.id or access.is_tenant_of(home),
            errors=errors,
            form_errors=summary(errors),
            values=request.form,
        ),
        status,
    )


def rate_repair(repair_id: int):
    repair, home, _estate = _repair_for_viewer(repair_id)
    if not (repair.reported_by_user_id == current_user.id or access.is_tenant_of(home)):
        abort(403)
    try:
        operations.rate_repair(
            repair,
            score=whole(request.form, "satisfaction"),
            comment=request.form.get("comment", ""),
            by=current_user._get_current_object(),
        )
    except operations.HousingError as exc:
        db.session.rollback()
        return repair_page(repair_id, errors={exc.field or "satisfaction": exc.message}, status=exc.status)
    db.session.commit()
    flash(_("Thank you for telling us how the repair went."), "success")
    return redirect(url_for(".repair", repair_id=repair.id))


def photo(repair_id: int, photo_id: int):
    repair, _home, _estate = _repair_for_viewer(repair_id)
    found = queries.photo(repair.id, photo_id)
    if found is None:
        abort(404)
    response = Response(found.data, mimetype=found.content_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


def survey(survey_id: int):
    found = get_or_404(HousingSurvey, survey_id)
    access.signed_in()
    if found.status is not SurveyStatus.OPEN or surveys.estate_for_survey(found, current_user) is None:
        abort(403)
    if queries.response_of(found.id, current_user.id) is not None:
        return render_template("housing/survey_done.html", survey=found)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            surveys.answer_survey(found, answers=request.form, by=current_user._get_current_object())
        except operations.HousingError as exc:
            db.session.rollback()
            errors[exc.field or "TP01"] = exc.message
            status = exc.status
        else:
            db.session.commit()
            flash(_("Thank you. Your answers have been saved."), "success")
            return redirect(url_for(".index"))
    return (
        render_template(
            "housing/survey_answer.html",
            survey=found,
            questions=QUESTIONS,
            values=request.form,
            errors=errors,
            form_errors=summary(errors, tuple(q.code for q in QUESTIONS)),
        ),
        status,
    )


def transfer_page(transfer_id: int):
    link = get_or_404(HousingTransferBallot, transfer_id)
    officer = access.is_officer()
    result = transfer.outcome(link, show_counted=officer)
    if result.ballot.status.value == "draft" and not officer:
        abort(404)
    return render_template(
        "housing/transfer.html",
        link=link,
        outcome=result,
        officer=officer,
        estate_names=queries.estate_names(),
        coop=next((s for s in queries.housing_coops() if s.id == link.society_id), None),
        RepairStatus=RepairStatus,
    )
