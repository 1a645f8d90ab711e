"""The register of members and the share ledger, for the people who keep them.

Who: council officers who manage the society's module, council admins, and
the society's secretary and committee (``access.can_manage``). Pages load the
society and the member from the URL first (404 for another council's or
society's ids), then check (403). A decision the member's state no longer
allows answers 409 with the reason; a form error answers 422 with the
message on its field; nothing is written either way.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, url_for

from app.admin.forms import error_list
from app.extensions import db
from app.governance import exports, operations, queries
from app.governance.forms import (
    ApplicationForm,
    CessationForm,
    ConsentForm,
    CorrectionForm,
    DecisionForm,
    SharesForm,
    add_error,
    whole_number,
)
from app.governance.models import Cessation, Member, MemberStatus, Society
from app.governance.views import (
    application_page,
    by,
    check_manage,
    class_choices,
    fail,
    load_society,
    submit_application,
)
from app.i18n import gettext as _
from app.voting import timing


def _load_member(society: Society, member_id: int) -> Member:
    line = queries.member(society.id, member_id)
    if line is None:
        abort(404)
    return line


def _load(society_id: int, member_id: int) -> tuple[Society, Member]:
    """Load the society and the member (404s), then check the person keeps the register (403)."""
    society = load_society(society_id)
    line = _load_member(society, member_id)
    check_manage(society)
    return society, line


def _refuse_state(message: Any) -> None:
    abort(409, description=str(message))


# --- the register --------------------------------------------------------------------------------


def register(society_id: int):
    society = load_society(society_id)
    check_manage(society)
    return render_template(
        "governance/register.html",
        society=society,
        lines=queries.register(society.id),
        holdings=queries.holdings(society.id),
        classes={c.id: c for c in queries.member_classes(society.id)},
    )


def applications(society_id: int):
    society = load_society(society_id)
    check_manage(society)
    return render_template(
        "governance/applications.html",
        society=society,
        lines=queries.applications(society.id),
        classes={c.id: c for c in queries.member_classes(society.id)},
    )


def new_application(society_id: int):
    """An officer enters an application for someone without an account (a paper form, a phone call)."""
    society = load_society(society_id)
    check_manage(society)
    form = ApplicationForm()
    form.member_class_id.choices = class_choices(society)
    if not form.is_submitted():
        return application_page(society, form, online=False)
    line, status = submit_application(society, form, user_id=None)
    if line is None:
        return application_page(society, form, online=False, status=status)
    flash(_("The application from %(name)s is on the list for a decision.", name=line.name), "success")
    return redirect(url_for(".member", society_id=society.id, member_id=line.id))


def member(society_id: int, member_id: int):
    society, line = _load(society_id, member_id)
    return render_template(
        "governance/member.html",
        society=society,
        line=line,
        member_class=queries.member_class(society.id, line.member_class_id),
        held=queries.shares_held(line.id),
        entries=queries.member_share_lines(line.id),
        decisions=queries.decisions(line.id),
        people=queries.people(d.recorded_by_user_id for d in queries.decisions(line.id)),
    )


# --- decisions -----------------------------------------------------------------------------------


def decide(society_id: int, member_id: int):
    society, line = _load(society_id, member_id)
    if line.status != MemberStatus.APPLICANT:
        _refuse_state(_("This application has already been decided."))
    form = DecisionForm()
    status = 200
    if not form.is_submitted():
        form.decided_on.parts = {"day": "", "month": "", "year": ""}
    elif not form.validate():
        status = 400
    else:
        decided_on = form.decided_on.read(required=_("Enter the date of the decision"))
        if form.decision.data not in ("admit", "refuse"):
            add_error(form.decision, _("Choose whether to admit or refuse"))
        if any(f.errors for f in form):
            status = 422
        else:
            try:
                if form.decision.data == "admit":
                    operations.admit(line, decided_on=decided_on, decided_by=form.decided_by.data or "", by_user=by())
                    message = _(
                        "%(name)s is admitted as member %(number)s.", name=line.name, number=line.membership_number
                    )
                else:
                    operations.refuse(
                        line,
                        decided_on=decided_on,
                        decided_by=form.decided_by.data or "",
                        reason=form.reason.data or "",
                        by_user=by(),
                    )
                    message = _("The application from %(name)s is refused.", name=line.name)
            except operations.GovernanceError as exc:
                status = fail(form, exc)
            else:
                db.session.commit()
                flash(message, "success")
                return redirect(url_for(".member", society_id=society.id, member_id=line.id))
    return render_template(
        "governance/decide.html",
        society=society,
        line=line,
        member_class=queries.member_class(society.id, line.member_class_id),
        form=form,
        form_errors=error_list(form, "decision", "decided_on", "decided_by", "reason"),
    ), status


def end_membership(society_id: int, member_id: int):
    society, line = _load(society_id, member_id)
    if line.status != MemberStatus.MEMBER:
        _refuse_state(_("Only a current member's membership can end."))
    form = CessationForm()
    status = 200
    if form.is_submitted():
        if not form.validate():
            status = 400
        else:
            ceased_on = form.ceased_on.read(required=_("Enter the date the membership ends"))
            if form.cessation.data not in {c.value for c in Cessation}:
                add_error(form.cessation, _("Choose why the membership ends"))
            if any(f.errors for f in form):
                status = 422
            else:
                try:
                    operations.cease(
                        line,
                        form.cessation.data,
                        ceased_on=ceased_on,
                        decided_by=form.decided_by.data or "",
                        reason=form.reason.data or "",
                        by_user=by(),
                    )
                except operations.GovernanceError as exc:
                    status = fail(form, exc)
                else:
                    db.session.commit()
                    flash(_("The membership of %(name)s has ended.", name=line.name), "success")
                    return redirect(url_for(".member", society_id=society.id, member_id=line.id))
    return render_template(
        "governance/cease.html",
        society=society,
        line=line,
        held=queries.shares_held(line.id),
        form=form,
        form_errors=error_list(form, "cessation", "ceased_on", "decided_by", "reason"),
    ), status


def consent(society_id: int, member_id: int):
    society, line = _load(society_id, member_id)
    if line.status not in (MemberStatus.APPLICANT, MemberStatus.MEMBER):
        _refuse_state(_("Consent can only be recorded for an applicant or a member."))
    form = ConsentForm()
    status = 200
    if form.is_submitted():
        if not form.validate():
            status = 400
        else:
            consent_on = form.consent_on.read(required=_("Enter the date of consent"))
            if any(f.errors for f in form):
                status = 422
            else:
                try:
                    operations.record_guardian_consent(
                        line, consent_by=form.consent_by.data or "", consent_on=consent_on, by_user=by()
                    )
                except operations.GovernanceError as exc:
                    status = fail(form, exc)
                else:
                    db.session.commit()
                    flash(_("Consent for %(name)s is recorded.", name=line.name), "success")
                    return redirect(url_for(".member", society_id=society.id, member_id=line.id))
    return render_template(
        "governance/consent.html",
        society=society,
        line=line,
        form=form,
        form_errors=error_list(form, "consent_by", "consent_on"),
    ), status


# --- shares --------------------------------------------------------------------------------------


def shares(society_id: int, member_id: int):
    society, line = _load(society_id, member_id)
    form = SharesForm()
    status = 200
    if not form.is_submitted():
        form.action.data = "issue"
    elif not form.validate():
        status = 400
    else:
        count = whole_number(form.shares, required=_("Enter the number of shares"))
        entry_date = form.entry_date.read() or timing.today()
        if form.action.data not in ("issue", "withdraw"):
            add_error(form.action, _("Choose whether to issue or withdraw shares"))
        if any(f.errors for f in form):
            status = 422
        else:
            change = operations.issue_shares if form.action.data == "issue" else operations.withdraw_shares
            try:
                change(line, count, entry_date=entry_date, note=form.note.data or "", by_user=by())
            except operations.GovernanceError as exc:
                status = fail(form, exc)
            else:
                db.session.commit()
                flash(_("The share ledger is updated."), "success")
                return redirect(url_for(".shares", society_id=society.id, member_id=line.id))
    return render_template(
        "governance/shares.html",
        society=society,
        line=line,
        held=queries.shares_held(line.id),
        entries=queries.member_share_lines(line.id),
        form=form,
        form_errors=error_list(form, "action", "shares", "entry_date", "note"),
    ), status


def correct(society_id: int, member_id: int, entry_id: int):
    society, line = _load(society_id, member_id)
    entry = queries.share_entry(line.id, entry_id)
    if entry is None:
        abort(404)
    form = CorrectionForm()
    status = 200
    if form.is_submitted():
        if not form.validate():
            status = 400
        else:
            try:
                operations.correct_share_entry(entry, note=form.note.data or "", by_user=by())
            except operations.StateError as exc:
                db.session.rollback()
                _refuse_state(exc.message)
            except operations.GovernanceError as exc:
                status = fail(form, exc)
            else:
                db.session.commit()
                flash(_("A reversing line is added to the ledger."), "success")
                return redirect(url_for(".shares", society_id=society.id, member_id=line.id))
    return render_template(
        "governance/correct.html",
        society=society,
        line=line,
        entry=entry,
        form=form,
        form_errors=error_list(form, "note"),
    ), status


def ledger(society_id: int):
    society = load_society(society_id)
    check_manage(society)
    entries = queries.share_ledger(society.id)
    return render_template(
        "governance/ledger.html",
        society=society,
        entries=entries,
        lines={m.id: m for m in queries.register(society.id)},
    )


# --- exports -------------------------------------------------------------------------------------


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def register_csv(society_id: int):
    society = load_society(society_id)
    check_manage(society)
    return _download(
        exports.register_csv(society), "text/csv; charset=utf-8", exports.filename(society, "register", "csv")
    )


def register_pdf(society_id: int):
    society = load_society(society_id)
    check_manage(society)
    from app.governance import pdf

    return _download(pdf.register_pdf(society), "application/pdf", exports.filename(society, "register", "pdf"))


def ledger_csv(society_id: int):
    society = load_society(society_id)
    check_manage(society)
    return _download(exports.ledger_csv(society), "text/csv; charset=utf-8", exports.filename(society, "shares", "csv"))


def ledger_pdf(society_id: int):
    society = load_society(society_id)
    check_manage(society)
    from app.governance import pdf

    return _download(pdf.ledger_pdf(society), "application/pdf", exports.filename(society, "shares", "pdf"))
