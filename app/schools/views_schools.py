"""A school's pages: adding and changing it, Ofsted judgements, its place in the pipeline, its values self-review."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from app.extensions import db
from app.governance import queries as governance_queries
from app.housing.forms import field_text, optional_id, whole
from app.i18n import gettext as _
from app.schools import access, charts, labels, operations, queries
from app.schools.models import VALUES, School
from app.schools.pages import PAGE, by, refused, render
from app.voting import timing
from app.web.dates import read_named_date


def _school_form(school: School | None):
    access.require_officer()
    errors: dict = {}
    status = 200
    if request.method == "POST":
        pupils = whole(request.form, "pupils")
        trust_raw = field_text(request.form, "society_id")
        society_id = optional_id(request.form, "society_id")
        if trust_raw and society_id is None:
            errors["society_id"] = _("Choose a trust from the list")
        else:
            try:
                school = operations.save_school(
                    school,
                    name=field_text(request.form, "name"),
                    urn=field_text(request.form, "urn"),
                    phase=field_text(request.form, "phase"),
                    pupils=pupils,
                    society_id=society_id,
                    by=by(),
                )
            except operations.SchoolsError as exc:
                status = refused(exc, errors)
            else:
                db.session.commit()
                flash(_("%(name)s has been saved.", name=school.name), "success")
                return redirect(url_for(".school", school_id=school.id), code=303)
        values = request.form
    elif school is not None:
        values = {
            "name": school.name,
            "urn": school.urn,
            "phase": school.phase.value,
            "pupils": str(school.pupils),
            "society_id": str(school.society_id or ""),
        }
    else:
        values = {}
    return render("schools/school_form.html", errors, status, school=school, values=values, trusts=queries.trusts())


def new_school():
    return _school_form(None)


def edit_school(school_id: int):
    return _school_form(access.school_or_404(school_id))


def _school_page(school: School, errors: dict, status: int = 200):
    reviews = queries.values_reviews([school.id])
    trend = queries.values_trend([school.id])
    entry = queries.pipeline_entry(school.id)
    return render(
        "schools/school.html",
        errors,
        status,
        school=school,
        trust=governance_queries.society(school.society_id) if school.society_id else None,
        judgements=queries.judgements(school.id),
        entry=entry,
        reviews=reviews,
        trend=trend,
        chart=charts.trend_chart("school-values", _("Co-operative values at %(school)s", school=school.name),
                                 charts.value_series(trend)) if trend else None,
        is_officer=access.is_officer(),
        can_review=access.can_review(school),
        values=request.form,
    )  # fmt: skip


def school(school_id: int):
    found = access.school_or_404(school_id)
    access.signed_in()
    if not access.can_review(found):
        abort(403)
    return _school_page(found, {})


def ofsted(school_id: int):
    found = access.school_or_404(school_id)
    access.require_officer()
    errors: dict = {}
    inspected_on, problem = read_named_date(request.form, "inspected_on", _("the date of the inspection"))
    if problem:
        return _school_page(found, {"inspected_on": problem})
    try:
        operations.record_judgement(
            found, inspected_on=inspected_on, judgement=field_text(request.form, "judgement"), by=by()
        )
    except operations.SchoolsError as exc:
        return _school_page(found, errors, refused(exc, errors))
    db.session.commit()
    flash(_("The Ofsted judgement has been recorded."), "success")
    return redirect(url_for(".school", school_id=found.id), code=303)


def values_review(school_id: int):
    found = access.school_or_404(school_id)
    access.signed_in()
    if not access.can_review(found):
        abort(403)
    errors: dict = {}
    status = 200
    if request.method == "POST":
        year = whole(request.form, "year")
        ratings = {value: whole(request.form, value) for value in VALUES}
        if year is None:
            errors["year"] = _("Enter a year between 2000 and 2200, like 2026")
        for value, rating in ratings.items():
            if rating is None:
                errors[value] = _("Rate %(value)s from 1 to 5", value=labels.VALUE[value])
        if not errors:
            try:
                operations.save_values_review(
                    found, year=year, ratings=ratings, evidence=field_text(request.form, "evidence"), by=by()
                )
            except operations.SchoolsError as exc:
                status = refused(exc, errors)
            else:
                db.session.commit()
                flash(_("The self-review for %(year)s has been saved.", year=year), "success")
                return redirect(url_for(".school", school_id=found.id), code=303)
        values = request.form
    else:
        values = {"year": str(timing.today().year)}
    return render("schools/values_form.html", errors, status, school=found, values=values)


# --- the pipeline, for one school -----------------------------------------------------------------


def _pipeline_page(school: School, errors: dict, status: int = 200):
    entry = queries.pipeline_entry(school.id)
    items = queries.checklist(entry.id) if entry else []
    return render(
        "schools/school_pipeline.html",
        errors,
        status,
        school=school,
        entry=entry,
        items=items,
        people=governance_queries.people([i.done_by_user_id for i in items if i.done_by_user_id]),
        today=timing.today(),
    )


def school_pipeline(school_id: int):
    found = access.school_or_404(school_id)
    access.require_officer()
    return _pipeline_page(found, {})


def _pipeline_change(school_id: int, change, done: str):
    found = access.school_or_404(school_id)
    access.require_officer()
    errors: dict = {}
    day, problem = read_named_date(request.form, "on", _("the date"))
    if problem:
        return _pipeline_page(found, {"on": problem})
    try:
        change(found, day)
    except operations.SchoolsError as exc:
        status = refused(exc, errors)
        if "on" not in errors and PAGE not in errors:
            errors[PAGE] = errors.pop(next(iter(errors)))
        return _pipeline_page(found, errors, status)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".school_pipeline", school_id=found.id), code=303)


def join_pipeline(school_id: int):
    return _pipeline_change(
        school_id,
        lambda school, day: operations.join_pipeline(school, started_on=day, by=by()),
        _("The school's consultation has started."),
    )


def tick_item(school_id: int, item_id: int):
    def change(school, day):
        entry = queries.pipeline_entry(school.id)
        item = queries.checklist_item(entry.id, item_id) if entry else None
        if item is None:
            abort(404)
        operations.tick_item(item, done_on=day, by=by())

    return _pipeline_change(school_id, change, _("The checklist item is done."))


def advance(school_id: int):
    def change(school, day):
        entry = queries.pipeline_entry(school.id)
        if entry is None:
            abort(404)
        operations.advance(entry, on=day, by=by())

    return _pipeline_change(school_id, change, _("The school has moved to the next stage."))
