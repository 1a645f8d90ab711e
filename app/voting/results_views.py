"""Results pages, downloads, and the officers' count, publish and override pages.

Load → check → call an operation → render or redirect. A result is public once
the ballot is published; officers who manage the ballot see it (marked "not
published") as soon as it is counted. Anything else is a 404, as if the result
did not exist yet.
"""

from __future__ import annotations

import json
import math

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db, login_manager
from app.i18n import gettext as _
from app.voting import counting, exports, queries
from app.voting.forms import ConfirmForm
from app.voting.models import Ballot, BallotKind, BallotResult, BallotStatus
from app.voting.operations import VotingError
from app.voting.results_display import GREEDY_VERSUS_EQUAL_SHARES, build_view, pounds
from app.voting.results_forms import OverrideForm
from app.web.loading import get_or_404

RECEIPTS_PER_PAGE = 1000
COUNTED = (BallotStatus.COUNTED, BallotStatus.PUBLISHED)


def _load_result(ballot_id: int) -> tuple[Ballot, BallotResult]:
    """The ballot and its result, if the person asking may see it; else 404."""
    ballot = get_or_404(Ballot, ballot_id)
    public = ballot.status is BallotStatus.PUBLISHED and queries.visible_to_residents(ballot)
    if not public and not (ballot.status in COUNTED and queries.can_manage(ballot)):
        abort(404)
    result = counting.current_result(ballot)
    if result is None:
        abort(404)
    return ballot, result


def _load_managed(ballot_id: int) -> Ballot:
    ballot = get_or_404(Ballot, ballot_id)
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not queries.can_manage(ballot):
        abort(403)
    return ballot


def recount_command(ballot: Ballot, filename: str) -> str:
    """The shell command that recounts the exported papers to the published hash."""
    parts = ["rochdale tally", filename, "--method", ballot.method]
    if ballot.kind is BallotKind.PB:
        parts += ["--utility", (ballot.parameters or {}).get("utility", "cost")]
    if ballot.tie_break_rule == "lot" and ballot.tie_break_seed:
        parts += ["--seed", ballot.tie_break_seed]
    return " ".join(parts)


def _paper_download(ballot: Ballot) -> tuple[str, str] | None:
    if ballot.kind is BallotKind.RANKED:
        return "ballots.blt", "council.voting_results.ballots_blt"
    if ballot.kind in (BallotKind.PB, BallotKind.APPROVAL, BallotKind.DIVISION):
        return "ballots.pb", "council.voting_results.ballots_pb"
    return None


def results(ballot_id: int):
    ballot, result = _load_result(ballot_id)
    options = counting.ballot_options(ballot)
    view = build_view(ballot, options, result, counting.ballot_spec(ballot, options))
    papers = counting.paper_count(ballot)
    turnout = None
    if ballot.electorate_size:
        turnout = f"{papers / ballot.electorate_size:.1%}"
    download = _paper_download(ballot)
    return render_template(
        "voting/results/result.html",
        ballot=ballot,
        result=result,
        view=view,
        papers=papers,
        turnout=turnout,
        published=ballot.status is BallotStatus.PUBLISHED,
        manager=queries.can_manage(ballot),
        paper_download=download,
        recount=recount_command(ballot, download[0]) if download else None,
        explanation=GREEDY_VERSUS_EQUAL_SHARES,
        pounds=pounds,
    )


def receipts(ballot_id: int):
    """Every paper's receipt hash, sorted, a page at a time."""
    ballot, _ = _load_result(ballot_id)
    total = counting.paper_count(ballot)
    pages = max(1, math.ceil(total / RECEIPTS_PER_PAGE))
    page = request.args.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= pages:
        abort(404)
    number = int(page)
    shown = counting.receipt_hashes(ballot, offset=(number - 1) * RECEIPTS_PER_PAGE, limit=RECEIPTS_PER_PAGE)
    return render_template(
        "voting/results/receipts.html",
        ballot=ballot,
        hashes=shown,
        total=total,
        page=number,
        pages=pages,
        first=(number - 1) * RECEIPTS_PER_PAGE + 1,
        published=ballot.status is BallotStatus.PUBLISHED,
    )


def _download(body: str | bytes, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _name(ballot: Ballot, suffix: str) -> str:
    return f"{g.council.slug}-ballot-{ballot.id}-{suffix}"


def result_json(ballot_id: int):
    """The canonical result document, byte for byte as hashed."""
    ballot, result = _load_result(ballot_id)
    return _download(result.document.encode("utf-8"), _name(ballot, "result.json"), "application/json")


def result_csv(ballot_id: int):
    ballot, result = _load_result(ballot_id)
    body = exports.results_csv(ballot, json.loads(result.document))
    return _download(body, _name(ballot, "result.csv"), "text/csv")


def ballots_blt(ballot_id: int):
    ballot, _ = _load_result(ballot_id)
    if ballot.kind is not BallotKind.RANKED:
        abort(404)
    return _download(exports.ballots_blt(ballot), _name(ballot, "ballots.blt"), "text/plain")


def ballots_pb(ballot_id: int):
    ballot, _ = _load_result(ballot_id)
    if ballot.kind not in (BallotKind.PB, BallotKind.APPROVAL, BallotKind.DIVISION):
        abort(404)
    try:
        body = exports.ballots_pb(ballot, unit=g.council.name)
    except exports.ExportError:
        abort(404)
    return _download(body, _name(ballot, "ballots.pb"), "text/plain")


def ballots_csv(ballot_id: int):
    ballot, _ = _load_result(ballot_id)
    return _download(exports.ballots_csv(ballot), _name(ballot, "ballots.csv"), "text/csv")


# -- officers --------------------------------------------------------------------------------------


def count_page(ballot_id: int):
    """Where an officer runs the count, follows it, and publishes the result."""
    ballot = _load_managed(ballot_id)
    return _count_page(ballot)


def _count_page(ballot: Ballot, *, error: str | None = None, status: int = 200):
    from app.voting.paper_entry import entry_counts

    return (
        render_template(
            "voting/officer_tools/count.html",
            ballot=ballot,
            form=ConfirmForm(),
            papers=counting.paper_count(ballot),
            participation=queries.participation_count(ballot),
            entries=entry_counts(ballot),
            progress=counting.count_progress(ballot),
            result=counting.current_result(ballot),
            error=error,
            form_errors=[{"text": error, "href": "#run-count"}] if error else [],
        ),
        status,
    )


def run_count(ballot_id: int):
    ballot = _load_managed(ballot_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        counting.request_count(ballot, actor_user_id=current_user.id)
    except counting.CountError as error:
        db.session.rollback()
        return _count_page(ballot, error=str(error), status=409)
    db.session.commit()
    flash(_("The count has started. This page shows how far it has got; refresh it to see the result."), "success")
    return redirect(url_for("council.voting_results.count", ballot_id=ballot.id))


def publish(ballot_id: int):
    ballot = _load_managed(ballot_id)
    result = counting.current_result(ballot)
    if ballot.status is not BallotStatus.COUNTED or result is None:
        return _count_page(ballot, error=_("Only a counted ballot can be published"), status=409)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            counting.publish(ballot, actor_user_id=current_user.id)
        except (counting.CountError, VotingError) as error:
            db.session.rollback()
            return _count_page(ballot, error=str(error), status=409)
        db.session.commit()
        flash(_("The result is published."), "success")
        return redirect(url_for("council.voting_results.results", ballot_id=ballot.id))
    return render_template("voting/officer_tools/publish.html", ballot=ballot, form=form, result=result)


def override(ballot_id: int):
    """Change which projects a participatory budget funds, with a published reason."""
    ballot = _load_managed(ballot_id)
    result = counting.current_result(ballot)
    if ballot.kind is not BallotKind.PB or result is None or ballot.status not in COUNTED:
        abort(404)
    options = counting.ballot_options(ballot)
    form = OverrideForm()
    form.selected.choices = [(o.key, o.title) for o in options]
    errors: list[dict[str, str]] = []
    if request.method == "GET":
        current = json.loads(result.override_document or result.document)
        form.selected.data = list(current["selected"])
    elif form.validate_on_submit():
        try:
            counting.override_outcome(
                ballot, selected=form.selected.data or [], reason=form.reason.data, actor_user_id=current_user.id
            )
        except counting.CountError as error:
            db.session.rollback()
            errors.append({"text": str(error), "href": "#selected"})
        else:
            db.session.commit()
            flash(_("The outcome has been changed. The reason is shown with the result."), "success")
            return redirect(url_for("council.voting_results.results", ballot_id=ballot.id))
    if form.reason.errors:
        errors.append({"text": form.reason.errors[0], "href": "#reason"})
    status = 422 if errors else 200
    return (
        render_template(
            "voting/officer_tools/override.html",
            ballot=ballot,
            form=form,
            options=options,
            form_errors=errors,
            pounds=pounds,
        ),
        status,
    )
