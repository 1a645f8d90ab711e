"""Platform administration pages: load → check → call an operation → render or redirect."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.admin.forms import error_list
from app.admin.operations import InvitationError
from app.extensions import db
from app.i18n import gettext as _
from app.platform import operations, queries
from app.platform.forms import CouncilForm
from tenants.models import CouncilType, Region

FIELD_ORDER = ("name", "slug", "council_type", "region", "population", "first_admin_email")


def _fail(form: CouncilForm, field_name: str, message: str) -> None:
    field = form._fields.get(field_name) or form.name
    field.errors = [*field.errors, message]


def councils():
    return render_template("platform/councils.html", councils=queries.councils())


def new_council():
    form = CouncilForm()
    if form.validate_on_submit():
        try:
            council, invitation = operations.create_council_and_invite(
                slug=form.slug.data,
                name=form.name.data,
                council_type=form.council_type.data,
                region=form.region.data,
                population=form.population_number(),
                first_admin_email=form.first_admin_email.data or None,
                invited_by=current_user._get_current_object(),
            )
        except operations.CouncilInputError as exc:
            _fail(form, exc.field or "name", str(exc.message))
        except InvitationError as exc:
            _fail(form, "first_admin_email", str(exc.message))
        else:
            # Read before committing: afterwards the invitation could only be reloaded in its council's context.
            if invitation is None:
                message = _("%(name)s created at %(path)s.", name=council.name, path=f"/c/{council.slug}/")
            else:
                message = _(
                    "%(name)s created at %(path)s. Invitation sent to %(email)s.",
                    name=council.name,
                    path=f"/c/{council.slug}/",
                    email=invitation.email,
                )
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".councils"))
    return render_template(
        "platform/council_form.html",
        form=form,
        council_types=list(CouncilType),
        regions=list(Region),
        form_errors=error_list(form, *FIELD_ORDER),
    )
