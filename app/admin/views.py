"""Council administration pages: load → check → call an operation → render or redirect.

Every view is for the council's administrators (and platform administrators).
``blueprint.py`` checks the role before views without an id; views naming an
object load it first (404 if it is not this council's) and then call
``require_council_admin`` (403).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from app.admin import operations, queries
from app.admin.forms import (
    ConfirmForm,
    InviteForm,
    ModulesForm,
    NeighbourhoodForm,
    StaffRoleForm,
    error_list,
)
from app.admin.neighbourhood_csv import MAX_ROWS, TEMPLATE, parse_neighbourhoods
from app.auth.models import Role
from app.auth.roles import current_council_role
from app.extensions import db
from app.i18n import gettext as _
from app.i18n import ngettext
from app.web.forms import CsvUploadForm
from app.web.loading import get_or_404
from tenants.features import MODULES, enabled_modules
from tenants.models import Neighbourhood

# How many file problems the error summary lists before pointing at the full table.
SUMMARY_PROBLEM_LIMIT = 10


def require_council_admin() -> None:
    """403 unless the signed-in person administers this council or the platform.

    The same rule as ``role_required(Role.COUNCIL_ADMIN)``, for views that
    must load their object before checking (so a foreign id is a 404 for everyone).
    """
    role = current_council_role()
    if not current_user.is_platform_admin and (role is None or role.role is not Role.COUNCIL_ADMIN):
        abort(403)


def _fail(form, error: operations.AdminError) -> None:
    field = form._fields.get(error.field or "")
    if field is None:
        flash(str(error.message), "error")
    else:
        field.errors = [*field.errors, error.message]


def index():
    return render_template("admin/index.html", summary=queries.admin_summary(), modules_on=enabled_modules())


# --- modules --------------------------------------------------------------------------------------


def modules():
    form = ModulesForm()
    if form.validate_on_submit():
        try:
            changes = operations.save_module_switches(form.modules.data or [])
        except operations.ModuleNotInPlanError as exc:
            _fail(form, exc)
            return _modules_page(form)
        db.session.commit()
        if changes:
            sentences = [
                _("%(module)s switched on.", module=MODULES[c.key].title)
                if c.enabled
                else _("%(module)s switched off.", module=MODULES[c.key].title)
                for c in changes
            ]
            flash(" ".join(sentences), "success")
        else:
            flash(_("No modules changed."), "success")
        return redirect(url_for(".modules"))
    if not form.is_submitted():
        form.modules.data = sorted(enabled_modules())
    return _modules_page(form)


def _modules_page(form: ModulesForm):
    from app.billing.queries import summary

    billing = summary()
    return render_template(
        "admin/modules.html",
        form=form,
        modules=MODULES,
        billing=billing,
        read_only=billing.read_only_modules(enabled_modules()),
        form_errors=error_list(form, "modules"),
    )


# --- neighbourhoods -------------------------------------------------------------------------------


def neighbourhoods():
    return render_template("admin/neighbourhoods.html", neighbourhoods=queries.neighbourhoods())


def add_neighbourhood():
    form = NeighbourhoodForm()
    if form.validate_on_submit():
        try:
            added = operations.add_neighbourhood(form.name.data, form.ons_ward_code.data)
        except operations.DuplicateNeighbourhoodError as exc:
            _fail(form, exc)
        else:
            db.session.commit()
            flash(_("%(name)s added.", name=added.name), "success")
            return redirect(url_for(".neighbourhoods"))
    return render_template(
        "admin/neighbourhood_form.html",
        form=form,
        neighbourhood=None,
        form_errors=error_list(form, "name", "ons_ward_code"),
    )


def edit_neighbourhood(neighbourhood_id: int):
    neighbourhood = get_or_404(Neighbourhood, neighbourhood_id)
    require_council_admin()
    form = NeighbourhoodForm(obj=neighbourhood)
    if form.validate_on_submit():
        try:
            operations.update_neighbourhood(neighbourhood, form.name.data, form.ons_ward_code.data)
        except operations.DuplicateNeighbourhoodError as exc:
            _fail(form, exc)
        else:
            db.session.commit()
            flash(_("%(name)s saved.", name=neighbourhood.name), "success")
            return redirect(url_for(".neighbourhoods"))
    return render_template(
        "admin/neighbourhood_form.html",
        form=form,
        neighbourhood=neighbourhood,
        form_errors=error_list(form, "name", "ons_ward_code"),
    )


def delete_neighbourhood(neighbourhood_id: int):
    neighbourhood = get_or_404(Neighbourhood, neighbourhood_id)
    require_council_admin()
    form = ConfirmForm()
    if form.validate_on_submit():
        name = neighbourhood.name
        try:
            operations.delete_neighbourhood(neighbourhood)
        except operations.NeighbourhoodInUseError as exc:
            page = render_template(
                "admin/neighbourhood_delete.html", form=form, neighbourhood=neighbourhood, in_use=exc.message
            )
            return page, 409
        db.session.commit()
        flash(_("%(name)s deleted.", name=name), "success")
        return redirect(url_for(".neighbourhoods"))
    return render_template("admin/neighbourhood_delete.html", form=form, neighbourhood=neighbourhood)


def import_neighbourhoods():
    form = CsvUploadForm()
    problems = []
    if form.validate_on_submit():
        names, codes = queries.existing_names_and_codes()
        parsed = parse_neighbourhoods(form.csv_file.data.read(), existing_names=names, existing_codes=codes)
        problems = parsed.problems
        if parsed.ok:
            try:
                count = operations.import_neighbourhoods(parsed.rows)
            except operations.DuplicateNeighbourhoodError as exc:
                _fail(form, exc)
            else:
                db.session.commit()
                flash(
                    ngettext(
                        "%(count)s neighbourhood imported.",
                        "%(count)s neighbourhoods imported.",
                        count,
                        count=f"{count:,}",
                    ),
                    "success",
                )
                return redirect(url_for(".neighbourhoods"))
        else:
            count = len(problems)
            form.csv_file.errors = [
                ngettext(
                    "The file has %(num)d problem. "
                    "Nothing has been imported. Fix the lines listed and upload the file again",
                    "The file has %(num)d problems. "
                    "Nothing has been imported. Fix the lines listed and upload the file again",
                    count,
                )
            ]
    summary = error_list(form, "csv_file")
    if problems:
        # The summary names each bad line, up to a limit; the table below lists them all.
        summary = [
            {"text": _describe(problem), "href": f"#problem-{index}"}
            for index, problem in enumerate(problems[:SUMMARY_PROBLEM_LIMIT], start=1)
        ]
    html = render_template(
        "admin/neighbourhood_import.html",
        form=form,
        problems=problems,
        max_rows=MAX_ROWS,
        summary_limit=SUMMARY_PROBLEM_LIMIT,
        form_errors=summary,
    )
    return html, 400 if summary else 200


def _describe(problem) -> str:
    if problem.line:
        return _("Line %(line)s: %(problem)s", line=problem.line, problem=problem.message)
    return problem.message


def neighbourhood_template():
    return Response(
        TEMPLATE,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="neighbourhoods.csv"'},
    )


# --- officers and invitations ---------------------------------------------------------------------


def officers():
    return render_template(
        "admin/officers.html",
        staff=queries.staff(),
        invitations=queries.pending_invitations(),
        modules=MODULES,
        now=datetime.now(UTC),
    )


def invite_officer():
    form = InviteForm()
    if not form.is_submitted():
        form.role.data = Role.OFFICER.value
    if form.validate_on_submit():
        try:
            invitation = operations.invite(
                g.council,
                form.email.data,
                form.role_value(),
                form.modules.data or [],
                invited_by=current_user._get_current_object(),
            )
        except operations.InvitationError as exc:
            _fail(form, exc)
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for(".officers"))
    return render_template(
        "admin/invite.html", form=form, modules=MODULES, form_errors=error_list(form, "email", "role", "modules")
    )


def revoke_invitation(invitation_id: int):
    invitation = queries.pending_invitation_or_404(invitation_id)
    require_council_admin()
    form = ConfirmForm()
    if form.validate_on_submit():
        email = invitation.email
        operations.revoke_invitation(invitation)
        db.session.commit()
        flash(_("Invitation to %(email)s revoked.", email=email), "success")
        return redirect(url_for(".officers"))
    return render_template("admin/invitation_revoke.html", form=form, invitation=invitation)


def edit_officer(role_id: int):
    council_role, person = queries.staff_role_or_404(role_id)
    require_council_admin()
    form = StaffRoleForm()
    if not form.is_submitted():
        form.role.data = council_role.role.value
        form.modules.data = list(council_role.modules)
    if form.validate_on_submit():
        try:
            operations.change_staff_role(council_role, form.role_value(), form.modules.data or [])
        except operations.AdminError as exc:
            _fail(form, exc)
        else:
            db.session.commit()
            flash(_("%(name)s's role saved.", name=person.name), "success")
            return redirect(url_for(".officers"))
    return render_template(
        "admin/officer_form.html",
        form=form,
        person=person,
        council_role=council_role,
        modules=MODULES,
        form_errors=error_list(form, "role", "modules"),
    )


def remove_officer(role_id: int):
    council_role, person = queries.staff_role_or_404(role_id)
    require_council_admin()
    form = ConfirmForm()
    refusal = None
    if form.validate_on_submit():
        try:
            operations.remove_staff_role(council_role)
        except operations.LastAdministratorError as exc:
            refusal = exc.message
        else:
            db.session.commit()
            flash(
                _("%(name)s no longer has a role in %(council)s.", name=person.name, council=g.council.name), "success"
            )
            if person.id == current_user.id and not current_user.is_platform_admin:
                return redirect(url_for("council.council_home.home"))
            return redirect(url_for(".officers"))
    return render_template(
        "admin/officer_remove.html",
        form=form,
        person=person,
        council_role=council_role,
        refusal=refusal,
        form_errors=[{"text": refusal, "href": "#confirm"}] if refusal else [],
    )
