"""Officer pages for voting-code letters, assisted verification and consent given on paper.

Under /c/<council>/admin/register; the blueprint checks the role (officers
and administrators only). Pages with an id load the row first (404 if it is
not this council's).
"""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from app.admin.forms import error_list
from app.auth.models import CouncilRole, User
from app.extensions import db
from app.i18n import gettext as _
from app.letters import runs
from app.letters.models import LetterRun, RunScope, RunStatus
from app.residents import accounts, profiles
from app.residents.forms import AssistedVerificationForm, LetterRunForm, ParentalConsentForm
from app.residents.models import ConsentKind, RegisterEntry
from app.residents.resident_views import PARENTAL_WORDING
from app.residents.verification import Evidence, verify_in_person
from app.residents.views import require_staff
from app.web.loading import get_or_404
from tenants.models import Neighbourhood
from workers.models import JobRun


def letters():
    """Past runs with their files, and the form to make a new run."""
    form = LetterRunForm()
    if form.validate_on_submit():
        run = runs.request_run(
            RunScope(form.scope.data),
            verify_url=url_for("council.residents.verify", _external=True),
            actor_user_id=current_user.id,
        )
        db.session.commit()
        return redirect(url_for(".letter_run", run_id=run.id))
    return render_template(
        "residents/letters.html",
        form=form,
        form_errors=error_list(form, "scope"),
        recent=runs.recent_runs(),
        missing=runs.count_needing_letters(RunScope.MISSING),
        everyone=runs.count_needing_letters(RunScope.ALL),
    ), (400 if form.errors else 200)


def letter_run(run_id: int):
    """One run: its progress while the job runs (reloading itself), then its files."""
    run = get_or_404(LetterRun, run_id)
    require_staff()
    job = db.session.scalar(select(JobRun).where(JobRun.job_id == run.job_id))
    running = run.status is RunStatus.QUEUED and (job is None or str(job.status) in ("queued", "running"))
    return render_template("residents/letter_run.html", run=run, job=job, running=running)


def _file(run_id: int, column: str, mimetype: str, filename: str) -> Response:
    run = get_or_404(LetterRun, run_id)
    require_staff()
    body = db.session.scalar(select(getattr(LetterRun, column)).where(LetterRun.id == run.id))
    if body is None:
        abort(404)
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}-{run.id}.{column}"',
            "Cache-Control": "no-store",
        },
    )


def letter_pdf(run_id: int) -> Response:
    return _file(run_id, "pdf", "application/pdf", "voting-letters")


def letter_csv(run_id: int) -> Response:
    return _file(run_id, "csv", "text/csv", "voting-letters-mailmerge")


def delete_letter_files(run_id: int):
    run = get_or_404(LetterRun, run_id)
    require_staff()
    if request.method == "POST":
        runs.delete_files(run, actor_user_id=current_user.id)
        db.session.commit()
        flash(_("The letter files have been deleted. The codes in them still work."), "success")
    return redirect(url_for(".letter_run", run_id=run.id))


# -- finding residents, assisted verification, consent on paper -----------------------------------


def residents():
    """Find a resident account of this council by name or email address."""
    query = request.args.get("q", "").strip()[:100]
    rows = []
    if query:
        like = f"%{query.replace('%', '').replace('_', '')}%"
        rows = db.session.execute(
            select(User, CouncilRole.role)
            .join(CouncilRole, CouncilRole.user_id == User.id)
            .where(or_(User.name.ilike(like), User.email.ilike(like)))
            .order_by(User.name)
            .limit(50)
        ).all()
    return render_template("residents/find_resident.html", query=query, rows=rows)


def _member(user_id: int) -> User:
    """A user who has a role in this council (404 otherwise: other councils' people are invisible).

    Checked before the caller's role (403), so an address reveals nothing about other councils.
    """
    if db.session.scalar(select(CouncilRole.id).where(CouncilRole.user_id == user_id)) is None:
        abort(404)
    # Users are global: the role above is what ties them to this council.
    return db.session.scalar(select(User).where(User.id == user_id)) or abort(404)


def verify_resident(user_id: int):
    """Verify a resident in person: a register entry (or neighbourhood and date of birth) and the evidence seen."""
    user = _member(user_id)
    require_staff()
    profile = profiles.profile_for(user.id)
    neighbourhoods = db.session.execute(select(Neighbourhood.id, Neighbourhood.name).order_by(Neighbourhood.name)).all()
    form = AssistedVerificationForm()
    form.neighbourhood.choices = [("", _("Choose a neighbourhood"))] + [(str(i), n) for i, n in neighbourhoods]
    if form.validate_on_submit():
        entry = None
        neighbourhood_id = int(form.neighbourhood.data) if form.neighbourhood.data else None
        if form.register_entry.data:
            entry = db.session.scalar(select(RegisterEntry).where(RegisterEntry.reference == form.register_entry.data))
            if entry is None:
                form.register_entry.errors = [_("There is no one on the register with that reference")]
        elif neighbourhood_id is None or form.date_of_birth.data is None:
            form.register_entry.errors = [
                _("Enter a register reference, or choose a neighbourhood and enter a date of birth")
            ]
        elif form.date_of_birth.data > date.today():
            form.date_of_birth.errors = [_("Date of birth must be in the past")]
        if not (form.register_entry.errors or form.date_of_birth.errors):
            profile = accounts.join_as_resident(user)
            officer: User = current_user._get_current_object()  # type: ignore[attr-defined]
            verify_in_person(
                profile,
                officer_id=officer.id,
                officer_name=officer.name,
                evidence=Evidence(form.evidence.data),
                register_entry=entry,
                neighbourhood_id=neighbourhood_id,
                date_of_birth=form.date_of_birth.data,
            )
            db.session.commit()
            flash(_("%(name)s is verified as a resident.", name=user.name), "success")
            return redirect(url_for(".residents", q=user.email))
    errors = error_list(form, "register_entry", "neighbourhood", "date_of_birth", "evidence")
    return render_template(
        "residents/verify_resident.html", form=form, form_errors=errors, person=user, profile=profile
    ), (400 if errors else 200)


def paper_consent(user_id: int):
    """Record a parent or carer's consent given on a paper form."""
    user = _member(user_id)
    require_staff()
    profile = profiles.profile_for(user.id)
    if profile is None:
        abort(404)
    form = ParentalConsentForm()
    if form.validate_on_submit():
        from app.audit.operations import record_event

        record = profiles.give_consent(
            profile,
            ConsentKind.PARENTAL,
            wording_version=PARENTAL_WORDING,
            given_by_name=f"{form.parent_name.data} ({form.relationship.data})",
            recorded_by_user_id=current_user.id,
        )
        record_event(
            "resident.parental_consent",
            "resident_profile",
            profile.id,
            payload={"consent_id": record.id, "recorded": "paper", "officer": current_user.name},
            actor_user_id=current_user.id,
        )
        db.session.commit()
        flash(_("Consent for %(name)s has been recorded.", name=user.name), "success")
        return redirect(url_for(".residents", q=user.email))
    errors = error_list(form, "parent_name", "relationship", "agree")
    return render_template(
        "residents/paper_consent.html",
        form=form,
        form_errors=errors,
        person=user,
        given=profiles.has_consent(profile, ConsentKind.PARENTAL),
    ), (400 if errors else 200)
