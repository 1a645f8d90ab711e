"""Residents' ballot pages: the list, a ballot and its paper, casting, receipts.

Load → check → call an operation → render. Casting renders the receipt code
straight into the response (it is never stored, so there is no page to
redirect to); reloading that page re-sends the vote and is refused as a
second vote, which keeps the first paper and its receipt.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template, request
from flask_login import current_user

from app.extensions import db, login_manager
from app.i18n import _l
from app.i18n import gettext as _
from app.voting import open_ballots, operations, option_cache, papers, queries, receipts
from app.voting.electorate import is_eligible
from app.voting.forms import PaperForm, ReceiptForm
from app.voting.models import Ballot, BallotKind, BallotStatus
from app.web.kept_pages import render_kept
from app.web.loading import get_or_404
from tenants.context import current_council_id

ALREADY_VOTED_DETAIL = _l(
    "Your vote was recorded once, when you first sent it, and that is the vote that counts. "
    "Keep the receipt code you were given then: it still stands."
)


def _load_visible(ballot_id: int, *, lock_for_share: bool = False) -> Ballot:
    ballot = get_or_404(Ballot, ballot_id, lock_for_share=lock_for_share)
    if not queries.visible_to_residents(ballot):
        abort(404)
    return ballot


def index():
    """Open ballots (for a signed-in person, those they may vote in), then closed ones and results."""
    user_id = current_user.id if current_user.is_authenticated else None
    listing = queries.resident_ballots(user_id)
    if user_id is not None:
        listing.open[:] = [b for b in listing.open if b.id in listing.voted or is_eligible(b, current_user)[0]]
    return render_template("voting/index.html", listing=listing, is_staff=queries.is_staff())


def _voter_state(ballot: Ballot) -> tuple[str, str]:
    """What the person can do: ``can_vote``, or why not (``sign_in``, ``closed``, ``not_eligible``, ``voted``)."""
    refusal = operations.window_refusal(ballot)
    if refusal:
        return "closed", refusal
    if not current_user.is_authenticated:
        return "sign_in", _("Sign in to vote in this ballot.")
    eligible, reason = is_eligible(ballot, current_user)
    if not eligible:
        return "not_eligible", reason
    if operations.has_voted(ballot, current_user.id):
        return "voted", _("You have already voted in this ballot.")
    return "can_vote", ""


def _paper_page(
    ballot: Ballot,
    *,
    state: tuple[str, str],
    errors: list[papers.FieldError] | None = None,
    entered: dict[str, Any] | None = None,
    status: int = 200,
):
    options = operations.ballot_options(ballot)
    errors = errors or []
    return (
        render_template(
            "voting/ballot.html",
            ballot=ballot,
            options=options,
            state=state[0],
            reason=state[1],
            form=PaperForm(),
            entered=entered or {"choices": set(), "choice": ""},
            errors={e.field: e.message for e in errors},
            form_errors=[{"text": e.message, "href": f"#{e.field}"} for e in errors],
            params=ballot.parameters if isinstance(ballot.parameters, dict) else {},
            kinds=BallotKind,
            published=ballot.status is BallotStatus.PUBLISHED,
        ),
        status,
    )


def ballot(ballot_id: int):
    ballot = _load_visible(ballot_id)
    return _paper_page(ballot, state=_voter_state(ballot))


def _refused(ballot: Ballot, error: operations.VotingError):
    detail = ALREADY_VOTED_DETAIL if isinstance(error, operations.AlreadyVotedError) else None
    return (
        render_template("voting/refused.html", ballot=ballot, message=error.message, detail=detail),
        error.status,
    )


def _refusal(ballot: Ballot) -> tuple[tuple[str, str], Any]:
    """The person's state, and the refusal page to answer with if they cannot vote (else ``None``)."""
    state, reason = _voter_state(ballot)
    errors = {
        "closed": operations.NotOpenError,
        "not_eligible": operations.NotEligibleError,
        "voted": operations.AlreadyVotedError,
    }
    if state in errors:
        error = errors[state](reason) if state != "voted" else operations.AlreadyVotedError()
        return (state, reason), _refused(ballot, error)
    return (state, reason), None


def vote(ballot_id: int):
    """Read the paper; show it back for checking, or (``confirm=yes``) cast it and show the receipt.

    Casting is the hot path, so it does not check twice: ``cast_vote`` checks the
    window, the electorate and an earlier vote under the ballot's lock, and the
    person's state is looked up here only for pages that need it.
    """
    confirm = request.form.get("confirm") == "yes" and request.form.get("action") != "change"
    # Casting works from a snapshot of the open ballot when there is one (the insert proves it current),
    # else reads the row locked, as casting would, so it is not read twice.
    ballot = _snapshot_or_load(ballot_id) if confirm else _load_visible(ballot_id)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    state: tuple[str, str] = ("can_vote", "")
    if not confirm:
        state, refused = _refusal(ballot)
        if refused is not None:
            return refused
    options = option_cache.frozen_options(ballot)
    entered = papers.form_state(ballot, options, request.form)
    try:
        content = papers.paper_from_form(ballot, options, request.form)
    except papers.PaperFormError as exc:
        if isinstance(ballot, open_ballots.BallotSnapshot):
            # Like any refusal based on a snapshot, a paper that does not fit it is checked again against
            # the ballot read afresh (the snapshot may be of an earlier row with the same id).
            open_ballots.forget(current_council_id(), ballot_id)
            return vote(ballot_id)
        state, refused = _refusal(ballot)
        if refused is not None:  # not allowed to vote at all: say that, not what was wrong with the paper
            return refused
        return _paper_page(ballot, state=state, errors=exc.errors, entered=entered, status=422)
    if request.form.get("action") == "change":
        return _paper_page(ballot, state=state, entered=entered)
    if not confirm:
        return render_template(
            "voting/check.html",
            ballot=ballot,
            rows=papers.summary_rows(ballot, options, content),
            hidden=papers.form_values(ballot, options, content),
            form=PaperForm(),
        )
    try:
        return _cast(ballot, content, options)
    except operations.CastingError as exc:  # the statement failed: the transaction is unusable
        db.session.rollback()
        return _refused(ballot, exc)
    except operations.VotingError as exc:
        # A refusal (already voted, closed, not eligible) stored nothing and left the transaction usable:
        # rendered first, like the receipt, so the rollback's expiry reloads nothing for the page.
        refused = _refused(ballot, exc)
        db.session.rollback()
        return refused
    except papers.PaperError as exc:
        db.session.rollback()
        error = papers.FieldError(exc.field or "choices", exc.message)
        return _paper_page(ballot, state=state, errors=[error], entered=entered, status=422)


def _snapshot_or_load(ballot_id: int) -> Ballot | open_ballots.BallotSnapshot:
    """The open ballot's snapshot (no read), or the row read ``FOR SHARE`` (and snapshotted for the next vote)."""
    snapshot = open_ballots.cached(current_council_id(), ballot_id)
    if snapshot is not None and queries.visible_to_residents(snapshot):
        return snapshot
    ballot = _load_visible(ballot_id, lock_for_share=True)
    open_ballots.remember(ballot)
    return ballot


def _cast(ballot: Ballot | open_ballots.BallotSnapshot, content: Any, options: Any) -> str:
    """Cast the vote and commit; the receipt page. A refusal based on a snapshot is checked again against the row."""
    user = current_user._get_current_object()
    try:
        return _cast_and_commit(ballot, user, content, options)
    except (operations.StaleBallotError, operations.NotOpenError, operations.NotEligibleError):
        if not isinstance(ballot, open_ballots.BallotSnapshot):
            raise
        open_ballots.forget(ballot.council_id, ballot.id)
    fresh = _load_visible(ballot.id, lock_for_share=True)
    open_ballots.remember(fresh)
    return _cast_and_commit(fresh, user, content, option_cache.frozen_options(fresh))


def _cast_and_commit(ballot: Ballot | open_ballots.BallotSnapshot, user: Any, content: Any, options: Any) -> str:
    """Check the vote, render its receipt page, then store it and commit in one round trip (``store_vote``)."""
    vote = operations.check_vote(ballot, user, content, options=options, already_locked=True)
    # Rendered before the rows are sent, as they go with the COMMIT; answered only once that has committed.
    # The page is the same for every voter in this ballot but for the code: kept (app/web/kept_pages.py).
    page = render_kept("voting/cast.html", {"code": vote.code}, ballot=ballot)
    operations.store_vote(vote, commit=True)
    return page


def receipt(ballot_id: int):
    """Check a receipt code against the published list (POST, so codes stay out of access logs)."""
    ballot = _load_visible(ballot_id)
    form = ReceiptForm()
    result = None
    published = ballot.status is BallotStatus.PUBLISHED
    if published and form.validate_on_submit():
        if receipts.normalise(form.code.data) is None:
            form.code.errors = [_("Enter your receipt code: 16 letters and numbers, like 7K3M-Q9TX-2B8D-WR4F")]
        else:
            result = "included" if queries.receipt_included(ballot, form.code.data) else "not_found"
    form_errors = [{"text": form.code.errors[0], "href": "#code"}] if form.code.errors else []
    return render_template(
        "voting/receipt.html",
        ballot=ballot,
        form=form,
        result=result,
        published=published,
        form_errors=form_errors,
        papers_total=queries.paper_count(ballot) if published else None,
    )


def receipt_list(ballot_id: int):
    """Every paper's receipt hash, sorted, one a line: the published ballot box."""
    ballot = _load_visible(ballot_id)
    if ballot.status is not BallotStatus.PUBLISHED:
        abort(404)
    body = "".join(f"{h}\n" for h in queries.published_receipt_hashes(ballot))
    response = Response(body, mimetype="text/plain")
    response.headers["Content-Disposition"] = f'attachment; filename="ballot-{ballot.id}-receipts.txt"'
    return response
