"""Society pages: the list per module, a society's overview, its rules, classes and officers; applying; my membership.

Who: anyone may see the list and a society's overview (name, classes, how to
join); a signed-in person with an account in the council may apply online and
see their own record; council officers who manage the society's module (and
council admins) create and edit societies, their classes and officers. Pages
naming a row load it first (404 for another council's id or a switched-off
module), then check (403). The register itself: :mod:`app.governance.views_register`.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin.forms import error_list
from app.auth.roles import current_council_role
from app.extensions import db, login_manager
from app.governance import access, operations, queries
from app.governance.forms import (
    KIND_CHOICES,
    ROLE_CHOICES,
    ApplicationForm,
    ConfirmForm,
    MemberClassForm,
    OfficerForm,
    SocietyForm,
    add_error,
    id_choice,
    pounds_text,
    whole_number,
)
from app.governance.models import MODULE_FOR_KIND, MemberClass, MemberStatus, Society, SocietyKind
from app.i18n import gettext as _
from app.voting.forms import choices
from tenants.features import enabled_modules


def by() -> Any:
    """The signed-in person, for ``by_user`` arguments."""
    return current_user._get_current_object()


def sign_in_first() -> None:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def load_society(society_id: int) -> Society:
    """The society from the URL (404 when not this council's or its module is off)."""
    return access.society_or_404(society_id)


def check_manage(society: Society) -> None:
    """Sign in, else 403 unless the person runs the society's business (council managers, secretary, committee)."""
    sign_in_first()
    if not access.can_manage(society):
        abort(403)


def check_council_manager(society: Society) -> None:
    """Sign in, else 403 unless the person is a council manager of the society's module (rules, classes, officers)."""
    sign_in_first()
    if not access.is_council_manager(society):
        abort(403)


# Operation fields that a form shows under another name.
FORM_FIELDS = {"share_value_pence": "share_value"}


def fail(form, error: operations.GovernanceError) -> int:
    """Show ``error`` on its field (or flashed when it has none); roll back; the status to answer."""
    db.session.rollback()
    field = form._fields.get(FORM_FIELDS.get(error.field or "", error.field or ""))
    if field is not None:
        add_error(field, error.message)
    else:
        flash(str(error.message), "error")
    return error.status


def _manageable_kinds() -> list[SocietyKind]:
    """Kinds of society the signed-in person may create: their module is on and they manage it."""
    if not current_user.is_authenticated:
        return []
    role = current_council_role()
    on = enabled_modules()
    return [
        kind
        for kind, module in MODULE_FOR_KIND.items()
        if module in on and (current_user.is_platform_admin or (role is not None and role.can_manage(module)))
    ]


# --- societies -----------------------------------------------------------------------------------


def index():
    on = enabled_modules()
    groups = [(kind, [s for s in queries.societies(kind)]) for kind, module in MODULE_FOR_KIND.items() if module in on]
    if not groups:
        abort(404)  # no module with societies is switched on: there is nothing here
    return render_template("governance/index.html", groups=groups, can_create=bool(_manageable_kinds()))


def _society_form_context(form: SocietyForm, society: Society | None) -> dict[str, Any]:
    return {"form": form, "society": society, "form_errors": error_list(form, "name", "kind")}


def _fill_society_form(form: SocietyForm, society: Society | None) -> None:
    defaults = society or Society(
        notice_clear_days=14,
        quorum_members=0,
        quorum_percent=0,
        ordinary_threshold="simple_majority",
        special_threshold="three_quarters",
        proxy_cap=2,
        proxies_count_in_quorum=True,
        share_value_pence=100,
        shares_on_admission=1,
    )
    for field in ("notice_clear_days", "quorum_members", "quorum_percent", "shares_on_admission", "proxy_cap"):
        value = getattr(defaults, field)
        getattr(form, field).data = "" if value is None else str(value)
    form.ordinary_threshold.data = defaults.ordinary_threshold
    form.special_threshold.data = defaults.special_threshold
    form.proxies_count_in_quorum.data = "yes" if defaults.proxies_count_in_quorum else "no"
    form.share_value.data = pounds_text(defaults.share_value_pence)
    if society is not None:
        form.name.data = society.name
        form.registration_number.data = society.registration_number
        form.registered_office.data = society.registered_office
        form.description.data = society.description


def new_society():
    sign_in_first()
    kinds = _manageable_kinds()
    if not kinds:
        abort(403)
    form = SocietyForm()
    form.kind.choices = choices([(v, label) for v, label in KIND_CHOICES if SocietyKind(v) in kinds])
    status = 200
    if not form.is_submitted():
        _fill_society_form(form, None)
        if len(kinds) == 1:
            form.kind.data = kinds[0].value
    elif form.validate():
        values = form.values()
        if form.kind.data not in {k.value for k in kinds}:
            add_error(form.kind, _("Choose what kind of society this is"))
            values = None
        if values is not None:
            try:
                society = operations.create_society(name=form.name.data, kind=form.kind.data, by_user=by(), **values)
            except operations.GovernanceError as exc:
                status = fail(form, exc)
            else:
                db.session.commit()
                flash(_("%(name)s created. Now add its classes of members.", name=society.name), "success")
                return redirect(url_for(".classes", society_id=society.id))
        else:
            status = 422
    else:
        status = 400
    return render_template("governance/society_form.html", **_society_form_context(form, None)), status


def edit_society(society_id: int):
    society = load_society(society_id)
    check_council_manager(society)
    form = SocietyForm()
    status = 200
    if not form.is_submitted():
        _fill_society_form(form, society)
    elif form.validate():
        values = form.values()
        if values is not None:
            try:
                operations.update_society(society, name=form.name.data, by_user=by(), **values)
            except operations.GovernanceError as exc:
                status = fail(form, exc)
            else:
                db.session.commit()
                flash(_("The rules of %(name)s are saved.", name=society.name), "success")
                return redirect(url_for(".society", society_id=society.id))
        else:
            status = 422
    else:
        status = 400
    return render_template("governance/society_form.html", **_society_form_context(form, society)), status


def society(society_id: int):
    society = load_society(society_id)
    mine = None
    if current_user.is_authenticated:
        mine = queries.member_for_user(society.id, current_user.id)
    manager = current_user.is_authenticated and access.can_manage(society)
    counts = {}
    if manager:
        counts = {
            "members": len(queries.register(society.id, include_past=False)),
            "applications": len(queries.applications(society.id)),
        }
    # The meetings pages answer only members, the secretary and committee, and scrutineers: link them for those.
    meetings = current_user.is_authenticated and (
        manager or access.can_scrutinise(society) or (mine is not None and mine.status == MemberStatus.MEMBER)
    )
    return render_template(
        "governance/overview.html",
        society=society,
        classes=queries.member_classes(society.id),
        mine=mine,
        manager=manager,
        meetings=meetings,
        council_manager=current_user.is_authenticated and access.is_council_manager(society),
        counts=counts,
    )


# --- classes -------------------------------------------------------------------------------------


def classes(society_id: int):
    society = load_society(society_id)
    check_council_manager(society)
    return render_template(
        "governance/classes.html", society=society, classes=queries.member_classes(society.id), confirm=ConfirmForm()
    )


def _load_class(society: Society, class_id: int) -> MemberClass:
    found = queries.member_class(society.id, class_id)
    if found is None:
        abort(404)
    return found


def _class_values(form: MemberClassForm) -> dict[str, Any] | None:
    values = {
        "name": form.name.data or "",
        "description": form.description.data or "",
        "vote_cap_percent": whole_number(form.vote_cap_percent),
        "min_age": whole_number(form.min_age),
    }
    return None if any(f.errors for f in form) else values


def _class_form(society: Society, member_class: MemberClass | None):
    form = MemberClassForm(obj=member_class) if member_class and request.method == "GET" else MemberClassForm()
    if member_class is not None and request.method == "GET":
        form.vote_cap_percent.data = "" if member_class.vote_cap_percent is None else str(member_class.vote_cap_percent)
        form.min_age.data = "" if member_class.min_age is None else str(member_class.min_age)
    status = 200
    if form.is_submitted():
        values = _class_values(form) if form.validate() else None
        if values is not None:
            try:
                if member_class is None:
                    member_class = operations.add_member_class(society, by_user=by(), **values)
                else:
                    operations.update_member_class(member_class, by_user=by(), **values)
            except operations.GovernanceError as exc:
                status = fail(form, exc)
            else:
                db.session.commit()
                flash(_("The %(name)s class is saved.", name=values["name"]), "success")
                return redirect(url_for(".classes", society_id=society.id))
        else:
            status = 422 if form.csrf_token.errors == [] else 400
    return render_template(
        "governance/class_form.html",
        society=society,
        member_class=member_class,
        form=form,
        form_errors=error_list(form, "name", "description", "vote_cap_percent", "min_age"),
    ), status


def add_class(society_id: int):
    society = load_society(society_id)
    check_council_manager(society)
    return _class_form(society, None)


def edit_class(society_id: int, class_id: int):
    society = load_society(society_id)
    member_class = _load_class(society, class_id)
    check_council_manager(society)
    return _class_form(society, member_class)


def move_class(society_id: int, class_id: int):
    society = load_society(society_id)
    member_class = _load_class(society, class_id)
    check_council_manager(society)
    form = ConfirmForm()
    direction = request.form.get("direction")
    if not form.validate() or direction not in ("up", "down"):
        abort(400)
    operations.move_member_class(member_class, -1 if direction == "up" else 1, by_user=by())
    db.session.commit()
    return redirect(url_for(".classes", society_id=society.id))


# --- officers ------------------------------------------------------------------------------------


def officers(society_id: int):
    society = load_society(society_id)
    check_council_manager(society)
    form = OfficerForm()
    status = 200
    if form.is_submitted():
        status = _appoint(society, form)
        if status == 302:
            db.session.commit()
            return redirect(url_for(".officers", society_id=society.id))
    holders = queries.society_officers(society.id)
    return render_template(
        "governance/officers.html",
        society=society,
        holders=holders,
        people=queries.people(h.user_id for h in holders),
        form=form,
        confirm=ConfirmForm(),
        form_errors=error_list(form, "email", "role"),
    ), status


def _appoint(society: Society, form: OfficerForm) -> int:
    """Appoint from the form: 302 when done, else the status to answer (errors are on the form)."""
    if not form.validate():
        return 400
    email = form.email.data or ""
    person = queries.person_in_council(email) if email else None
    if not email:
        add_error(form.email, _("Enter the email address of the person"))
    elif person is None:
        add_error(form.email, _("Enter the email address of someone with an account in this council"))
    if form.role.data not in {value for value, _label in ROLE_CHOICES}:
        add_error(form.role, _("Choose a role from the list"))
    if any(f.errors for f in form):
        return 422
    try:
        operations.appoint_society_officer(society, person, form.role.data, by_user=by())
    except operations.GovernanceError as exc:
        return fail(form, exc)
    flash(_("%(name)s is appointed.", name=person.name), "success")
    return 302


def remove_officer(society_id: int, officer_id: int):
    society = load_society(society_id)
    holder = queries.society_officer(society.id, officer_id)
    if holder is None:
        abort(404)
    check_council_manager(society)
    if not ConfirmForm().validate():
        abort(400)
    operations.remove_society_officer(holder, by_user=by())
    db.session.commit()
    flash(_("The role has ended."), "success")
    return redirect(url_for(".officers", society_id=society.id))


# --- applying and my membership ------------------------------------------------------------------


def class_choices(society: Society) -> list:
    return choices([(str(c.id), c.name) for c in queries.member_classes(society.id)])


def read_application(form: ApplicationForm, society: Society) -> dict[str, Any] | None:
    """The application's values from the form, or ``None`` after adding errors to its fields."""
    chosen = None
    class_id = id_choice(form.member_class_id)
    if class_id is not None:
        chosen = queries.member_class(society.id, class_id)
    if chosen is None:
        add_error(form.member_class_id, _("Choose a class of membership"))
    born = form.date_of_birth.read()
    if chosen is not None and chosen.min_age is not None and born is None and not form.date_of_birth.errors:
        add_error(form.date_of_birth, _("Enter your date of birth"))
    if any(f.errors for f in form):
        return None
    return {
        "member_class": chosen,
        "name": form.name.data or "",
        "address": form.address.data or "",
        "postcode": form.postcode.data or "",
        "email": form.email.data or "",
        "date_of_birth": born,
    }


def _class_hints(classes: list[MemberClass]) -> dict[str, str]:
    """What the application form says under each class: its description, and the age rule."""
    hints = {}
    for c in classes:
        parts = [c.description] if c.description else []
        if c.min_age is not None:
            parts.append(
                _(
                    "Give a date of birth: members under %(age)s need a parent's or carer's consent to vote.",
                    age=c.min_age,
                )
            )
        if parts:
            hints[str(c.id)] = " ".join(parts)
    return hints


def application_page(society: Society, form: ApplicationForm, *, online: bool, status: int = 200, live=None):
    classes = queries.member_classes(society.id)
    return render_template(
        "governance/apply.html",
        society=society,
        form=form,
        online=online,
        live=live,
        classes=classes,
        class_hints=_class_hints(classes),
        form_errors=error_list(form, "member_class_id", "name", "address", "postcode", "email", "date_of_birth"),
    ), status


def submit_application(society: Society, form: ApplicationForm, *, user_id: int | None) -> tuple[Any, int]:
    """Apply with the form's values: the new line, or ``None`` and the status to answer."""
    if not form.validate():
        return None, 400
    values = read_application(form, society)
    if values is None:
        return None, 422
    member_class = values.pop("member_class")
    try:
        line = operations.apply_for_membership(society, member_class, user_id=user_id, by_user=by(), **values)
    except operations.GovernanceError as exc:
        return None, fail(form, exc)
    db.session.commit()
    return line, 200


def apply(society_id: int):
    society = load_society(society_id)
    sign_in_first()
    if current_council_role() is None and not current_user.is_platform_admin:
        abort(403)  # applying online is for people with an account in this council
    form = ApplicationForm()
    form.member_class_id.choices = class_choices(society)
    live = queries.member_for_user(society.id, current_user.id)
    if live is not None and live.status not in (MemberStatus.APPLICANT, MemberStatus.MEMBER):
        live = None
    if not form.is_submitted():
        form.name.data = current_user.name
        form.email.data = current_user.email
        return application_page(society, form, online=True, live=live)
    line, status = submit_application(society, form, user_id=current_user.id)
    if line is None:
        return application_page(society, form, online=True, status=status, live=live)
    flash(
        _("Your application to join %(society)s is sent. The committee will decide on it.", society=society.name),
        "success",
    )
    return redirect(url_for(".mine", society_id=society.id))


def mine(society_id: int):
    society = load_society(society_id)
    sign_in_first()
    line = queries.member_for_user(society.id, current_user.id)
    if line is None and current_council_role() is None and not current_user.is_platform_admin:
        abort(403)  # not on this register and no account in this council: nothing here is theirs
    entries = []
    if line is not None:
        entries = queries.member_share_lines(line.id)
    return render_template(
        "governance/mine.html",
        society=society,
        line=line,
        member_class=queries.member_class(society.id, line.member_class_id) if line else None,
        held=queries.shares_held(line.id) if line else 0,
        entries=entries,
        decisions=queries.decisions(line.id) if line else [],
    )
