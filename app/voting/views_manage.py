"""Officers' ballot pages: set up a ballot, schedule it, open it now, close it early.

Who: council administrators (every ballot), officers allowed to manage the
ballot's module, platform administrators. Pages naming a ballot load it
first (404 for another council's id), then check (403). A ballot that has
opened can no longer be changed: a GET of an edit page says so (409); a POST
also records the refused attempt in the audit chain (committed) before
answering 409.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db, login_manager
from app.i18n import _l
from app.i18n import gettext as _
from app.voting import operations, queries, rules
from app.voting.electorate import describe
from app.voting.forms import (
    ELECTORATE_TYPES,
    ConfirmForm,
    DetailsForm,
    ElectorateForm,
    OptionForm,
    RulesForm,
    WindowForm,
    choices,
)
from app.voting.models import Ballot, BallotKind, BallotOption, BallotStatus
from app.voting.papers import money
from app.web.loading import get_or_404
from tenants.features import MODULES, enabled_modules


def _by() -> Any:
    return current_user._get_current_object()


def _require_staff() -> Any:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not queries.is_staff():
        abort(403)
    return None


def _load(ballot_id: int) -> Ballot:
    """The ballot (404 if not this council's), then the permission check (sign in, or 403)."""
    ballot = get_or_404(Ballot, ballot_id)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not queries.can_manage(ballot):
        abort(403)
    return ballot


def _load_option(ballot: Ballot, option_id: int) -> BallotOption:
    option = get_or_404(BallotOption, option_id)
    if option.ballot_id != ballot.id:
        abort(404)
    return option


def _frozen(ballot: Ballot, what: str):
    """409 for a ballot that can no longer change; a POST is recorded in the audit chain first."""
    if request.method == "POST":
        error = operations.refuse_change(ballot, what, _by())
        db.session.commit()
        message = error.message
    else:
        message = _frozen_message(ballot)
    return render_template("voting/manage/frozen.html", ballot=ballot, message=message), 409


def _frozen_message(ballot: Ballot) -> str:
    if ballot.status is BallotStatus.OPEN:
        return _(
            "This ballot is open, so its rules, options and who can vote are fixed. "
            "Close it early if it must stop; nothing about it can be changed while people are voting."
        )
    return _(
        "The status of this ballot is “%(status)s”: it can no longer be changed.",
        status=operations.STATUS_WORDS[ballot.status],
    )


def _field_error(form: Any, error: operations.OptionError) -> None:
    field = form._fields.get(error.field or "")
    if field is None:
        flash(str(error.message), "error")
    else:
        field.errors = [*field.errors, error.message]


def _errors(form: Any, order: list[str], anchors: dict[str, str] | None = None) -> list[dict[str, str]]:
    anchors = anchors or {}
    items = []
    for name in order + [n for n in form._fields if n not in order]:
        field = form._fields.get(name)
        if field is not None and field.errors:
            items.append({"text": str(field.errors[0]), "href": "#" + anchors.get(name, field.id)})
    return items


def _module_choices(current: str | None) -> list:
    """Modules the person may put a ballot under (council-wide only for administrators)."""
    pairs = []
    if current_user.is_platform_admin or _is_admin():
        pairs.append(("", _("None: a council-wide ballot")))
    on = enabled_modules()
    for key, module in MODULES.items():
        if (key in on or key == current) and queries.can_manage(module=key):
            pairs.append((key, module.title))
    return choices(pairs)


def _is_admin() -> bool:
    from app.auth.models import Role
    from app.auth.roles import current_council_role

    role = current_council_role()
    return role is not None and role.role is Role.COUNCIL_ADMIN


# --- list, create, overview ------------------------------------------------------------------------


def manage():
    refused = _require_staff()
    if refused is not None:
        return refused
    return render_template("voting/manage/index.html", ballots=queries.manageable_ballots())


def new():
    refused = _require_staff()
    if refused is not None:
        return refused
    form = DetailsForm()
    form.module.choices = _module_choices(None)
    if not form.module.choices:
        abort(403)
    if form.validate_on_submit():
        try:
            ballot = operations.create_ballot(
                title=form.title.data,
                description=form.description.data,
                kind=form.kind_value(),
                module=form.module.data or None,
                by=_by(),
            )
        except operations.OptionError as exc:
            _field_error(form, exc)
        else:
            if not queries.can_manage(ballot):
                abort(403)
            db.session.commit()
            flash(_("%(title)s created as a draft. Now add its options and rules.", title=ballot.title), "success")
            return redirect(url_for(".overview", ballot_id=ballot.id))
    return render_template(
        "voting/manage/details.html",
        form=form,
        ballot=None,
        form_errors=_errors(form, ["title", "description", "kind", "module"], {"kind": "kind"}),
    )


def overview(ballot_id: int):
    ballot = _load(ballot_id)
    options = operations.ballot_options(ballot)
    editable = ballot.status in operations.EDITABLE
    problems = rules.readiness_problems(ballot, options) if editable else []
    return render_template(
        "voting/manage/overview.html",
        ballot=ballot,
        options=options,
        editable=editable,
        problems=problems,
        rules_rows=_rules_rows(ballot),
        participation=queries.participation_count(ballot),
        papers=queries.paper_count(ballot),
        form=ConfirmForm(),
        statuses=BallotStatus,
        kinds=BallotKind,
        bounds=_bounds(ballot),
        module_title=MODULES[ballot.module].title if ballot.module in MODULES else (ballot.module or "Council-wide"),
    )


def _bounds(ballot: Ballot) -> dict[str, tuple[int | None, int | None]]:
    params = ballot.parameters if isinstance(ballot.parameters, dict) else {}
    floors = params.get("floors") if isinstance(params.get("floors"), dict) else {}
    ceilings = params.get("ceilings") if isinstance(params.get("ceilings"), dict) else {}
    return {k: (floors.get(k), ceilings.get(k)) for k in set(floors) | set(ceilings)}


def _rules_rows(ballot: Ballot) -> list[tuple[str, str]]:
    """The ballot's rules in words, for the overview (tolerant of rules that cannot be read)."""
    p = ballot.parameters if isinstance(ballot.parameters, dict) else {}
    not_set, no_limit = _("Not set"), _("No limit")
    rows = [(_("Counting method"), rules.METHOD_LABELS.get(ballot.method, not_set))]
    kind = ballot.kind
    if kind in rules.KINDS_WITH_SEATS:
        rows.append((_("Seats") if kind is BallotKind.RANKED else _("Winners"), str(p.get("seats", not_set))))
    if kind is BallotKind.POINTS:
        cap = p.get("max_per_option")
        rows.append((_("Points each voter shares out"), str(p.get("points", not_set))))
        rows.append((_("Most points for one option"), no_limit if cap is None else str(cap)))
    if kind is BallotKind.APPROVAL:
        cap = p.get("max_approvals")
        rows.append((_("Most options a voter may choose"), no_limit if cap is None else str(cap)))
    if kind in (BallotKind.PB, BallotKind.DIVISION):
        budget = p.get("budget_pence")
        rows.append((_("Budget"), money(budget) if isinstance(budget, int) and budget > 0 else not_set))
    if kind is BallotKind.PB:
        rows.append((_("Voter satisfaction"), rules.UTILITY_LABELS.get(p.get("utility"), not_set)))
    if kind is BallotKind.RESOLUTION:
        rows.append((_("Majority needed"), rules.THRESHOLD_LABELS.get(p.get("threshold"), not_set)))
        rows.append((_("Counted over"), rules.BASE_LABELS.get(p.get("base"), not_set)))
        rows.append((_("Quorum"), _quorum_words(p)))
        cap = p.get("proxy_cap")
        rows.append(
            (
                _("Proxies"),
                _("No limit per holder") if cap is None else _("At most %(cap)s per holder", cap=cap),
            )
        )
    else:
        rows.append((_("Ties"), rules.TIE_BREAK_RULES.get(ballot.tie_break_rule, not_set)))
    who = str(describe(ballot.electorate))
    rows.append((_("Who can vote"), who[:1].upper() + who[1:]))
    return rows


def _quorum_words(p: dict[str, Any]) -> str:
    from fractions import Fraction

    count = p.get("quorum_count") or 0
    try:
        share = Fraction(str(p.get("quorum_share") or "0"))
    except (ValueError, ZeroDivisionError):
        share = Fraction(0)
    percent = f"{float(share * 100):g}"
    if count and share:
        return _("%(count)s members or %(percent)s%% of members (whichever is more)", count=count, percent=percent)
    if count:
        return _("%(count)s members", count=count)
    if share:
        return _("%(percent)s%% of members", percent=percent)
    return _("None")


# --- editing (drafts and scheduled ballots) --------------------------------------------------------


def details(ballot_id: int):
    ballot = _load(ballot_id)
    if ballot.status not in operations.EDITABLE:
        return _frozen(ballot, "details")
    form = DetailsForm(obj=None if request.method == "POST" else ballot)
    if request.method == "GET":
        form.kind.data = ballot.kind.value
        form.module.data = ballot.module or ""
    form.module.choices = _module_choices(ballot.module)
    if form.validate_on_submit():
        if not queries.can_manage(module=form.module.data or None):
            form.module.errors = [_("Choose a service you manage")]
        else:
            try:
                operations.update_details(
                    ballot,
                    title=form.title.data,
                    description=form.description.data,
                    kind=form.kind_value(),
                    module=form.module.data or None,
                    by=_by(),
                )
            except operations.OptionError as exc:
                _field_error(form, exc)
            else:
                db.session.commit()
                flash(_("Details saved."), "success")
                return redirect(url_for(".overview", ballot_id=ballot.id))
    return render_template(
        "voting/manage/details.html",
        form=form,
        ballot=ballot,
        form_errors=_errors(form, ["title", "description", "kind", "module"], {"kind": "kind"}),
    )


def rules_page(ballot_id: int):
    ballot = _load(ballot_id)
    if ballot.status not in operations.EDITABLE:
        return _frozen(ballot, "rules")
    form = RulesForm()
    kind = ballot.kind
    form.method.choices = choices((m, rules.METHOD_LABELS[m]) for m in rules.methods_for(kind))
    if request.method == "GET":
        form.fill(kind, ballot.method, ballot.parameters, ballot.tie_break_rule)
    elif form.validate_on_submit():
        params = form.parameters(kind)
        if kind is BallotKind.RESOLUTION:
            form.tie_break_rule.data = "lexicographic"
        if params is not None:
            try:
                operations.update_rules(
                    ballot,
                    method=form.method.data,
                    parameters=params,
                    tie_break_rule=form.tie_break_rule.data,
                    by=_by(),
                )
            except operations.OptionError as exc:
                _field_error(form, exc)
            else:
                db.session.commit()
                flash(_("Rules saved."), "success")
                return redirect(url_for(".overview", ballot_id=ballot.id))
    fields = form.fields_for(kind)
    anchors = {
        name: name for name in ("method", "utility", "threshold", "base", "proxies_count_as_present", "tie_break_rule")
    }
    return render_template(
        "voting/manage/rules.html",
        form=form,
        ballot=ballot,
        fields=fields,
        kinds=BallotKind,
        form_errors=_errors(form, fields, anchors),
    )


def electorate(ballot_id: int):
    ballot = _load(ballot_id)
    if ballot.status not in operations.EDITABLE:
        return _frozen(ballot, "electorate")
    form = ElectorateForm()
    if request.method == "GET":
        current = ballot.electorate if isinstance(ballot.electorate, dict) else {}
        form.type.data = current.get("type") if current.get("type") in ELECTORATE_TYPES else "council_role"
        form.roles.data = list(current.get("roles", [])) if isinstance(current.get("roles"), list) else []
    elif form.validate_on_submit():
        chosen = form.electorate()
        if chosen is not None:
            try:
                operations.update_electorate(ballot, chosen, by=_by())
            except operations.OptionError as exc:
                form.type.errors = [exc.message]
            else:
                db.session.commit()
                flash(_("Who can vote saved."), "success")
                return redirect(url_for(".overview", ballot_id=ballot.id))
    return render_template(
        "voting/manage/electorate.html",
        form=form,
        ballot=ballot,
        form_errors=_errors(form, ["type", "roles"], {"type": "type", "roles": "roles"}),
    )


def window(ballot_id: int):
    ballot = _load(ballot_id)
    if ballot.status not in operations.EDITABLE:
        return _frozen(ballot, "window")
    form = WindowForm()
    errors: dict[str, str] = {}
    if request.method == "GET":
        form.fill(ballot.opens_at, ballot.closes_at)
    elif form.validate_on_submit():
        opens_at, problem = form.moment("opens")
        if problem:
            errors["opens"] = problem
        closes_at, problem = form.moment("closes")
        if problem:
            errors["closes"] = problem
        elif closes_at is None:
            errors["closes"] = _("Enter the date voting closes")
        if not errors:
            try:
                operations.update_window(ballot, opens_at=opens_at, closes_at=closes_at, by=_by())
            except operations.OptionError as exc:
                errors["opens" if exc.field == "opens_at" else "closes"] = exc.message
            else:
                db.session.commit()
                flash(_("Voting times saved."), "success")
                return redirect(url_for(".overview", ballot_id=ballot.id))
    form_errors = [{"text": errors[k], "href": f"#{k}_day"} for k in ("opens", "closes") if k in errors]
    return render_template(
        "voting/manage/window.html", form=form, ballot=ballot, errors=errors, form_errors=form_errors
    )


# --- options ---------------------------------------------------------------------------------------


def _option_page(ballot: Ballot, option: BallotOption | None):
    if ballot.status not in operations.EDITABLE:
        return _frozen(ballot, "options")
    if ballot.kind not in rules.KINDS_WITH_OPTIONS:
        abort(404)
    form = OptionForm(obj=option if request.method == "GET" else None)
    kind = ballot.kind
    if request.method == "GET" and option is not None:
        form.cost.data = _pounds_or_blank(option.cost_pence)
        low, high = _bounds(ballot).get(option.key, (None, None))
        form.floor.data = _pounds_or_blank(low)
        form.ceiling.data = _pounds_or_blank(high)
    if form.validate_on_submit():
        cost = form.money("cost", required=kind is BallotKind.PB) if kind is BallotKind.PB else None
        floor = form.money("floor") if kind is BallotKind.DIVISION else None
        ceiling = form.money("ceiling") if kind is BallotKind.DIVISION else None
        if not any(f.errors for f in form):
            values = dict(
                title=form.title.data,
                key=form.key.data or "",
                description=form.description.data or "",
                cost_pence=cost,
                floor_pence=floor,
                ceiling_pence=ceiling,
                by=_by(),
            )
            try:
                if option is None:
                    saved = operations.add_option(ballot, **values)
                else:
                    saved = operations.update_option(option, ballot, **values)
            except operations.OptionError as exc:
                _field_error(form, exc)
            else:
                db.session.commit()
                flash(_("%(title)s saved.", title=saved.title), "success")
                return redirect(url_for(".overview", ballot_id=ballot.id))
    return render_template(
        "voting/manage/option.html",
        form=form,
        ballot=ballot,
        option=option,
        kinds=BallotKind,
        form_errors=_errors(form, ["title", "key", "description", "cost", "floor", "ceiling"]),
    )


def _pounds_or_blank(pence: int | None) -> str:
    if pence is None:
        return ""
    pounds, rest = divmod(int(pence), 100)
    return str(pounds) if rest == 0 else f"{pounds}.{rest:02d}"


def add_option(ballot_id: int):
    ballot = _load(ballot_id)
    return _option_page(ballot, None)


def edit_option(ballot_id: int, option_id: int):
    ballot = _load(ballot_id)
    option = _load_option(ballot, option_id)
    return _option_page(ballot, option)


def remove_option(ballot_id: int, option_id: int):
    ballot = _load(ballot_id)
    option = _load_option(ballot, option_id)
    if ballot.status not in operations.EDITABLE:
        return _frozen(ballot, "options")
    form = ConfirmForm()
    if form.validate_on_submit():
        title = option.title
        operations.remove_option(option, ballot, by=_by())
        db.session.commit()
        flash(_("%(title)s removed.", title=title), "success")
        return redirect(url_for(".overview", ballot_id=ballot.id))
    return render_template("voting/manage/option_remove.html", form=form, ballot=ballot, option=option)


def move_option(ballot_id: int, option_id: int):
    ballot = _load(ballot_id)
    option = _load_option(ballot, option_id)
    if ballot.status not in operations.EDITABLE:
        return _frozen(ballot, "options")
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    operations.move_option(option, ballot, direction, by=_by())
    db.session.commit()
    return redirect(url_for(".overview", ballot_id=ballot.id, _anchor="options"))


# --- lifecycle -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LifecycleAction:
    """One step of a ballot's life an officer confirms on a page: what it runs, from which states, what it says.

    The sentences are whole (what was done; why it cannot be done now), so each translates as a sentence.
    """

    run: Callable[[Ballot, int | None], Any]
    allowed: tuple[BallotStatus, ...]
    done: Any
    refused: Any


LIFECYCLE = {
    "schedule": LifecycleAction(
        lambda b, by: operations.schedule_ballot(b, by=by),
        (BallotStatus.DRAFT,),
        _l("%(title)s scheduled."),
        _l("The status of this ballot is “%(status)s”, so it cannot be scheduled now."),
    ),
    "unschedule": LifecycleAction(
        lambda b, by: operations.unschedule_ballot(b, by=by),
        (BallotStatus.SCHEDULED,),
        _l("%(title)s taken back to draft."),
        _l("The status of this ballot is “%(status)s”, so it cannot be taken back to draft now."),
    ),
    "open": LifecycleAction(
        lambda b, by: operations.open_ballot(b, by=by),
        (BallotStatus.DRAFT, BallotStatus.SCHEDULED),
        _l("%(title)s opened."),
        _l("The status of this ballot is “%(status)s”, so it cannot be opened now."),
    ),
    "close": LifecycleAction(
        lambda b, by: operations.close_ballot(b, by),
        (BallotStatus.OPEN,),
        _l("%(title)s closed."),
        _l("The status of this ballot is “%(status)s”, so it cannot be closed now."),
    ),
}


def lifecycle_view(action: str) -> Callable[[int], Any]:
    """The view for one lifecycle action (a named function, as Flask and the CSRF checks expect)."""

    def view(ballot_id: int):
        return lifecycle_page(ballot_id, action)

    view.__name__ = view.__qualname__ = f"lifecycle_{action}"
    return view


def lifecycle_page(ballot_id: int, action: str):
    """A confirmation page (GET) and the change itself (POST), for schedule, unschedule, open and close."""
    ballot = _load(ballot_id)
    step = LIFECYCLE[action]
    if ballot.status not in step.allowed:
        return render_template(
            "voting/manage/not_allowed.html",
            ballot=ballot,
            message=str(step.refused) % {"status": operations.STATUS_WORDS[ballot.status]},
        ), 409
    form = ConfirmForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            step.run(ballot, _by())
        except operations.BallotNotReadyError as exc:
            db.session.rollback()
            problems = exc.problems
        except operations.IllegalTransitionError as exc:
            db.session.rollback()
            return render_template("voting/manage/not_allowed.html", ballot=ballot, message=exc.message), 409
        else:
            db.session.commit()
            flash(str(step.done) % {"title": ballot.title}, "success")
            return redirect(url_for(".overview", ballot_id=ballot.id))
    options = operations.ballot_options(ballot)
    return (
        render_template(
            "voting/manage/confirm.html",
            ballot=ballot,
            action=action,
            form=form,
            problems=problems,
            options=options,
            form_errors=[{"text": p, "href": "#confirm"} for p in problems],
        ),
        400 if problems else 200,
    )
