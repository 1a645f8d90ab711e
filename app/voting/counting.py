"""Counting a closed ballot, publishing the result and overriding a PB outcome.

The count runs as a job (``workers.jobs.counting.count_ballot``) whose body is
:func:`run_count`:

1. take a per-ballot advisory lock for the transaction, so two workers never
   count the same ballot at once;
2. load the papers with SQLAlchemy Core (no ORM objects): PostgreSQL groups
   identical contents and returns each with the number of papers carrying it,
   so 100,000 papers arrive as one row per distinct content;
3. count them with :func:`app.voting.tally.count_papers` under the ballot's
   frozen rules, tie-break rule and seed;
4. ``INSERT ... ON CONFLICT (council_id, ballot_id, rules_version) DO NOTHING``
   the canonical result. A rerun (a duplicate delivery, a retry after
   ``kill -9``) finds the first result and compares hashes: equal, nothing to
   do; different, an ERROR alert is logged and audited and the first result
   is kept. The first store moves the ballot to *counted* and audits
   ``ballot.counted`` with the SHA-256.

All of it commits once, in the job wrapper's transaction. Operations here flush
and never commit.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import Text, cast, func, literal, select
from sqlalchemy.dialects.postgresql import insert

from app.audit.operations import record_event
from app.extensions import db
from app.i18n import LazyString, _l, ngettext
from app.i18n.stored import stored_gettext, stored_ngettext
from app.voting.methods.canonical import canonical_json
from app.voting.models import (
    Ballot,
    BallotKind,
    BallotOption,
    BallotPaper,
    BallotResult,
    BallotStatus,
    Channel,
    PaperEntry,
    PaperEntryStatus,
)
from app.voting.operations import lock_ballot as lock_row
from app.voting.operations import transition
from app.voting.tally import PB_METHODS, BallotSpec, Tally, TallyError, count_papers
from tenants.context import current_council_id
from workers import progress

log = logging.getLogger(__name__)

SUBJECT = "voting_ballot"
JOB_KIND = "voting.count"
COUNTABLE = (BallotStatus.CLOSED, BallotStatus.COUNTED, BallotStatus.PUBLISHED)
# An override must say why, in a sentence or more.
MIN_REASON_LENGTH = 20
MAX_REASON_LENGTH = 5000
COUNT_WORK_MEM = "64MB"


class CountError(ValueError):
    """A count, publication or override that the rules refuse; the message says why."""


@dataclass(frozen=True)
class PaperLoad:
    """A ballot's papers as counted: distinct contents with their number of papers."""

    papers: list[tuple[Any, int]]
    proxy_papers: list[tuple[Any, int]]
    total: int


@dataclass(frozen=True)
class CountOutcome:
    """What a run of the count did: ``stored`` (first result), ``same`` or ``mismatch``."""

    status: str
    sha256: str
    stored_sha256: str
    papers: int


# -- reading ---------------------------------------------------------------------------------------


def ballot_options(ballot: Ballot) -> list[BallotOption]:
    """The ballot's options in ballot-paper order."""
    return list(
        db.session.scalars(
            select(BallotOption)
            .where(BallotOption.ballot_id == ballot.id)
            .order_by(BallotOption.position, BallotOption.id)
        )
    )


def ballot_spec(ballot: Ballot, options: Sequence[BallotOption] | None = None) -> BallotSpec:
    """The plain description of ``ballot`` that the count and the exports read."""
    options = ballot_options(ballot) if options is None else options
    return BallotSpec(
        kind=ballot.kind.value,
        method=ballot.method,
        options=tuple(o.key for o in options),
        parameters=dict(ballot.parameters or {}),
        costs_pence={o.key: o.cost_pence for o in options if o.cost_pence is not None},
        tie_break_rule=ballot.tie_break_rule,
        tie_break_seed=ballot.tie_break_seed,
        electorate_size=ballot.electorate_size,
        title=ballot.title,
    )


def load_papers(ballot: Ballot) -> PaperLoad:
    """Every paper of ``ballot``, grouped by content in PostgreSQL (no ORM objects).

    A paper cast under other rules than the ballot's frozen rules version is
    refused (:class:`CountError`): it would be counted under rules it was not
    cast under.
    """
    stray = db.session.scalar(
        select(func.count())
        .select_from(BallotPaper)
        .where(BallotPaper.ballot_id == ballot.id, BallotPaper.rules_version != ballot.rules_version)
    )
    if stray:
        raise CountError(
            _l("%(count)s papers were cast under different rules from the ballot's; nothing was counted", count=stray)
        )
    # PostgreSQL groups identical papers and hands back, in one row, the distinct contents as
    # one JSON array text (parsed by a single json.loads) with their counts and channels:
    # several times faster than decoding each JSONB value, or each row, in Python.
    content = cast(BallotPaper.content, Text)
    grouped = (
        select(content.label("content"), cast(BallotPaper.channel, Text).label("channel"), func.count().label("n"))
        # The council is named outright: the ORM's council filter may not reach into a subquery.
        .where(BallotPaper.council_id == current_council_id(), BallotPaper.ballot_id == ballot.id)
        .group_by(content, BallotPaper.channel)
        .subquery()
    )
    # Enough memory for the grouping of 100,000 papers to stay out of temporary files.
    db.session.execute(select(func.set_config("work_mem", COUNT_WORK_MEM, True)))
    joined, counts, channels = db.session.execute(
        select(
            func.string_agg(grouped.c.content, literal(",")),
            func.array_agg(grouped.c.n),
            func.array_agg(grouped.c.channel),
        )
    ).one()
    contents = json.loads(f"[{joined}]") if joined else []
    counts, channels = counts or [], channels or []
    proxy = Channel.PROXY.value
    papers = [(c, n) for c, n, ch in zip(contents, counts, channels, strict=True) if ch != proxy]
    proxies = [(c, n) for c, n, ch in zip(contents, counts, channels, strict=True) if ch == proxy]
    if proxies and ballot.kind is not BallotKind.RESOLUTION:
        papers += proxies
        proxies = []
    return PaperLoad(papers, proxies, sum(counts))


def tally_ballot(ballot: Ballot) -> tuple[Tally, PaperLoad]:
    """Load and count ``ballot``'s papers (no writes)."""
    load = load_papers(ballot)
    try:
        return count_papers(ballot_spec(ballot), load.papers, load.proxy_papers), load
    except TallyError as error:
        raise CountError(_l("The count could not run: %(error)s", error=str(error))) from None


def current_result(ballot: Ballot) -> BallotResult | None:
    """The stored result for the ballot's current rules version, if counted."""
    return db.session.scalar(
        select(BallotResult).where(
            BallotResult.ballot_id == ballot.id, BallotResult.rules_version == ballot.rules_version
        )
    )


def paper_count(ballot: Ballot) -> int:
    return db.session.scalar(select(func.count()).select_from(BallotPaper).where(BallotPaper.ballot_id == ballot.id))


def receipt_hashes(ballot: Ballot, *, offset: int = 0, limit: int | None = None) -> list[str]:
    """The papers' receipt hashes, sorted (the published list), or a page of them."""
    query = (
        select(BallotPaper.receipt_hash)
        .where(BallotPaper.ballot_id == ballot.id)
        .order_by(BallotPaper.receipt_hash)
        .offset(offset)
    )
    return list(db.session.scalars(query if limit is None else query.limit(limit)))


# -- the count -------------------------------------------------------------------------------------


def lock_ballot(ballot_id: int) -> None:
    """A transaction-scoped advisory lock on one ballot's count, publication and overrides."""
    key = f"rochdale.count:{current_council_id()}:{ballot_id}"
    db.session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


def run_count(ballot_id: int, *, checkpoint: Callable[[str], None] | None = None) -> CountOutcome | None:
    """Count ballot ``ballot_id`` and store its result once (steps in the module docstring).

    Writes progress to the job's ``JobRun`` when it runs inside a job.
    ``checkpoint(stage)`` is called after loading (``"loaded"``) and after
    counting (``"counted"``); tests use it to stop a worker mid-count. Returns
    ``None`` if the ballot no longer exists.
    """
    in_job = progress.current_job_id() is not None
    lock_ballot(ballot_id)
    ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
    if ballot is None:
        log.warning("count of ballot %s skipped: no such ballot in council %s", ballot_id, current_council_id())
        return None
    # The row lock waits for papers being entered (they hold it in share mode) and keeps new
    # ones out until this count commits, so the count sees every paper or none of a batch.
    ballot = lock_row(ballot)
    if ballot.status not in COUNTABLE:
        raise CountError(
            _l(
                "Ballot %(id)s has the status “%(status)s”; only a closed ballot can be counted",
                id=ballot_id,
                status=ballot.status.value,
            )
        )
    if not ballot.rules_version:
        raise CountError(_l("Ballot %(id)s has no frozen rules version", id=ballot_id))
    unfinished = unfinished_paper_entries(ballot)
    if unfinished and ballot.status is BallotStatus.CLOSED:
        raise CountError(
            _l(
                "Ballot %(id)s has %(count)s paper ballots still being entered; finish them first",
                id=ballot_id,
                count=unfinished,
            )
        )
    if in_job:
        progress.start_run(None, JOB_KIND, total=3)

    load = load_papers(ballot)
    if in_job:
        progress.report_progress(
            1,
            message=stored_ngettext(
                "Loaded %(count)s paper", "Loaded %(count)s papers", load.total, count=f"{load.total:,}"
            ),
        )
    if checkpoint:
        checkpoint("loaded")
    try:
        tally = count_papers(ballot_spec(ballot), load.papers, load.proxy_papers)
    except TallyError as error:
        raise CountError(
            _l("The count of ballot %(id)s could not run: %(error)s", id=ballot_id, error=str(error))
        ) from None
    if in_job:
        progress.report_progress(2, message=stored_gettext("Counted"))
    if checkpoint:
        checkpoint("counted")

    outcome = store_result(ballot, tally, load.total)
    if in_job:
        progress.finish_run(
            stored_ngettext(
                "Counted %(count)s paper; result %(result)s",
                "Counted %(count)s papers; result %(result)s",
                load.total,
                count=f"{load.total:,}",
                result=outcome.stored_sha256[:12],
            )
        )
    return outcome


def store_result(ballot: Ballot, tally: Tally, papers: int) -> CountOutcome:
    """Insert the result once per (ballot, rules version); on a rerun compare hashes.

    The caller holds :func:`lock_ballot`.
    """
    inserted = db.session.execute(
        insert(BallotResult)
        .values(
            council_id=current_council_id(),
            ballot_id=ballot.id,
            rules_version=ballot.rules_version,
            document=tally.document.decode("utf-8"),
            sha256=tally.sha256,
            computed_at=datetime.now(UTC),
        )
        .on_conflict_do_nothing(index_elements=["council_id", "ballot_id", "rules_version"])
        .returning(BallotResult.id)
    ).scalar_one_or_none()
    if inserted is not None:
        _mark_counted(ballot)
        record_event(
            "ballot.counted",
            SUBJECT,
            ballot.id,
            payload={
                "sha256": tally.sha256,
                "rules_version": ballot.rules_version,
                "method": ballot.method,
                "papers": papers,
                "tie_break": {"rule": ballot.tie_break_rule, "seed": ballot.tie_break_seed or ""},
            },
        )
        db.session.flush()
        log.info("ballot %s counted: %d papers, sha256 %s", ballot.id, papers, tally.sha256)
        return CountOutcome("stored", tally.sha256, tally.sha256, papers)

    stored = db.session.scalar(
        select(BallotResult.sha256).where(
            BallotResult.ballot_id == ballot.id, BallotResult.rules_version == ballot.rules_version
        )
    )
    _mark_counted(ballot)  # a result exists, so the ballot has been counted
    if stored == tally.sha256:
        log.info("ballot %s recounted: same result (sha256 %s); nothing to do", ballot.id, stored)
        return CountOutcome("same", tally.sha256, stored, papers)
    log.error(
        "ALERT: recount of ballot %s in council %s gave sha256 %s but the stored result is %s; "
        "the first result is kept",
        ballot.id,
        current_council_id(),
        tally.sha256,
        stored,
    )
    record_event(
        "ballot.recount_mismatch",
        SUBJECT,
        ballot.id,
        payload={"stored_sha256": stored, "recount_sha256": tally.sha256, "rules_version": ballot.rules_version},
    )
    return CountOutcome("mismatch", tally.sha256, stored, papers)


def _mark_counted(ballot: Ballot) -> None:
    if ballot.status is BallotStatus.CLOSED:
        transition(lock_row(ballot), BallotStatus.COUNTED)


# -- asking for a count ----------------------------------------------------------------------------


def count_job_id(ballot: Ballot) -> str:
    """The deterministic RQ job id of the count of ``ballot`` under its rules version.

    The same request twice is one job. A count that failed for good leaves its
    outbox row FAILED (the outbox never re-sends an id); asking again then
    gets the next id in a numbered series, so an officer can retry after a fix.
    """
    from workers.models import OutboxJob, OutboxStatus
    from workers.spec import rq_job_id

    base = rq_job_id(f"voting-count-{current_council_id()}-{ballot.id}-{(ballot.rules_version or 'none')[:16]}")
    failed = db.session.scalar(
        select(func.count())
        .select_from(OutboxJob)
        .where(OutboxJob.job_id.like(f"{base}%"), OutboxJob.status == OutboxStatus.FAILED)
    )
    return base if not failed else f"{base}-r{failed}"


def request_count(ballot: Ballot, *, actor_user_id: int | None) -> str:
    """Ask for the count of a closed ballot: enqueued after commit, with a progress row. Returns the job id."""
    from workers.enqueue import enqueue_after_commit
    from workers.jobs.counting import count_ballot
    from workers.models import JobRun

    if ballot.status is not BallotStatus.CLOSED:
        raise CountError(_l("Only a closed ballot can be counted"))
    unfinished = unfinished_paper_entries(ballot)
    if unfinished:
        raise CountError(
            LazyString(
                lambda: ngettext(
                    "%(num)d paper ballot is still waiting for a second entry or a third look. "
                    "Finish it before running the count.",
                    "%(num)d paper ballots are still waiting for a second entry or a third look. "
                    "Finish them before running the count.",
                    unfinished,
                )
            )
        )
    job_id = count_job_id(ballot)
    enqueue_after_commit(count_ballot, ballot.id, council_id=current_council_id(), job_id=job_id)
    if db.session.scalar(select(JobRun.id).where(JobRun.job_id == job_id)) is None:
        progress.create_run(job_id, JOB_KIND, total=3)
        record_event(
            "ballot.count_requested", SUBJECT, ballot.id, payload={"job_id": job_id}, actor_user_id=actor_user_id
        )
    return job_id


def unfinished_paper_entries(ballot: Ballot) -> int:
    """Paper ballots entered once, or entered twice differently: not yet in the ballot box."""
    return db.session.scalar(
        select(func.count())
        .select_from(PaperEntry)
        .where(PaperEntry.ballot_id == ballot.id, PaperEntry.status != PaperEntryStatus.CONFIRMED)
    )


def count_progress(ballot: Ballot):
    """The latest progress row of this ballot's count, if one was asked for."""
    from workers.models import JobRun

    return db.session.scalar(
        select(JobRun)
        .where(JobRun.kind == JOB_KIND, JobRun.job_id.like(f"voting-count-{current_council_id()}-{ballot.id}-%"))
        .order_by(JobRun.created_at.desc(), JobRun.id.desc())
        .limit(1)
    )


# -- publication and overrides ---------------------------------------------------------------------


def publish(ballot: Ballot, *, actor_user_id: int | None) -> BallotResult:
    """Publish a counted ballot's result (counted -> published); audited with the SHA-256."""
    lock_ballot(ballot.id)
    ballot = lock_row(ballot)
    if ballot.status is not BallotStatus.COUNTED:
        raise CountError(_l("Only a counted ballot can be published"))
    result = current_result(ballot)
    if result is None:
        raise CountError(_l("There is no result to publish: run the count first"))
    transition(ballot, BallotStatus.PUBLISHED)
    payload = {"sha256": result.sha256, "rules_version": result.rules_version}
    if result.override_document:
        payload["override_sha256"] = document_sha256(result.override_document)
    record_event("ballot.published", SUBJECT, ballot.id, payload=payload, actor_user_id=actor_user_id)
    db.session.flush()
    return result


def document_sha256(document: str) -> str:
    """Hex SHA-256 of a stored canonical document's UTF-8 bytes."""
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def override_outcome(
    ballot: Ballot, *, selected: Sequence[str], reason: str, actor_user_id: int | None
) -> BallotResult:
    """Replace a PB ballot's funded projects, with a written reason shown beside the result.

    The counted result is kept unchanged (and its hash still verifies); the
    override is a separate canonical document naming the result it replaces,
    the projects now funded (in ballot order), their total cost and the
    reason. Refused when the ballot is not PB, not counted or published, the
    reason is missing or too short, a project is unknown, or the projects cost
    more than the budget.
    """
    lock_ballot(ballot.id)
    ballot = lock_row(ballot)
    if ballot.kind is not BallotKind.PB or ballot.method not in PB_METHODS:
        raise CountError(_l("Only the outcome of a participatory budget can be overridden"))
    if ballot.status not in (BallotStatus.COUNTED, BallotStatus.PUBLISHED):
        raise CountError(_l("The ballot must be counted before its outcome can be overridden"))
    result = current_result(ballot)
    if result is None:
        raise CountError(_l("There is no result to override: run the count first"))
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON_LENGTH:
        raise CountError(
            _l("Write the reason for the override in at least %(least)s characters", least=MIN_REASON_LENGTH)
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise CountError(_l("The reason must be %(limit)s characters or fewer", limit=MAX_REASON_LENGTH))
    options = ballot_options(ballot)
    by_key = {o.key: o for o in options}
    unknown = sorted(set(selected) - set(by_key))
    if unknown:
        raise CountError(_l("These are not projects on the ballot: %(keys)s", keys=", ".join(unknown)))
    chosen = [o.key for o in options if o.key in set(selected)]
    spent = sum((Fraction(by_key[k].cost_pence or 0, 100) for k in chosen), Fraction(0))
    budget = ballot_spec(ballot, options).budget
    if spent > budget:
        raise CountError(
            _l(
                "The projects chosen cost £%(spent)s, more than the budget of £%(budget)s",
                spent=_pounds(spent),
                budget=_pounds(budget),
            )
        )
    document = canonical_json(
        {
            "replaces_sha256": result.sha256,
            "selected": chosen,
            "spent": spent,
            "budget": budget,
            "reason": reason,
        }
    ).decode("utf-8")
    result.override_document = document
    result.override_reason = reason
    result.overridden_by_id = actor_user_id
    record_event(
        "ballot.result_overridden",
        SUBJECT,
        ballot.id,
        payload={
            "sha256": result.sha256,
            "override_sha256": document_sha256(document),
            "selected": chosen,
            "reason": reason,
        },
        actor_user_id=actor_user_id,
    )
    db.session.flush()
    return result


def _pounds(amount: Fraction) -> str:
    pence = amount * 100
    whole = pence.numerator // pence.denominator
    return f"{whole // 100:,}.{whole % 100:02d}"
