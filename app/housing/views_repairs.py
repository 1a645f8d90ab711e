"""Running repairs: the queue (overdue first), a co-op's housing page, targets, contractors and repair actions.

Targets, contractors and the queue exist for each housing co-op (its
committee and council officers) and for the council's own homes (officers):
the same views serve both, with ``society`` None for the council.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.governance.models import Society
from app.housing import access, operations, queries
from app.housing.forms import field_text, optional_id, summary, whole
from app.housing.models import HousingRepair, RepairCategory, RepairStatus, TargetUnit, Urgency
from app.housing.views_tenant import repair_page
from app.i18n import gettext as _
from app.web.loading import get_or_404

TARGET_FIELDS = ("category", "urgency", "amount", "unit", "make_safe_days")
CONTRACTOR_FIELDS = ("name", "trades", "email", "phone")


def _by() -> object:
    return current_user._get_current_object()


def queue():
    access.require_officer()
    return render_template(
        "housing/queue.html", rows=queries.repair_queue(), society=None, show_closed=False, RepairStatus=RepairStatus
    )


def coop(society_id: int):
    society = access.require_coop_manager(society_id)
    return render_template(
        "housing/coop.html",
        society=society,
        estates=queries.estates(society.id),
        rows=queries.repair_queue(society.id, all_estates=False),
        within=queries.repairs_within_target(society_id=society.id),
        median_days=queries.median_days_to_complete(society_id=society.id),
        RepairStatus=RepairStatus,
    )


def _targets(society: Society | None):
    errors: dict[str, str] = {}
    status = 200
    scope = society.id if society else None
    if request.method == "POST":
        try:
            category = RepairCategory(request.form.get("category", ""))
        except ValueError:
            errors["category"] = _("Choose what the repair is about")
        try:
            urgency = Urgency(request.form.get("urgency", ""))
        except ValueError:
            errors["urgency"] = _("Choose how urgent the repair is")
        if not errors:
            try:
                operations.set_target(
                    scope,
                    category,
                    urgency,
                    amount=whole(request.form, "amount"),
                    unit=field_text(request.form, "unit"),
                    make_safe_days=whole(request.form, "make_safe_days"),
                    by=_by(),
                )
            except operations.HousingError as exc:
                db.session.rollback()
                errors[exc.field or "amount"] = exc.message
            else:
                db.session.commit()
                flash(_("The target has been saved."), "success")
                return redirect(request.path)
        status = 422
    return (
        render_template(
            "housing/targets.html",
            society=society,
            rows=queries.target_table(scope),
            categories=list(RepairCategory),
            urgencies=list(Urgency),
            units=list(TargetUnit),
            values=request.form,
            errors=errors,
            form_errors=summary(errors, TARGET_FIELDS),
        ),
        status,
    )


def council_targets():
    access.require_officer()
    return _targets(None)


def coop_targets(society_id: int):
    return _targets(access.require_coop_manager(society_id))


def _contractors(society: Society | None):
    errors: dict[str, str] = {}
    status = 200
    scope = society.id if society else None
    if request.method == "POST":
        try:
            saved = operations.save_contractor(
                None,
                society_id=scope,
                name=request.form.get("name", ""),
                trades=request.form.get("trades", ""),
                email=request.form.get("email", ""),
                phone=request.form.get("phone", ""),
                by=_by(),
            )
        except operations.HousingError as exc:
            db.session.rollback()
            errors[exc.field or "name"] = exc.message
            status = exc.status
        else:
            db.session.commit()
            flash(_("%(name)s has been added.", name=saved.name), "success")
            return redirect(request.path)
    return (
        render_template(
            "housing/contractors.html",
            society=society,
            contractors=queries.contractors(scope),
            values=request.form,
            errors=errors,
            form_errors=summary(errors, CONTRACTOR_FIELDS),
        ),
        status,
    )


def council_contractors():
    access.require_officer()
    return _contractors(None)


def coop_contractors(society_id: int):
    return _contractors(access.require_coop_manager(society_id))


def _managed_repair(repair_id: int) -> HousingRepair:
    repair = get_or_404(HousingRepair, repair_id)
    access.signed_in()
    estate = queries.estate_of(queries.home_by_id(repair.home_id))
    if not access.manages_estate(estate):
        abort(403)
    return repair


def _act(repair_id: int, action, done: str):
    repair = _managed_repair(repair_id)
    try:
        action(repair)
    except operations.HousingError as exc:
        db.session.rollback()
        return repair_page(repair_id, errors={exc.field or "action": exc.message}, status=exc.status)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".repair", repair_id=repair.id))


def assign(repair_id: int):
    contractor_id = optional_id(request.form, "contractor_id")
    return _act(
        repair_id,
        lambda r: operations.assign_repair(r, contractor_id, by=_by()),
        _("The repair has been given to the contractor."),
    )


def start(repair_id: int):
    return _act(repair_id, lambda r: operations.start_repair(r, by=_by()), _("Work on the repair has started."))


def complete(repair_id: int):
    note = request.form.get("note", "")
    return _act(
        repair_id,
        lambda r: operations.complete_repair(r, note=note, by=_by()),
        _("The repair is completed. The tenant will be asked how satisfied they are."),
    )


def cancel(repair_id: int):
    reason = request.form.get("reason", "")
    return _act(
        repair_id,
        lambda r: operations.cancel_repair(r, reason=reason, by=_by()),
        _("The repair has been cancelled."),
    )
