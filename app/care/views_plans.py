"""Support plans: a person's record, opening their plan (logged), updating it, reviews, comments; staff teams;
the satisfaction survey for people supported.

Reading a plan is recorded, and no GET may change anything (ASVS 3.5.3), so
opening a plan is a POST: it checks who is asking, writes the read to the
log (or, for someone not allowed, an audit entry and a 404) and lets this
browser show the plan for ``READ_WINDOW_SECONDS``. The plan's GET pages
check the person's right again and need that recent opening; each opening is
one line in the log the person sees.
"""

from __future__ import annotations

import time

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.care import access, operations, queries
from app.care.models import CarePerson, CareTeam
from app.care.submitting import Outcome, submit
from app.care.survey import CONTROL, OVERALL
from app.extensions import db
from app.governance import queries as governance_queries
from app.housing.forms import field_text, optional_id, summary
from app.i18n import gettext as _
from app.web.dates import read_named_date
from app.web.loading import get_or_404

READ_WINDOW_SECONDS = 15 * 60
OPENED = "care_plans_opened"
PLAN_FIELDS = ("outcomes", "who_helps", "review_on")


def _date(form, name: str, what: str, checks: operations.Checks):
    """The date typed in the date input ``name``; None (its problem noted on the field) when it is not one."""
    found, problem = read_named_date(form, name, what)
    if problem:
        checks.add(name, problem)
    return found


def _readable_person(person_id: int) -> CarePerson:
    """The person's record, for someone allowed to read their plan; a 404 (as for no record) for anyone else."""
    person = get_or_404(CarePerson, person_id)
    access.signed_in()
    if not access.may_read_plan(person, current_user.id):
        abort(404)
    return person


def _opened_recently(person_id: int) -> bool:
    opened = session.get(OPENED, {})
    return isinstance(opened, dict) and opened.get(str(person_id), 0) > time.time()


def _remember_opening(person_id: int) -> None:
    now = time.time()
    opened = {k: v for k, v in session.get(OPENED, {}).items() if v > now}
    opened[str(person_id)] = now + READ_WINDOW_SECONDS
    session[OPENED] = opened


def person(person_id: int):
    """The record's front page: who the person is and a button to open the plan (nothing from the plan itself)."""
    found = _readable_person(person_id)
    if _opened_recently(found.id):
        return redirect(url_for(".plan", person_id=found.id))
    return render_template("care/person.html", person=found, team=get_or_404(CareTeam, found.team_id))


def open_plan(person_id: int):
    """Open the plan: log the read, or audit a refused one (and answer 404).

    Someone with no part in this council (no role here, not a platform
    administrator) gets the 404 before anything is looked up: they learn
    nothing, and cannot write into the council's audit chain from outside.
    """
    access.signed_in()
    if not access.belongs_to_council():
        abort(404)
    found = get_or_404(CarePerson, person_id)
    if not access.may_read_plan(found, current_user.id):
        operations.record_refused_read(found.id, by=current_user.id)
        db.session.commit()
        abort(404)
    operations.record_read(found, by=current_user.id)
    db.session.commit()
    _remember_opening(found.id)
    return redirect(url_for(".plan", person_id=found.id))


def _plan_page(found: CarePerson, *, errors=None, values=None, status: int = 200, template: str = "care/plan.html"):
    versions = queries.plan_versions(found.id)
    reviews = queries.reviews(found.id)
    comments = queries.comments(found.id)
    reads = queries.reads(found.id)
    user_ids = [v.written_by_user_id for v in versions] + [r.recorded_by_user_id for r in reviews]
    user_ids += [c.user_id for c in comments] + [r.user_id for r in reads]
    errors = errors or {}
    return (
        render_template(
            template,
            person=found,
            team=get_or_404(CareTeam, found.team_id),
            plan=versions[0] if versions else None,
            versions=versions,
            reviews=reviews,
            comments=comments,
            reads=reads,
            names={i: u.name for i, u in governance_queries.people(user_ids).items()},
            staff=access.is_team_staff(found, current_user.id),
            own=access.is_self_or_carer(found, current_user.id),
            values=values or {},
            errors=errors,
            form_errors=summary(errors, ("reviewed_on", "notes", "body"), dates=("reviewed_on",)),
        ),
        status,
    )


def _opened_person(person_id: int) -> CarePerson | None:
    found = _readable_person(person_id)
    return found if _opened_recently(found.id) else None


def plan(person_id: int):
    found = _opened_person(person_id)
    if found is None:
        return redirect(url_for(".person", person_id=person_id))
    return _plan_page(found)


def _staff_person(person_id: int) -> CarePerson:
    found = _readable_person(person_id)
    if not access.is_team_staff(found, current_user.id):
        abort(403)
    return found


def edit_plan(person_id: int):
    found = _staff_person(person_id)
    if not _opened_recently(found.id):
        return redirect(url_for(".person", person_id=found.id))
    current = queries.current_plan(found.id)
    outcome = Outcome()
    values = dict(request.form) if request.method == "POST" else {}
    if request.method == "GET" and current is not None:
        values = {
            "outcomes": current.outcomes,
            "who_helps": current.who_helps,
            "review_on-day": str(current.review_on.day),
            "review_on-month": str(current.review_on.month),
            "review_on-year": str(current.review_on.year),
        }
    if request.method == "POST":
        checks = operations.Checks()
        review_on = _date(request.form, "review_on", _("the date the plan will be reviewed"), checks)
        outcome = submit(
            lambda: operations.update_plan(
                found,
                outcomes=field_text(request.form, "outcomes"),
                who_helps=field_text(request.form, "who_helps"),
                review_on=review_on,
                by=current_user._get_current_object(),
                checks=checks,
            ),
            "outcomes",
        )
        if not outcome.refused:
            flash(_("The support plan is updated. The earlier version is kept."), "success")
            return redirect(url_for(".plan", person_id=found.id))
    return (
        render_template(
            "care/plan_edit.html",
            person=found,
            plan=current,
            values=values,
            errors=outcome.errors,
            form_errors=summary(outcome.errors, PLAN_FIELDS, dates=("review_on",)),
        ),
        outcome.status,
    )


def add_review(person_id: int):
    found = _staff_person(person_id)
    checks = operations.Checks()
    reviewed_on = _date(request.form, "reviewed_on", _("the date of the review"), checks)
    outcome = submit(
        lambda: operations.record_review(
            found, reviewed_on=reviewed_on, notes=field_text(request.form, "notes"), by=current_user.id, checks=checks
        ),
        "notes",
    )
    if not outcome.refused:
        flash(_("The review is recorded."), "success")
        return redirect(url_for(".plan", person_id=found.id))
    if not _opened_recently(found.id):
        return redirect(url_for(".person", person_id=found.id))
    return _plan_page(found, errors=outcome.errors, values=request.form, status=422)


def add_comment(person_id: int):
    found = _readable_person(person_id)
    if not access.is_self_or_carer(found, current_user.id):
        abort(403)
    try:
        operations.add_comment(found, body=field_text(request.form, "body"), by=current_user.id)
    except operations.GovernanceError as exc:
        db.session.rollback()
        if not _opened_recently(found.id):
            abort(422, description=exc.message)
        return _plan_page(found, errors={exc.field or "body": exc.message}, values=request.form, status=422)
    db.session.commit()
    flash(_("Your comment is added to the plan. The team will see it."), "success")
    return redirect(url_for(".plan", person_id=found.id))


def team(team_id: int):
    """A team's own page: its staff and the people it supports (names only), for the team's staff and officers."""
    found = get_or_404(CareTeam, team_id)
    access.signed_in()
    if not (found.id in queries.team_ids_of(current_user.id) or access.is_officer()):
        abort(404)
    members = queries.team_members(found.id)
    return render_template(
        "care/team.html",
        team=found,
        service=queries.service_of_team(found.id),
        people=queries.people_of_team(found.id),
        names={i: u.name for i, u in governance_queries.people(m.user_id for m in members).items()},
    )


def survey():
    """The satisfaction survey for a person supported, about the service of their team."""
    access.signed_in()
    mine = [p for p in queries.records_of(current_user.id) if p.user_id == current_user.id]
    services = {}
    for record in mine:
        service = queries.service_of_team(record.team_id)
        if service is not None:
            services[service.id] = service
    if not services:
        return render_template("care/survey_none.html"), 403
    outcome = Outcome()
    if request.method == "POST":
        outcome = submit(
            lambda: operations.answer_survey(
                services.get(optional_id(request.form, "service_id") or 0),
                overall=optional_id(request.form, "overall"),
                control=optional_id(request.form, "control"),
                by=current_user._get_current_object(),
            ),
            "service_id",
        )
        if not outcome.refused:
            flash(_("Thank you. Your answers have been saved."), "success")
            return redirect(url_for(".index"))
    return (
        render_template(
            "care/survey.html",
            services=list(services.values()),
            overall=OVERALL,
            control=CONTROL,
            values=request.form,
            errors=outcome.errors,
            form_errors=summary(outcome.errors, ("service_id", "overall", "control")),
        ),
        outcome.status,
    )
