"""Pages of neighbourhood priorities: the list, starting an exercise from a template, and results.

Who: anyone may see the list and published results (results are public once
each neighbourhood's ballot is published); council administrators, officers
with the priorities module and platform administrators start exercises and
also see counted results before they are published.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.admin.forms import error_list
from app.extensions import db, login_manager
from app.i18n import gettext as _
from app.priorities import charts, operations
from app.priorities.catalogue import KINDS, TEMPLATES
from app.priorities.forms import ExerciseForm, read_date, whole
from app.priorities.models import PrioritiesExercise
from app.priorities.results import SCORE_WORDS, exercise_results, number, percent
from app.voting import queries, timing
from app.voting.models import BallotKind
from app.web.loading import get_or_404
from tenants.models import Neighbourhood

CLOSING_HOUR = 23
CLOSING_MINUTE = 59


def _can_manage() -> bool:
    return queries.can_manage(module=operations.MODULE)


def index():
    exercises = list(
        db.session.scalars(
            select(PrioritiesExercise).order_by(PrioritiesExercise.created_at.desc(), PrioritiesExercise.id.desc())
        )
    )
    return render_template("priorities/index.html", exercises=exercises, can_manage=_can_manage(), templates=TEMPLATES)


def _neighbourhoods() -> list[tuple[int, str]]:
    return [(n.id, n.name) for n in db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name))]


def new_exercise():
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not _can_manage():
        abort(403)
    form = ExerciseForm()
    form.set_choices(_neighbourhoods())
    date_error: str | None = None
    status = 200
    if not form.is_submitted():
        chosen = TEMPLATES.get(request.args.get("template", ""), next(iter(TEMPLATES.values())))
        form.template.data = chosen.key
        form.kind.data = BallotKind.POINTS.value
        form.title.data = str(chosen.title)
        form.areas.data = "\n".join(str(a) for a in chosen.areas)
        form.winners.data = str(chosen.winners)
        form.points.data = str(chosen.points)
        form.open_now.data = "no"
    elif form.validate_on_submit():
        request_, date_error = _read(form)
        if request_ is not None:
            try:
                exercise = operations.create_exercise(request_, by=current_user._get_current_object())
            except operations.PrioritiesError as exc:
                db.session.rollback()
                _show(form, exc)
                status = 400
            except operations.voting.VotingError as exc:  # the engine refused; nothing is kept
                db.session.rollback()
                form.title.errors = [str(exc.message)]
                status = exc.status
            else:
                db.session.commit()
                flash(_("%(title)s: one ballot made for each neighbourhood.", title=exercise.title), "success")
                return redirect(url_for(".results", exercise_id=exercise.id))
        else:
            status = 400
    else:
        status = 400
    errors = error_list(form, "template", "kind", "title", "neighbourhoods", "areas", "winners", "points")
    if date_error:
        errors.append({"text": date_error, "href": "#closes_on"})
    return render_template(
        "priorities/new.html",
        form=form,
        form_errors=errors,
        date_error=date_error,
        templates=TEMPLATES,
    ), status


def _show(form: ExerciseForm, exc: operations.PrioritiesError) -> None:
    if exc.field == "closes_on":
        form.title.errors = []
    field = form._fields.get(exc.field or "") or form.title
    field.errors = [str(exc.message)]


def _read(form: ExerciseForm) -> tuple[operations.ExerciseRequest | None, str | None]:
    """The request from the form, or ``None`` with messages on the fields (and the date's message)."""
    if form.template.data not in TEMPLATES:
        form.template.errors = [_("Choose a template")]
    kinds = {k.value: k for k in KINDS}
    kind = kinds.get(form.kind.data or "")
    if kind is None:
        form.kind.errors = [_("Choose how residents vote")]
    ids = []
    for raw in form.neighbourhoods.data or []:
        if not str(raw).isdigit():
            form.neighbourhoods.errors = [_("Choose neighbourhoods from the list")]
            break
        ids.append(int(raw))
    winners = whole(
        form.winners,
        blank=_("Enter the number of priorities chosen"),
        invalid=_("Enter the number of priorities chosen as a whole number, like 3"),
    )
    points = max_per_option = None
    if kind is BallotKind.POINTS:
        points = whole(
            form.points,
            blank=_("Enter the points each resident shares out"),
            invalid=_("Enter the points each resident shares out as a whole number, like 3"),
        )
        max_per_option = whole(
            form.max_per_option,
            blank=None,
            invalid=_("Enter the most points for one priority as a whole number, like 3"),
        )
    if form.open_now.data not in ("yes", "no"):
        form.open_now.errors = [_("Say whether to open the ballots now")]
    day, date_error = read_date(request.form, "closes_on")
    if any(f.errors for f in form) or date_error:
        return None, date_error
    closes_at = timing.uk_datetime(day, CLOSING_HOUR, CLOSING_MINUTE) if day else None
    return (
        operations.ExerciseRequest(
            template=form.template.data,
            kind=kind,
            title=form.title.data or "",
            neighbourhood_ids=ids,
            areas=(form.areas.data or "").splitlines(),
            winners=winners or 0,
            points=points,
            max_per_option=max_per_option,
            closes_at=closes_at,
            open_now=form.open_now.data == "yes",
        ),
        None,
    )


def results(exercise_id: int):
    exercise = get_or_404(PrioritiesExercise, exercise_id)
    manager = _can_manage()
    outcome = exercise_results(exercise, show_counted=manager)
    words = SCORE_WORDS[outcome.kind]
    return render_template(
        "priorities/results.html",
        exercise=exercise,
        outcome=outcome,
        manager=manager,
        words=words,
        chart=charts.standing_chart(outcome) if outcome.standings else None,
        neighbourhood_chart=charts.neighbourhood_chart,
        percent=percent,
        number=number,
        format_datetime=timing.format_datetime,
        template=TEMPLATES.get(exercise.template),
    )
