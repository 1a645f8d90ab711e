"""Thin views for signing in and out, passwords, the account page and invitations.

Each one loads, checks, calls one operation from ``app.auth.operations``,
commits once and renders or redirects.
"""

from __future__ import annotations

import time
from functools import wraps
from typing import Any

from flask import abort, current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.auth import operations
from app.auth.administrators import LastAdministratorError
from app.auth.forms import ChangePasswordForm, ConfirmForm, ForgotPasswordForm, NewAccountInvitationForm, SignInForm
from app.auth.forms import NewPasswordForm as ResetPasswordForm
from app.auth.models import Role, User
from app.auth.operations import LinkState
from app.auth.passwords import verify_password
from app.auth.queries import memberships
from app.auth.sessions import end_session, safe_next, start_session
from app.extensions import db, rate_limit
from app.i18n import _l
from app.i18n import gettext as _
from tenants.features import MODULES

CREDENTIALS_ERROR = _l("Enter a correct email address and password")
LINK_STATUS = {LinkState.UNKNOWN: 404, LinkState.EXPIRED: 410, LinkState.USED: 410}


# --- throttling ---------------------------------------------------------------------------------


def _ip_limit() -> str:
    return current_app.config["SIGN_IN_LIMIT_PER_IP"]


def _account_limit() -> str:
    return current_app.config["SIGN_IN_FAILURES_PER_ACCOUNT"]


def _account_key() -> str:
    # Unknown addresses are counted exactly like real ones, so the limit reveals nothing.
    email = operations.normalise_email(request.form.get("email", ""))[:254]
    return f"account:{email}" if email else ""


def _user_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else ""


def _attempt_failed(response: Any) -> bool:
    return bool(g.get("credentials_failed"))


# --- helpers ------------------------------------------------------------------------------------


def _errors(form: FlaskForm, order: tuple[str, ...]) -> tuple[dict[str, str], list[dict[str, str]]]:
    """First error per field, and the error summary list in page order."""
    by_field = {name: form[name].errors[0] for name in order if form[name].errors}
    summary = [{"text": text, "href": f"#{form[name].id}"} for name, text in by_field.items()]
    return by_field, summary


def _form_page(template: str, form: FlaskForm, order: tuple[str, ...], **context: Any):
    errors, summary = _errors(form, order)
    status = 400 if summary else 200
    return render_template(template, form=form, errors=errors, form_errors=summary, **context), status


def _no_sooner_than(started: float, seconds: float) -> None:
    """Wait until ``seconds`` have passed since ``started``.

    A real account costs a token, an email and a job; an unknown address costs
    nothing. Answering after the same fixed time either way keeps the response
    time from telling them apart (ASVS 6.3.8).
    """
    remaining = seconds - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)


def _link_problem(state: LinkState, kind: str):
    return render_template("auth/link_problem.html", state=state.value, kind=kind), LINK_STATUS[state]


# --- signing in and out -------------------------------------------------------------------------


@rate_limit(_ip_limit, methods=["POST"], key_func=get_remote_address, scope="ip")
@rate_limit(
    _account_limit, methods=["POST"], key_func=_account_key, deduct_when=_attempt_failed, scope="account-failures"
)
def sign_in():
    next_url = safe_next(request.args.get("next"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(next_url or url_for("auth.account"))
    form = SignInForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data, form.password.data)
        if user is not None:
            operations.record_sign_in(user)
            db.session.commit()
            start_session(user)
            return redirect(next_url or url_for("auth.account"))
        g.credentials_failed = True
        errors = {"email": str(CREDENTIALS_ERROR)}
        summary = [{"text": str(CREDENTIALS_ERROR), "href": "#email"}]
        return render_template(
            "auth/sign_in.html", form=form, errors=errors, form_errors=summary, next_url=next_url
        ), 400
    return _form_page("auth/sign_in.html", form, ("email", "password"), next_url=next_url)


def sign_out():
    form = ConfirmForm()
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in"))
        return render_template("auth/sign_out.html", form=form)
    if current_user.is_authenticated:
        operations.end_all_sessions(current_user._get_current_object())  # type: ignore[attr-defined]
        db.session.commit()
    end_session()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.sign_in"))


# --- the signed-in person's own pages -----------------------------------------------------------


@login_required
def account():
    return render_template("auth/account.html", memberships=memberships(current_user.id), Role=Role)


@login_required
@rate_limit(_ip_limit, methods=["POST"], key_func=get_remote_address, scope="ip")
@rate_limit(_account_limit, methods=["POST"], key_func=_user_key, deduct_when=_attempt_failed, scope="account-failures")
def change_password():
    form = ChangePasswordForm()
    form.email = current_user.email
    order = ("current_password", "password", "password_confirm")
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            g.credentials_failed = True
            form.current_password.errors = [_("Your current password is not correct")]
            return _form_page("auth/change_password.html", form, order)
        user: User = current_user._get_current_object()  # type: ignore[attr-defined]
        operations.change_password(user, form.password.data)
        db.session.commit()
        start_session(user)
        flash(_("Your password has been changed. You have been signed out everywhere else."), "success")
        return redirect(url_for("auth.account"))
    return _form_page("auth/change_password.html", form, order)


# --- forgotten passwords ------------------------------------------------------------------------


@rate_limit(_ip_limit, methods=["POST"], key_func=get_remote_address, scope="ip")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        started = time.monotonic()
        operations.request_password_reset(form.email.data)
        db.session.commit()
        _no_sooner_than(started, current_app.config["PASSWORD_RESET_MIN_RESPONSE_SECONDS"])
        return render_template("auth/forgot_password_sent.html")
    return _form_page("auth/forgot_password.html", form, ("email",))


@rate_limit(_ip_limit, methods=["POST"], key_func=get_remote_address, scope="ip")
def reset_password(token: str):
    state, row = operations.find_reset_token(token)
    if state is not LinkState.VALID or row is None:
        return _link_problem(state, "reset")
    form = ResetPasswordForm()
    form.email = db.session.scalar(select(User.email).where(User.id == row.user_id))
    if form.validate_on_submit():
        user = operations.reset_password(token, form.password.data)
        if user is None:  # used or expired between the two reads
            db.session.rollback()
            return _link_problem(operations.find_reset_token(token)[0], "reset")
        db.session.commit()
        start_session(user)
        flash(_("Your password has been changed. You have been signed out everywhere else."), "success")
        return redirect(url_for("auth.account"))
    return _form_page("auth/reset_password.html", form, ("password", "password_confirm"), token=token)


# --- invitations --------------------------------------------------------------------------------


def _never_cached(view: Any) -> Any:
    """Keep the page out of every cache: its address carries a token and it shows whom it is for."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapped


@_never_cached
@rate_limit(_ip_limit, methods=["POST"], key_func=get_remote_address, scope="ip")
def accept_invitation(token: str):
    lookup = operations.find_invitation(token)
    if lookup.state is not LinkState.VALID or lookup.invitation is None:
        return _link_problem(lookup.state, "invitation")
    invite = lookup.invitation
    email = operations.normalise_email(invite.email)
    has_account = db.session.scalar(select(User.id).where(User.email == email)) is not None
    inviter = (
        db.session.scalar(select(User.name).where(User.id == invite.invited_by_id)) if invite.invited_by_id else None
    )
    context = {
        "invitation": invite,
        "inviter": inviter,
        "modules": [MODULES[key].title for key in invite.modules if key in MODULES],
        "sign_in_url": url_for("auth.sign_in", next=request.path),
    }

    if current_user.is_authenticated and current_user.email != email:
        if request.method == "POST":
            abort(403)
        return render_template("auth/invitation.html", step="wrong_account", **context)

    if has_account:
        if not current_user.is_authenticated:
            if request.method == "POST":
                return redirect(context["sign_in_url"])
            return render_template("auth/invitation.html", step="sign_in", **context)
        form = ConfirmForm()
        if form.validate_on_submit():
            user: User = current_user._get_current_object()  # type: ignore[attr-defined]
            try:
                accepted = operations.accept_invitation(invite, user)
            except LastAdministratorError as exc:
                db.session.rollback()
                refusal = [{"text": str(exc.message), "href": "#refusal"}]
                return render_template(
                    "auth/invitation.html", step="refused", refusal=refusal[0]["text"], form_errors=refusal, **context
                ), 409
            if accepted is None:
                return _invitation_changed(token)
            db.session.commit()
            return _accepted(invite)
        return render_template("auth/invitation.html", step="accept", form=form, **context)

    form = NewAccountInvitationForm()
    form.email = email
    if form.validate_on_submit():
        new_user = operations.accept_invitation_with_new_account(invite, form.name.data, form.password.data)
        if new_user is None:
            return _invitation_changed(token)
        db.session.commit()
        start_session(new_user)
        return _accepted(invite)
    return _form_page(
        "auth/invitation.html", form, ("name", "password", "password_confirm"), step="new_account", **context
    )


def _invitation_changed(token: str):
    """The invitation was used, expired or gained an account between reading and writing."""
    db.session.rollback()
    state = operations.find_invitation(token).state
    if state is LinkState.VALID:
        return redirect(url_for("council.council_auth.accept_invitation", token=token))
    return _link_problem(state, "invitation")


def _accepted(invite: Any):
    flash(
        _("You have joined %(council)s as %(role)s.", council=g.council.name, role=invite.role.label.lower()), "success"
    )
    return redirect(url_for("council.council_home.home"))
