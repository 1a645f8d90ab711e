"""Officers' election pages: create an election, set its seats, check nominations, and run the poll.

Who: the people who run the society (council officers of its module,
council administrators, its secretary and committee: ``access.can_manage``).
Pages naming an election load it first (404), then check (sign in, or 403).
Every change is a POST with a CSRF token; a refusal answers 409 or 422 with
the reason on the page, and the transaction is rolled back.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db, login_manager
from app.governance import access
from app.governance import queries as registers
from app.governance.elections import operations, queries
from app.governance.elections.forms import (
    DATE_FIELDS,
    CheckForm,
    ConfirmForm,
    ElectionForm,
    whole,
)
from app.governance.elections.models import Election, ElectionStatus
from app.governance.elections.views import load, load_nomination
from app.governance.models import Society
from app.i18n import gettext as _
from app.voting import counting, timing
from app.web.dates import read_named_date

FIELD_ORDER = ["title", "body_name", "body_size", "description", "method", "statement_max_words", "term_years"]


def _by() -> Any:
    return current_user._get_current_object()


def _check_manager(society: Society) -> None:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not access.can_manage(society):
        abort(403)


def _load_managed(society_id: int, election_id: int) -> tuple[Society, Election]:
    society, election = load(society_id, election_id)
    _check_manager(society)
    return society, election


def new_election(society_id: int):
    society = access.society_or_404(society_id)
    _check_manager(society)
    form = ElectionForm()
    date_values = {
        name: {p: request.form.get(f"{name}-{p}", "") for p in ("day", "month", "year")} for name in DATE_FIELDS
    }
    date_errors: dict[str, str] = {}
    status = 200
    if not form.is_submitted():
        form.method.data = "stv"
        form.statement_max_words.data = "250"
        form.term_years.data = "3"
    elif form.validate_on_submit():
        details = _read(form, date_errors)
        if details is not None:
            try:
                election = operations.create_election(society, details, by=_by())
            except operations.ElectionError as exc:
                db.session.rollback()
                if exc.field in DATE_FIELDS:
                    date_errors[exc.field] = exc.message
                else:
                    form._fields.get(exc.field or "title", form.title).errors = [exc.message]
                status = exc.status
            else:
                db.session.commit()
                flash(_("The election is set up as a draft. Now give each constituency its seats."), "success")
                return redirect(url_for(".seats", society_id=society.id, election_id=election.id))
        else:
            status = 422
    else:
        status = 400
    errors = [
        {"text": str(f.errors[0]), "href": f"#{f.id}" if n != "method" else "#method-0"}
        for n in FIELD_ORDER
        if (f := form._fields[n]).errors
    ]
    errors += [{"text": message, "href": f"#{name}-day"} for name, message in date_errors.items()]
    return (
        render_template(
            "governance/elections/manage/new.html",
            society=society,
            form=form,
            form_errors=errors,
            date_values=date_values,
            date_errors=date_errors,
        ),
        status,
    )


def _read(form: ElectionForm, date_errors: dict[str, str]) -> operations.Details | None:
    body_size = whole(form.body_size, _("the number of seats on the body"))
    words = whole(form.statement_max_words, _("the word limit for statements"))
    years = whole(form.term_years, _("the term of office in years"))
    if form.method.data not in operations.METHODS:
        form.method.errors = [_("Choose how the votes are counted")]
    dates = {}
    for name, what in form.date_labels().items():
        day, error = read_named_date(request.form, name, what)
        if error:
            date_errors[name] = error
        dates[name] = day
    if any(f.errors for f in form) or date_errors:
        return None
    return operations.Details(
        title=form.title.data or "",
        body_name=form.body_name.data or "",
        body_size=body_size,
        description=form.description.data or "",
        method=form.method.data,
        statement_max_words=words,
        term_years=years,
        **dates,
    )


def seats(society_id: int, election_id: int):
    """Seats for each member class (0 leaves a class out of the election)."""
    society, election = _load_managed(society_id, election_id)
    if election.status is not ElectionStatus.DRAFT:
        return _manage_page(
            society, election, error=_("The seats can be changed only while the election is a draft."), status=409
        )
    classes = registers.member_classes(society.id)
    current = {c.seat.member_class_id: c.seat.seats for c in queries.constituencies(election)}
    values = {c.id: str(current.get(c.id, 0)) for c in classes}
    errors: dict[str, str] = {}
    form = ConfirmForm()
    status = 200
    if form.is_submitted():
        if not form.validate_on_submit():
            abort(400)
        wanted: dict[int, int] = {}
        for member_class in classes:
            raw = (request.form.get(f"seats-{member_class.id}") or "").strip()
            values[member_class.id] = raw
            if raw == "":
                wanted[member_class.id] = 0
            elif not raw.isdigit() or len(raw) > 4:
                errors[f"seats-{member_class.id}"] = _(
                    "Enter the seats for %(name)s as a whole number, 0 or more", name=member_class.name
                )
            else:
                wanted[member_class.id] = int(raw)
        if not errors:
            try:
                operations.set_seats(election, wanted, by=_by())
            except operations.ElectionError as exc:
                db.session.rollback()
                errors[exc.field if exc.field and exc.field.startswith("seats-") else "seats"] = exc.message
            else:
                db.session.commit()
                flash(_("The seats are saved."), "success")
                return redirect(url_for(".manage", society_id=society.id, election_id=election.id))
        status = 422
    first = f"seats-{classes[0].id}" if classes else "seats"
    return (
        render_template(
            "governance/elections/manage/seats.html",
            society=society,
            election=election,
            classes=classes,
            values=values,
            errors=errors,
            form=form,
            form_errors=[{"text": m, "href": "#" + (k if k != "seats" else first)} for k, m in errors.items()],
        ),
        status,
    )


def manage(society_id: int, election_id: int):
    society, election = _load_managed(society_id, election_id)
    return _manage_page(society, election)


def _manage_page(society: Society, election: Election, *, error: str | None = None, status: int = 200):
    ballots = queries.ballots(election)
    return (
        render_template(
            "governance/elections/manage/overview.html",
            society=society,
            election=election,
            constituencies=queries.constituencies(election),
            nominations=queries.nominations(election),
            ballots=ballots,
            progress={seat_id: counting.count_progress(b) for seat_id, b in ballots.items()},
            all_counted=bool(ballots) and operations.all_counted(election),
            nominations_closed=timing.today() > election.nominations_close_on,
            form=ConfirmForm(),
            error=error,
            form_errors=[{"text": error, "href": "#actions"}] if error else [],
        ),
        status,
    )


def check(society_id: int, election_id: int, nomination_id: int):
    """Accept a nomination, or withdraw it with a reason the candidate sees."""
    (
        society,
        election,
    ) = _load_managed(society_id, election_id)
    nomination = load_nomination(election, nomination_id)
    candidacy = next(c for c in queries.nominations(election) if c.nomination.id == nomination.id)
    form = CheckForm()
    status = 200
    if form.is_submitted():
        if not form.validate_on_submit():
            abort(400)
        try:
            if form.decision.data == "accept":
                operations.accept(election, nomination, by=_by())
                message = _("%(name)s's nomination is accepted.", name=candidacy.name)
            elif form.decision.data == "withdraw":
                operations.withdraw(election, nomination, reason=form.reason.data or "", by=_by(), by_officer=True)
                message = _("%(name)s's nomination is withdrawn.", name=candidacy.name)
            else:
                raise operations.ElectionError(_("Choose whether to accept or withdraw the nomination"), "decision")
        except operations.ElectionError as exc:
            db.session.rollback()
            field = form._fields.get(exc.field or "decision", form.decision)
            field.errors = [*field.errors, exc.message]
            status = exc.status
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".manage", society_id=society.id, election_id=election.id))
    errors = []
    if form.decision.errors:
        errors.append({"text": str(form.decision.errors[0]), "href": "#decision-0"})
    if form.reason.errors:
        errors.append({"text": str(form.reason.errors[0]), "href": "#reason"})
    return (
        render_template(
            "governance/elections/manage/check.html",
            society=society,
            election=election,
            candidacy=candidacy,
            constituency=next(
                (c.name for c in queries.constituencies(election) if c.seat.id == nomination.seat_id), ""
            ),
            form=form,
            form_errors=errors,
        ),
        status,
    )


def _action(society_id: int, election_id: int, run, success: str):
    """A lifecycle button: run the operation, commit, and go back to the overview; refusals stay on it."""
    society, election = _load_managed(society_id, election_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        run(election)
    except operations.ElectionError as exc:
        db.session.rollback()
        return _manage_page(society, election, error=exc.message, status=exc.status)
    db.session.commit()
    flash(success, "success")
    return redirect(url_for(".manage", society_id=society.id, election_id=election.id))


def open_nominations(society_id: int, election_id: int):
    return _action(
        society_id,
        election_id,
        lambda e: operations.open_nominations(e, by=_by()),
        _("The election is published and takes nominations on its nomination dates."),
    )


def start_poll(society_id: int, election_id: int):
    return _action(
        society_id,
        election_id,
        lambda e: operations.start_poll(e, by=_by()),
        _("The poll has started. Constituencies with no more candidates than seats are returned unopposed."),
    )


def close_voting(society_id: int, election_id: int):
    return _action(
        society_id,
        election_id,
        lambda e: operations.close_voting(e, by=_by()),
        _("Voting is closed in every constituency."),
    )


def count(society_id: int, election_id: int):
    return _action(
        society_id,
        election_id,
        lambda e: operations.request_counts(e, by=_by()),
        _("The count has started. This page shows how far it has got; refresh it to see when it is done."),
    )


def declare(society_id: int, election_id: int):
    return _action(
        society_id,
        election_id,
        lambda e: operations.declare(e, by=_by()),
        _("The result is declared and published, and the people elected are recorded as members of the body."),
    )
