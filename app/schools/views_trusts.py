"""Trust pages: the list anyone sees, a trust with its schools and partners, creating a trust, trustees."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from app.extensions import db
from app.governance import access as governance_access
from app.governance import queries as governance_queries
from app.housing.forms import field_text, optional_id
from app.i18n import gettext as _
from app.schools import access, charts, operations, queries
from app.schools.pages import PAGE, by, refused, render
from app.web.dates import read_named_date


def index():
    rows = [(t, queries.trust_detail(t.id), len(queries.schools(t.id))) for t in queries.trusts()]
    return render("schools/index.html", {}, rows=rows, is_officer=access.is_officer())


def new_trust():
    access.require_officer()
    errors: dict = {}
    status = 200
    if request.method == "POST":
        try:
            society = operations.create_trust(
                name=field_text(request.form, "name"),
                legal_model=field_text(request.form, "legal_model"),
                description=field_text(request.form, "description"),
                by=by(),
            )
        except operations.SchoolsError as exc:
            status = refused(exc, errors)
        else:
            db.session.commit()
            flash(_("%(name)s has been created with its five constituencies.", name=society.name), "success")
            return redirect(url_for(".trust", society_id=society.id), code=303)
    return render("schools/trust_form.html", errors, status, values=request.form)


def trust(society_id: int):
    society = access.trust_or_404(society_id)
    schools = queries.schools(society.id)
    trend = queries.values_trend([s.id for s in schools])
    return render(
        "schools/trust.html",
        {},
        society=society,
        detail=queries.trust_detail(society.id),
        schools=schools,
        partners=queries.partners(society.id),
        classes=governance_queries.member_classes(society.id),
        trustees=queries.trustees(society.id),
        trend=trend,
        chart=charts.trend_chart(
            "trust-values", _("Co-operative values across the trust's schools"), charts.value_series(trend)
        )
        if trend
        else None,
        can_manage=governance_access.can_manage(society),
    )


def partners(society_id: int):
    society = access.require_trust_manager(society_id)
    errors: dict = {}
    status = 200
    if request.method == "POST":
        try:
            if "legal_model" in request.form:
                operations.set_legal_model(society, field_text(request.form, "legal_model"), by=by())
                message = _("The trust's legal model has been saved.")
            else:
                partner = operations.add_partner(
                    society, name=field_text(request.form, "name"), kind=field_text(request.form, "kind"), by=by()
                )
                message = _("%(name)s has been added as a partner.", name=partner.name)
        except operations.SchoolsError as exc:
            status = refused(exc, errors)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".partners", society_id=society.id), code=303)
    return render(
        "schools/partners.html",
        errors,
        status,
        society=society,
        detail=queries.trust_detail(society.id),
        partners=queries.partners(society.id),
        values=request.form,
    )


def trustees(society_id: int):
    society = access.require_trust_manager(society_id)
    errors: dict = {}
    status = 200
    if request.method == "POST":
        from_on, problem = read_named_date(request.form, "from_on", _("the date the term starts"))
        resolution_id = optional_id(request.form, "resolution_id")
        member_id = optional_id(request.form, "member_id")
        if problem:
            errors["from_on"] = problem
        elif field_text(request.form, "member_id") and member_id is None:
            errors["member_id"] = _("Choose a member from the list")
        else:
            try:
                operations.appoint_trustee(
                    society,
                    resolution=queries.resolution(resolution_id) if resolution_id else None,
                    name=field_text(request.form, "name"),
                    member=governance_queries.member(society.id, member_id) if member_id else None,
                    from_on=from_on,
                    by=by(),
                )
            except operations.SchoolsError as exc:
                status = refused(exc, errors)
            else:
                db.session.commit()
                flash(_("The trustee's appointment has been recorded."), "success")
                return redirect(url_for(".trustees", society_id=society.id), code=303)
    return render(
        "schools/trustees.html",
        errors,
        status,
        society=society,
        trustees=queries.trustees(society.id),
        resolutions=queries.forum_resolutions(society.id),
        members=governance_queries.register(society.id, include_past=False),
        values=request.form,
    )


def end_trustee(society_id: int, trustee_id: int):
    society = access.require_trust_manager(society_id)
    row = queries.trustee(society.id, trustee_id)
    if row is None:
        abort(404)
    to_on, problem = read_named_date(request.form, "to_on", _("the date the term ended"))
    errors: dict = {}
    status = 200
    if problem:
        errors[PAGE] = problem
    else:
        try:
            operations.end_trustee(row, to_on=to_on, by=by())
        except operations.SchoolsError as exc:
            # Each serving trustee has its own end-date boxes: the message goes at the top of the page.
            status = refused(exc, errors)
            errors = {PAGE: next(iter(errors.values()))}
        else:
            db.session.commit()
            flash(_("The end of %(name)s's term has been recorded.", name=row.name), "success")
            return redirect(url_for(".trustees", society_id=society.id), code=303)
    return render(
        "schools/trustees.html",
        errors,
        status,
        society=society,
        trustees=queries.trustees(society.id),
        resolutions=queries.forum_resolutions(society.id),
        members=governance_queries.register(society.id, include_past=False),
        values={},
    )
