"""Council-wide pages for officers: the pipeline against the target, and school-to-school support."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from app.extensions import db
from app.housing.forms import field_text, optional_id, whole
from app.i18n import gettext as _
from app.schools import access, charts, operations, queries
from app.schools.models import Stage
from app.schools.pages import by, refused, render
from app.voting import timing
from app.web.dates import read_named_date


def manage():
    access.require_officer()
    return render(
        "schools/manage.html",
        {},
        schools=queries.schools(),
        trusts={t.id: t for t in queries.trusts()},
        entries={e.school_id: e for e, _s in queries.pipeline_rows()},
    )


def pipeline():
    access.require_officer()
    counts = queries.stage_counts()
    target = queries.target()
    return render(
        "schools/pipeline.html",
        {},
        rows=queries.pipeline_rows(),
        counts=counts,
        target=target,
        live=counts[Stage.LIVE],
        chart=charts.pipeline_chart(counts, target),
        without=[s for s in queries.schools() if queries.pipeline_entry(s.id) is None],
    )


def target():
    access.require_officer()
    errors: dict = {}
    status = 200
    if request.method == "POST":
        value = whole(request.form, "target")
        if value is None:
            errors["target"] = _("Enter the target as a whole number from 0 to 10,000")
        else:
            try:
                operations.set_target(value, by=by())
            except operations.SchoolsError as exc:
                status = refused(exc, errors)
            else:
                db.session.commit()
                flash(_("The target is now %(target)s co-operative schools.", target=value), "success")
                return redirect(url_for(".pipeline"), code=303)
        values = request.form
    else:
        current = queries.target()
        values = {"target": "" if current is None else str(current)}
    return render("schools/target.html", errors, status, values=values)


def pairings():
    access.require_officer()
    return render(
        "schools/pairings.html",
        {},
        pairings=queries.pairings(),
        names=queries.school_names(),
        latest=queries.latest_reviews(),
    )


def new_pairing():
    access.require_officer()
    errors: dict = {}
    status = 200
    if request.method == "POST":
        started_on, problem = read_named_date(request.form, "started_on", _("the date the pairing started"))
        if problem:
            errors["started_on"] = problem
        else:
            supporting = optional_id(request.form, "supporting_id")
            supported = optional_id(request.form, "supported_id")
            try:
                pairing_ = operations.create_pairing(
                    supporting=queries.school(supporting) if supporting else None,
                    supported=queries.school(supported) if supported else None,
                    kind=field_text(request.form, "kind"),
                    goals=field_text(request.form, "goals"),
                    started_on=started_on,
                    by=by(),
                )
            except operations.SchoolsError as exc:
                status = refused(exc, errors)
            else:
                db.session.commit()
                flash(_("The pairing has been set up."), "success")
                return redirect(url_for(".pairing", pairing_id=pairing_.id), code=303)
    return render("schools/pairing_form.html", errors, status, schools=queries.schools(), values=request.form)


def pairing(pairing_id: int):
    found = queries.pairing(pairing_id)
    if found is None:
        abort(404)
    access.require_officer()
    errors: dict = {}
    status = 200
    if request.method == "POST":
        year = whole(request.form, "year")
        if year is None:
            errors["year"] = _("Enter a year between 2000 and 2200, like 2026")
        else:
            try:
                operations.add_review(
                    found,
                    term=field_text(request.form, "term"),
                    year=year,
                    progress=field_text(request.form, "progress"),
                    notes=field_text(request.form, "notes"),
                    by=by(),
                )
            except operations.SchoolsError as exc:
                status = refused(exc, errors)
            else:
                db.session.commit()
                flash(_("The review has been recorded."), "success")
                return redirect(url_for(".pairing", pairing_id=found.id), code=303)
        values = request.form
    else:
        values = {"year": str(timing.today().year)}
    return render(
        "schools/pairing.html",
        errors,
        status,
        pairing=found,
        names=queries.school_names(),
        reviews=queries.reviews(found.id),
        values=values,
    )
