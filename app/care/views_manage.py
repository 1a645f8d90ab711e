"""Council officers' care pages: enterprises, their services, teams, staff, people supported, named people,
and the survey results.

Every page is for council officers with the care module (and council and
platform administrators). Officers set up the records of people supported,
but reading their plans is for the people named in ``app.care.access``.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.care import access, charts, operations, queries, survey
from app.care.models import CareTeam
from app.care.views_public import enterprise_or_404
from app.extensions import db
from app.governance import queries as governance_queries
from app.housing.forms import field_text, optional_id, summary
from app.i18n import gettext as _


def _by():
    return current_user._get_current_object()


def _user_by_email(form, name: str):
    email = field_text(form, name)
    return governance_queries.person_in_council(email) if email else None


def manage():
    access.require_officer()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            enterprise = operations.create_enterprise(
                name=field_text(request.form, "name"), model=field_text(request.form, "model"), by=_by()
            )
        except operations.GovernanceError as exc:
            db.session.rollback()
            errors[exc.field or "name"] = exc.message
            status = exc.status
        else:
            db.session.commit()
            flash(_("The care enterprise is set up with classes for staff, people supported and carers."), "success")
            return redirect(url_for(".manage_enterprise", enterprise_id=enterprise.id))
    return (
        render_template(
            "care/manage.html",
            enterprises=queries.enterprises(),
            values=request.form,
            errors=errors,
            form_errors=summary(errors, ("name", "model")),
        ),
        status,
    )


def _enterprise_page(enterprise_id: int, *, errors=None, status: int = 200):
    row = enterprise_or_404(enterprise_id)
    named = queries.named_people(row.enterprise.id)
    teams = queries.teams(row.enterprise.id)
    members = {t.id: queries.team_members(t.id) for t in teams}
    user_ids = [n.user_id for n in named] + [m.user_id for ms in members.values() for m in ms]
    errors = errors or {}
    return (
        render_template(
            "care/manage_enterprise.html",
            row=row,
            services=queries.services(row.enterprise.id),
            teams=teams,
            members=members,
            people=queries.people(row.enterprise.id),
            named=named,
            names={i: u.name for i, u in governance_queries.people(user_ids).items()},
            values=request.form,
            errors=errors,
            form_errors=summary(errors),
        ),
        status,
    )


def manage_enterprise(enterprise_id: int):
    enterprise_or_404(enterprise_id)
    access.require_officer()
    return _enterprise_page(enterprise_id)


def _post(enterprise_id: int, change, done: str):
    """Run one change from the enterprise page: commit and go back to it, or show the page with the error."""
    row = enterprise_or_404(enterprise_id)
    access.require_officer()
    try:
        change(row)
    except operations.GovernanceError as exc:
        db.session.rollback()
        return _enterprise_page(enterprise_id, errors={exc.field or "name": exc.message}, status=exc.status)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".manage_enterprise", enterprise_id=enterprise_id))


def _fields_renamed(change, renames: dict[str, str]):
    """``change``, with its errors moved to this form's field names (several forms share one page)."""

    def renamed(row):
        try:
            change(row)
        except operations.GovernanceError as exc:
            exc.field = renames.get(exc.field or "", exc.field)
            raise

    return renamed


def _team_of(row, form) -> CareTeam:
    team_id = optional_id(form, "team_id")
    found = next((t for t in queries.teams(row.enterprise.id) if t.id == team_id), None)
    if found is None:
        raise operations.CareError(_("Choose a team from the list"), "team_id")
    return found


def add_service(enterprise_id: int):
    return _post(
        enterprise_id,
        lambda row: operations.add_service(
            row.enterprise, name=field_text(request.form, "name"), kind=field_text(request.form, "kind"), by=_by()
        ),
        _("The service is added."),
    )


def add_team(enterprise_id: int):
    def change(row):
        service_id = optional_id(request.form, "service_id")
        service = next((s for s in queries.services(row.enterprise.id) if s.id == service_id), None)
        if service is None:
            raise operations.CareError(_("Choose a service from the list"), "service_id")
        operations.add_team(service, name=field_text(request.form, "team_name"), by=_by())

    return _post(enterprise_id, change, _("The team is added."))


def add_staff(enterprise_id: int):
    return _post(
        enterprise_id,
        lambda row: operations.add_team_member(
            _team_of(row, request.form), _user_by_email(request.form, "email"), by=_by()
        ),
        _("The member of staff is added to the team."),
    )


def add_person(enterprise_id: int):
    def change(row):
        team = _team_of(row, request.form)
        user = carer = None
        if field_text(request.form, "person_email"):
            user = _user_by_email(request.form, "person_email")
            if user is None:
                raise operations.CareError(
                    _("Enter the email address of someone with an account in this council"), "person_email"
                )
        if field_text(request.form, "carer_email"):
            carer = _user_by_email(request.form, "carer_email")
            if carer is None:
                raise operations.CareError(
                    _("Enter the email address of someone with an account in this council"), "carer_email"
                )
        operations.add_person(team, name=field_text(request.form, "person_name"), user=user, carer=carer, by=_by())

    return _post(
        enterprise_id,
        _fields_renamed(change, {"name": "person_name", "team_id": "person_team_id"}),
        _("The person's record is added. Their team can now write their plan."),
    )


def name_person(enterprise_id: int):
    return _post(
        enterprise_id,
        _fields_renamed(
            lambda row: operations.name_person(
                row.enterprise, _user_by_email(request.form, "named_email"), field_text(request.form, "role"), by=_by()
            ),
            {"email": "named_email"},
        ),
        _("The person is named."),
    )


def results(enterprise_id: int):
    row = enterprise_or_404(enterprise_id)
    access.require_officer()
    services = queries.services(row.enterprise.id)
    table = []
    for service in services:
        answers = queries.responses([service.id])
        table.append((service, survey.satisfaction(answers), survey.control(answers)))
    everyone = queries.responses([s.id for s in services]) if services else []
    return render_template(
        "care/results.html",
        row=row,
        table=table,
        overall=(survey.satisfaction(everyone), survey.control(everyone)),
        chart=charts.satisfaction_by_service([(s.name, sat) for s, sat, _c in table]) if table else None,
        percent_text=survey.percent_text,
    )
