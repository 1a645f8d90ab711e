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
from app.care.submitting import Outcome, submit
from app.care.views_public import enterprise_or_404
from app.governance import queries as governance_queries
from app.housing.forms import field_text, optional_id, summary
from app.i18n import gettext as _


def _by():
    return current_user._get_current_object()


def _user_by_email(form, name: str):
    email = field_text(form, name)
    return governance_queries.person_in_council(email) if email else None


def _optional_account(form, name: str, checks: operations.Checks):
    """The account an optional email field names; a typed address with no account here is noted on the field."""
    if not field_text(form, name):
        return None
    user = _user_by_email(form, name)
    if user is None:
        checks.add(name, _("Enter the email address of someone with an account in this council"))
    return user


def manage():
    access.require_officer()
    outcome = Outcome()
    if request.method == "POST":
        outcome = submit(
            lambda: operations.create_enterprise(
                name=field_text(request.form, "name"), model=field_text(request.form, "model"), by=_by()
            ),
            "name",
        )
        if not outcome.refused:
            flash(_("The care enterprise is set up with classes for staff, people supported and carers."), "success")
            return redirect(url_for(".manage_enterprise", enterprise_id=outcome.result.id))
    return (
        render_template(
            "care/manage.html",
            enterprises=queries.enterprises(),
            values=request.form,
            errors=outcome.errors,
            form_errors=summary(outcome.errors, ("name", "model")),
        ),
        outcome.status,
    )


# The forms of the enterprise page, each with its fields in page order (the error summary follows it). Some
# share a field name (both the staff and the person forms post ``team_id``), so only the form that was sent
# shows its values again.
ENTERPRISE_FORMS = {
    "service": ("name", "kind"),
    "team": ("service_id", "team_name"),
    "staff": ("team_id", "email"),
    "person": ("person_name", "person_team_id", "person_email", "carer_email"),
    "named": ("named_email", "role"),
}


def _enterprise_page(enterprise_id: int, *, errors=None, status: int = 200, sent: str | None = None):
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
            values={form: (request.form if form == sent else {}) for form in ENTERPRISE_FORMS},
            errors=errors,
            form_errors=summary(errors, ENTERPRISE_FORMS.get(sent or "", ())),
        ),
        status,
    )


def manage_enterprise(enterprise_id: int):
    enterprise_or_404(enterprise_id)
    access.require_officer()
    return _enterprise_page(enterprise_id)


def _post(enterprise_id: int, sent: str, change, done: str, renames: dict[str, str] | None = None):
    """Run one form of the enterprise page: commit and go back to it, or show the page with every error.

    ``change(row, checks)`` reads the form, noting what it finds wrong in
    ``checks`` for the operation to refuse with its own. ``renames`` moves an
    operation's field names to the form's (several forms share one page).
    """
    row = enterprise_or_404(enterprise_id)
    access.require_officer()
    outcome = submit(lambda: change(row, operations.Checks()), "name")
    if outcome.refused:
        errors = {(renames or {}).get(f, f): m for f, m in outcome.errors.items()}
        return _enterprise_page(enterprise_id, errors=errors, status=outcome.status, sent=sent)
    flash(done, "success")
    return redirect(url_for(".manage_enterprise", enterprise_id=enterprise_id))


def _chosen(rows, form, name: str):
    """The row whose id the select ``name`` chose, among ``rows``; None for none of them."""
    chosen = optional_id(form, name)
    return next((r for r in rows if r.id == chosen), None)


def add_service(enterprise_id: int):
    return _post(
        enterprise_id,
        "service",
        lambda row, checks: operations.add_service(
            row.enterprise,
            name=field_text(request.form, "name"),
            kind=field_text(request.form, "kind"),
            by=_by(),
            checks=checks,
        ),
        _("The service is added."),
    )


def add_team(enterprise_id: int):
    return _post(
        enterprise_id,
        "team",
        lambda row, checks: operations.add_team(
            _chosen(queries.services(row.enterprise.id), request.form, "service_id"),
            name=field_text(request.form, "team_name"),
            by=_by(),
            checks=checks,
        ),
        _("The team is added."),
    )


def add_staff(enterprise_id: int):
    return _post(
        enterprise_id,
        "staff",
        lambda row, checks: operations.add_team_member(
            _chosen(queries.teams(row.enterprise.id), request.form, "team_id"),
            _user_by_email(request.form, "email"),
            by=_by(),
            checks=checks,
        ),
        _("The member of staff is added to the team."),
    )


def add_person(enterprise_id: int):
    def change(row, checks):
        team = _chosen(queries.teams(row.enterprise.id), request.form, "team_id")
        user = _optional_account(request.form, "person_email", checks)
        carer = _optional_account(request.form, "carer_email", checks)
        operations.add_person(
            team, name=field_text(request.form, "person_name"), user=user, carer=carer, by=_by(), checks=checks
        )

    return _post(
        enterprise_id,
        "person",
        change,
        _("The person's record is added. Their team can now write their plan."),
        {"name": "person_name", "team_id": "person_team_id"},
    )


def name_person(enterprise_id: int):
    return _post(
        enterprise_id,
        "named",
        lambda row, checks: operations.name_person(
            row.enterprise,
            _user_by_email(request.form, "named_email"),
            field_text(request.form, "role"),
            by=_by(),
            checks=checks,
        ),
        _("The person is named."),
        {"email": "named_email"},
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
