"""Data rights pages: a resident's own data and requests, and the officers' queue.

Residents (anyone with a role in this council): ``/my-data`` shows everything
held about them, readable; the download button (a POST, so it can be recorded)
returns the same as JSON; ``/my-data/erase`` asks for erasure. Council
administrators handle the requests at ``/privacy/requests``. Views load what
the URL names first, then check, so another council's id is a 404 for everyone.
"""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from app.admin.forms import error_list
from app.admin.views import require_council_admin
from app.auth.roles import current_council_role
from app.extensions import db, login_manager
from app.i18n import gettext as _
from app.privacy import export, operations, queries
from app.privacy.forms import CompleteForm, DownloadForm, EraseForm, ExtendForm
from app.privacy.models import DataRightsRequest, RequestKind, RequestStatus
from app.voting import timing
from app.web.loading import get_or_404


def _signed_in() -> None:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def _person_of_this_council() -> None:
    """Signed in with a role in this council (or a platform administrator): 403 for anyone else.

    Someone without a role here (never a resident, or whose role has gone)
    asks the council directly; the pages of a council are for its own people.
    """
    _signed_in()
    if current_council_role() is None and not current_user.is_platform_admin:
        abort(403)


def _me():
    return current_user._get_current_object()


def my_data():
    """Everything held about the signed-in person in this council, grouped by module."""
    _person_of_this_council()
    return render_template(
        "privacy/my_data.html",
        copy=export.collect(current_user.id),
        requests=queries.requests_of(current_user.id),
        open_erasure=operations.open_erasure(current_user.id),
        form=DownloadForm(),
    )


def download():
    """The person's copy as a JSON file; each download is recorded as an answered access request."""
    _person_of_this_council()
    form = DownloadForm()
    if not form.validate_on_submit():
        abort(400)
    user = _me()
    copy = export.collect(user.id)
    operations.record_download(user)
    body = export.to_json(copy, council=g.council.name, user_id=user.id, generated_at=timing.now())
    db.session.commit()
    filename = f"my-data-{g.council.slug}-{timing.today().isoformat()}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def erase():
    """The erasure confirmation page: what is removed, what is kept and why; submitting sends the request."""
    _person_of_this_council()
    form = EraseForm()
    already = operations.open_erasure(current_user.id)
    status = 200
    if form.validate_on_submit():
        try:
            request_ = operations.request_erasure(_me())
        except operations.PrivacyError as exc:
            db.session.rollback()
            form.confirm.errors.append(str(exc.message))
            status = exc.status
        else:
            db.session.commit()
            flash(
                _(
                    "Your request has been sent. The council will complete it by %(due)s.",
                    due=timing.format_date(request_.due_on),
                ),
                "success",
            )
            return redirect(url_for(".my_data"))
    elif form.is_submitted():
        status = 400
    return (
        render_template("privacy/erase.html", form=form, already=already, form_errors=error_list(form, "confirm")),
        status,
    )


# -- officers ---------------------------------------------------------------------------------------


def queue():
    """Every request, open ones soonest due first with their clocks."""
    _signed_in()
    require_council_admin()
    return render_template("privacy/queue.html", open_rows=queries.open_queue(), done_rows=queries.recently_completed())


def _request(request_id: int) -> DataRightsRequest:
    found = get_or_404(DataRightsRequest, request_id)
    _signed_in()
    require_council_admin()
    return found


def _request_page(found: DataRightsRequest, *, extend_form=None, complete_form=None, errors=None, status=200):
    extend_form = extend_form or ExtendForm(formdata=None)
    complete_form = complete_form or CompleteForm(formdata=None)
    person = queries.person(found.user_id)
    is_open_erasure = found.kind is RequestKind.ERASURE and found.status is RequestStatus.RECEIVED
    held = export.collect(found.user_id) if is_open_erasure and found.user_id else []
    form_errors = error_list(extend_form, "months", "reason") + (errors or [])
    return (
        render_template(
            "privacy/request.html",
            item=found,
            person=person,
            clock=queries.clock_of(found),
            held=held,
            extend_form=extend_form,
            complete_form=complete_form,
            form_errors=form_errors,
        ),
        status,
    )


def request_detail(request_id: int):
    """One request: the person, its clock, what is held, and the forms to extend or complete it."""
    return _request_page(_request(request_id))


def extend(request_id: int):
    found = _request(request_id)
    form = ExtendForm()
    if not form.validate_on_submit():
        return _request_page(found, extend_form=form, status=400)
    try:
        operations.extend_request(found, int(form.months.data), form.reason.data, by=_me())
    except operations.PrivacyError as exc:
        db.session.rollback()
        getattr(form, exc.field or "reason").errors.append(str(exc.message))
        return _request_page(get_or_404(DataRightsRequest, request_id), extend_form=form, status=exc.status)
    db.session.commit()
    flash(_("The request is extended. It is now due by %(due)s.", due=timing.format_date(found.due_on)), "success")
    return redirect(url_for(".request_detail", request_id=found.id))


def complete(request_id: int):
    found = _request(request_id)
    form = CompleteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operations.complete_erasure(found, by=_me())
    except operations.PrivacyError as exc:
        db.session.rollback()
        error = [{"text": str(exc.message), "href": "#complete"}]
        return _request_page(get_or_404(DataRightsRequest, request_id), errors=error, status=exc.status)
    db.session.commit()
    flash(_("The erasure is complete. The person's account can no longer be used to sign in."), "success")
    return redirect(url_for(".queue"))
