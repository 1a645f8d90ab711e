"""A resident's own pages: signing up, entering the code from their letter, parental consent.

Load → check → call an operation → commit → render or redirect.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.admin.forms import error_list
from app.auth.sessions import start_session
from app.extensions import db
from app.i18n import gettext as _
from app.residents import accounts, profiles, throttle
from app.residents.forms import CodeForm, ParentalConsentForm, ResidentSignUpForm
from app.residents.models import ConsentKind
from app.residents.verification import CodeProblem, redeem_code

# Where the code from a letter's QR code waits between the redirect and the form (never in the URL).
PENDING_CODE = "pending_voting_code"
PARENTAL_WORDING = "parental-v1"
ADULT_AGE = 16


def code_problem_message(problem: CodeProblem) -> str:
    return {
        CodeProblem.MALFORMED: _("Enter the code exactly as it is printed on your letter"),
        CodeProblem.UNKNOWN: _("The code is not correct. Check it against your letter and try again"),
        CodeProblem.SUPERSEDED: _(
            "This code has been replaced by a newer letter. Use the code from your latest letter"
        ),
        CodeProblem.EXPIRED: _("This code has expired. Ask the council for a new letter"),
        CodeProblem.USED: _("This code has already been used. Each code can only be used once"),
    }[problem]


def sign_up():
    """Create a resident account in this council and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for(".verify"))
    form = ResidentSignUpForm()
    if form.validate_on_submit():
        user = accounts.sign_up(form.name.data, form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            pending = session.get(PENDING_CODE)
            start_session(user)  # a fresh session (it clears the old one), so carry the letter's code over
            if pending:
                session[PENDING_CODE] = pending
            flash(_("Your account has been created. Now enter the code from your letter."), "success")
            return redirect(url_for(".verify"))
        form.email.errors = [_("An account with this email address already exists. Sign in instead")]
    errors = error_list(form, "name", "email", "password", "password_confirm")
    return render_template(
        "residents/sign_up.html", form=form, form_errors=errors, sign_in_url=url_for("auth.sign_in")
    ), (400 if errors else 200)


def _too_many(wait: int):
    minutes = max(1, (wait + 59) // 60)
    html = render_template("residents/too_many_codes.html", minutes=minutes)
    response = make_response(html, 429)
    response.headers["Retry-After"] = str(wait)
    return response


def verify():
    """Enter the code from a letter; a good one verifies the signed-in resident."""
    if "code" in request.args:
        # From the letter's QR code: keep the code in the session and drop it from the address.
        session[PENDING_CODE] = request.args.get("code", "")[:60]
        return redirect(url_for(".verify"))
    if not current_user.is_authenticated:
        if request.method == "POST":
            return redirect(url_for(".sign_up"))
        # Straight from a letter: say what to do first; the code waits in the session.
        return render_template(
            "residents/verify_signed_out.html",
            sign_in_url=url_for("auth.sign_in", next=request.path),
            has_code=PENDING_CODE in session,
        )
    profile = profiles.profile_for(current_user.id)
    if profile is not None and profile.is_verified and request.method == "GET":
        return render_template("residents/verified.html", profile=profile, neighbourhood=_neighbourhood(profile))
    form = CodeForm()
    if request.method == "GET" and PENDING_CODE in session:
        form.code.data = session.pop(PENDING_CODE)
    if form.validate_on_submit():
        ip = get_remote_address() or ""
        wait = throttle.seconds_to_wait(current_user.id, ip)
        if wait:
            return _too_many(wait)
        profile = accounts.join_as_resident(current_user._get_current_object())  # type: ignore[attr-defined]
        outcome = redeem_code(profile, form.code.data)
        if outcome.ok:
            db.session.commit()
            flash(_("You are verified as a resident."), "success")
            return redirect(url_for(".verify"))
        db.session.rollback()
        throttle.record_failure(current_user.id, ip)
        form.code.errors = [code_problem_message(outcome.problem)]
    errors = error_list(form, "code")
    response = make_response(render_template("residents/verify.html", form=form, form_errors=errors))
    response.status_code = 400 if errors else 200
    response.headers["Cache-Control"] = "no-store"
    return response


def _neighbourhood(profile):
    from sqlalchemy import select

    from tenants.models import Neighbourhood

    return db.session.scalar(select(Neighbourhood.name).where(Neighbourhood.id == profile.neighbourhood_id))


def parental_consent():
    """A parent or carer agrees that a young person's votes count (on the young person's account)."""
    sign_in_url = url_for("auth.sign_in", next=request.path)
    if not current_user.is_authenticated:
        if request.method == "POST":
            return redirect(sign_in_url)
        return render_template("residents/consent_signed_out.html", sign_in_url=sign_in_url)
    profile = profiles.profile_for(current_user.id)
    if profile is None and request.method == "POST":
        abort(403)  # nobody to consent for in this council
    age = profiles.age_on(profile, date.today()) if profile is not None else None
    given = profile is not None and profiles.has_consent(profile, ConsentKind.PARENTAL)
    form = ParentalConsentForm()
    if profile is not None and not given and form.validate_on_submit():
        record = profiles.give_consent(
            profile,
            ConsentKind.PARENTAL,
            wording_version=PARENTAL_WORDING,
            given_by_name=f"{form.parent_name.data} ({form.relationship.data})",
        )
        from app.audit.operations import record_event

        record_event(
            "resident.parental_consent",
            "resident_profile",
            profile.id,
            payload={"consent_id": record.id, "recorded": "online"},
            actor_user_id=current_user.id,
        )
        db.session.commit()
        flash(_("Thank you. Consent has been recorded."), "success")
        return redirect(url_for(".parental_consent"))
    errors = error_list(form, "parent_name", "relationship", "agree")
    return render_template(
        "residents/parental_consent.html",
        form=form,
        form_errors=errors,
        profile=profile,
        age=age,
        given=given,
        adult=age is not None and age >= ADULT_AGE,
        council_name=g.council.name,
    ), (400 if errors else 200)
