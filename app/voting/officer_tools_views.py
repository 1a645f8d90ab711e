"""Officers' tools: entering paper ballots (double entry) and recording proxies; proxy holders' votes.

Load → check → call an operation → render or redirect. No page ever shows what
an entry of a paper ballot says: the second officer types the paper without
seeing the first entry, and a confirmed paper's choices are cleared from its
entry.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db, login_manager
from app.i18n import gettext as _
from app.voting import paper_entry, queries
from app.voting import proxies as proxy_ops
from app.voting.forms import ConfirmForm
from app.voting.models import Ballot, BallotKind, PaperEntry, PaperEntryStatus, Proxy
from app.voting.operations import VotingError, ballot_options
from app.voting.papers import FieldError, PaperError, PaperFormError, form_state, paper_from_form
from app.voting.results_forms import PaperEntryForm, ProxyForm
from app.web.loading import get_or_404


def _load_managed(ballot_id: int) -> Ballot:
    ballot = get_or_404(Ballot, ballot_id)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not queries.can_manage(ballot):
        abort(403)
    return ballot


def _load_entry(ballot: Ballot, entry_id: int) -> PaperEntry:
    entry = get_or_404(PaperEntry, entry_id)
    if entry.ballot_id != ballot.id:
        abort(404)
    return entry


def _paper_context(ballot: Ballot, entered: dict[str, Any] | None, errors: list[FieldError]) -> dict[str, Any]:
    return {
        "options": ballot_options(ballot),
        "params": ballot.parameters if isinstance(ballot.parameters, dict) else {},
        "entered": entered or {"choices": set(), "choice": ""},
        "errors": {e.field: e.message for e in errors},
        "kinds": BallotKind,
    }


# -- paper ballots ---------------------------------------------------------------------------------


def paper_ballots(ballot_id: int):
    ballot = _load_managed(ballot_id)
    return render_template(
        "voting/officer_tools/paper_ballots.html",
        ballot=ballot,
        entries=sorted(paper_entry.entries(ballot), key=lambda e: e.serial),
        counts=paper_entry.entry_counts(ballot),
        statuses=PaperEntryStatus,
        me=current_user.id,
    )


def _entry_page(ballot: Ballot, form, *, entry: PaperEntry | None, errors: list[FieldError], entered, status: int):
    form_errors = [{"text": e.message, "href": f"#{e.field}"} for e in errors]
    return (
        render_template(
            "voting/officer_tools/enter_paper.html",
            ballot=ballot,
            form=form,
            entry=entry,
            form_errors=form_errors,
            **_paper_context(ballot, entered, errors),
        ),
        status,
    )


def enter_paper(ballot_id: int):
    """One officer's entry of a paper ballot: the first entry, or the second (by another officer)."""
    ballot = _load_managed(ballot_id)
    form = PaperEntryForm()
    if request.method == "GET":
        return _entry_page(ballot, form, entry=None, errors=[], entered=None, status=200)
    options = ballot_options(ballot)
    entered = form_state(ballot, options, request.form)
    errors: list[FieldError] = []
    if not form.validate_on_submit():
        errors += [FieldError("serial", form.serial.errors[0])] if form.serial.errors else []
    try:
        content = paper_from_form(ballot, options, request.form)
    except PaperFormError as exc:
        errors += exc.errors
    if errors:
        return _entry_page(ballot, form, entry=None, errors=errors, entered=entered, status=422)
    try:
        outcome = paper_entry.enter_paper(ballot, form.serial.data, content, officer_id=current_user.id)
    except PaperError as exc:
        db.session.rollback()
        return _entry_page(
            ballot,
            form,
            entry=None,
            errors=[FieldError(exc.field or "choices", exc.message)],
            entered=entered,
            status=422,
        )
    except (paper_entry.EntryError, VotingError) as exc:
        db.session.rollback()
        errors = [FieldError("serial", exc.message)]
        return _entry_page(ballot, form, entry=None, errors=errors, entered=entered, status=exc.status)
    db.session.commit()
    serial = form.serial.data
    message = {
        "first": _("Paper %(serial)s entered once. A different officer must now enter it again.", serial=serial),
        "confirmed": _("Paper %(serial)s entered twice with the same choices. It is in the ballot box.", serial=serial),
        "mismatch": _(
            "The two entries of paper %(serial)s differ. It needs a third look by another officer.", serial=serial
        ),
    }[outcome.step]
    flash(message, "success" if outcome.step != "mismatch" else "info")
    return redirect(url_for("council.voting_results.paper_ballots", ballot_id=ballot.id))


def third_look(ballot_id: int, entry_id: int):
    """A third officer types a mismatched paper again; it is confirmed if it agrees with either entry."""
    ballot = _load_managed(ballot_id)
    entry = _load_entry(ballot, entry_id)
    if entry.status is not PaperEntryStatus.MISMATCH:
        abort(404)
    form = ConfirmForm()
    if request.method == "GET":
        return _third_look_page(ballot, entry, form, [], None, 200)
    if not form.validate_on_submit():
        abort(400)
    options = ballot_options(ballot)
    entered = form_state(ballot, options, request.form)
    try:
        content = paper_from_form(ballot, options, request.form)
        paper_entry.resolve_mismatch(ballot, entry, content, officer_id=current_user.id)
    except PaperFormError as exc:
        return _third_look_page(ballot, entry, form, exc.errors, entered, 422)
    except PaperError as exc:
        db.session.rollback()
        return _third_look_page(ballot, entry, form, [FieldError(exc.field or "choices", exc.message)], entered, 422)
    except (paper_entry.EntryError, VotingError) as exc:
        if exc.status == 422:  # agrees with neither: that outcome is audited, so keep the record
            db.session.commit()
        else:
            db.session.rollback()
        return _third_look_page(ballot, entry, form, [FieldError("choices", exc.message)], entered, exc.status)
    db.session.commit()
    flash(_("Paper %(serial)s confirmed by a third look. It is in the ballot box.", serial=entry.serial), "success")
    return redirect(url_for("council.voting_results.paper_ballots", ballot_id=ballot.id))


def _third_look_page(ballot, entry, form, errors: list[FieldError], entered, status: int):
    return (
        render_template(
            "voting/officer_tools/third_look.html",
            ballot=ballot,
            entry=entry,
            form=form,
            form_errors=[{"text": e.message, "href": f"#{e.field}"} for e in errors],
            **_paper_context(ballot, entered, errors),
        ),
        status,
    )


def restart_paper(ballot_id: int, entry_id: int):
    ballot = _load_managed(ballot_id)
    entry = _load_entry(ballot, entry_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            paper_entry.restart_entry(ballot, entry, officer_id=current_user.id)
        except (paper_entry.EntryError, VotingError) as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("Paper %(serial)s will be entered afresh by two officers.", serial=entry.serial), "success")
        return redirect(url_for("council.voting_results.paper_ballots", ballot_id=ballot.id))
    return render_template("voting/officer_tools/restart_paper.html", ballot=ballot, entry=entry, form=form)


# -- proxies ---------------------------------------------------------------------------------------


def proxies(ballot_id: int):
    ballot = _load_managed(ballot_id)
    if ballot.kind is not BallotKind.RESOLUTION:
        abort(404)
    form = ProxyForm()
    errors: list[dict[str, str]] = []
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            member = proxy_ops.find_user(form.member_email.data)
            holder = proxy_ops.find_user(form.holder_email.data)
            if member is None:
                form.member_email.errors = [_("No account has that email address")]
            if holder is None:
                form.holder_email.errors = [_("No account has that email address")]
            if member is not None and holder is not None:
                try:
                    proxy_ops.record_proxy(ballot, member, holder, officer_id=current_user.id)
                except VotingError as exc:
                    db.session.rollback()
                    field = getattr(form, getattr(exc, "field", None) or "member_email")
                    field.errors = [exc.message]
                else:
                    db.session.commit()
                    flash(
                        _("%(holder)s now holds the proxy of %(member)s.", holder=holder.name, member=member.name),
                        "success",
                    )
                    return redirect(url_for("council.voting_results.proxies", ballot_id=ballot.id))
        for field in (form.member_email, form.holder_email):
            if field.errors:
                errors.append({"text": field.errors[0], "href": f"#{field.id}"})
        status = 422 if errors else 400
    return (
        render_template(
            "voting/officer_tools/proxies.html",
            ballot=ballot,
            form=form,
            rows=proxy_ops.proxies(ballot),
            cap=proxy_ops.proxy_cap(ballot),
            form_errors=errors,
        ),
        status,
    )


def remove_proxy(ballot_id: int, proxy_id: int):
    ballot = _load_managed(ballot_id)
    proxy = get_or_404(Proxy, proxy_id)
    if proxy.ballot_id != ballot.id:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            proxy_ops.remove_proxy(ballot, proxy, officer_id=current_user.id)
        except VotingError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The proxy has been withdrawn."), "success")
        return redirect(url_for("council.voting_results.proxies", ballot_id=ballot.id))
    return render_template("voting/officer_tools/remove_proxy.html", ballot=ballot, proxy=proxy, form=form)


def proxy_votes(ballot_id: int):
    """A proxy holder casts the vote of a member whose proxy they hold (one member per submission)."""
    ballot = get_or_404(Ballot, ballot_id)
    if not queries.visible_to_residents(ballot) or ballot.kind is not BallotKind.RESOLUTION:
        abort(404)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    held = proxy_ops.held_proxies(ballot, current_user.id)
    errors: list[FieldError] = []
    entered = None
    code = None
    voted_for = None
    status = 200
    if request.method == "POST":
        form = ConfirmForm()
        if not form.validate_on_submit():
            abort(400)
        member_id = request.form.get("member", "")
        member = next((m for p, m, _ in held if str(m.id) == member_id), None)
        options = ballot_options(ballot)
        entered = form_state(ballot, options, request.form)
        if member is None:
            errors.append(FieldError("member", _("Choose the member you are voting for")))
        try:
            content = paper_from_form(ballot, options, request.form)
        except PaperFormError as exc:
            errors += exc.errors
        if not errors:
            try:
                code = proxy_ops.cast_proxy_vote(ballot, current_user._get_current_object(), member.id, content)
            except (VotingError, PaperError) as exc:
                db.session.rollback()
                errors.append(FieldError("member", exc.message))
                status = getattr(exc, "status", 422)
            else:
                db.session.commit()
                voted_for = member
                held = proxy_ops.held_proxies(ballot, current_user.id)
        if errors and status == 200:
            status = 422
    return (
        render_template(
            "voting/officer_tools/proxy_votes.html",
            ballot=ballot,
            held=held,
            form=ConfirmForm(),
            code=code,
            voted_for=voted_for,
            form_errors=[{"text": e.message, "href": f"#{e.field}"} for e in errors],
            **_paper_context(ballot, entered, errors),
        ),
        status,
    )
