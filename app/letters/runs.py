"""Letter runs: asking for voting-code letters, and making them (the job body).

An officer asks for a run (``request_run``): a ``LetterRun`` row and a job
enqueued after commit (``workers.jobs.letters.make_letters``). The job
(``make_run``) picks the register entries that need a letter, supersedes
their earlier live codes (a run for everyone replaces every letter), makes one
new code per entry, stores only its keyed hash, and draws the PDF and the
mail-merge CSV in the same pass, so a plain code exists only in memory and in
the two files. Everything commits together in the job's one transaction.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import exists, func, insert, select, update

from app.audit.operations import record_event
from app.extensions import db
from app.i18n.stored import stored_gettext, stored_ngettext
from app.letters import codes
from app.letters.letter import Letter
from app.letters.mailmerge import write_mailmerge_csv
from app.letters.models import LetterRun, RunScope, RunStatus, VotingCode
from app.letters.pdf import write_letters_pdf
from app.residents.models import RegisterEntry
from tenants.context import current_council_id
from tenants.models import Council
from workers import progress

JOB_KIND = "voting-letters"
SUBJECT = "letter_run"
PROGRESS_EVERY = 500
# Codes are inserted in batches: one round trip per batch rather than per person.
BATCH = 1000


def live_code_condition(today: date):
    """SQL condition: a code that can still be used."""
    return (VotingCode.used_at.is_(None), VotingCode.superseded_at.is_(None), VotingCode.expires_on >= today)


def entries_needing_letters(scope: RunScope, today: date):
    """A select of register entries a run of ``scope`` prints letters for, in reference order."""
    query = select(RegisterEntry).order_by(RegisterEntry.reference, RegisterEntry.id)
    if scope is RunScope.MISSING:
        live = exists().where(VotingCode.register_entry_id == RegisterEntry.id, *live_code_condition(today))
        query = query.where(~live)
    return query


def count_needing_letters(scope: RunScope, today: date | None = None) -> int:
    today = today or datetime.now(codes.UK).date()
    return db.session.scalar(select(func.count()).select_from(entries_needing_letters(scope, today).subquery()))


# -- asking for a run ------------------------------------------------------------------------------


def request_run(
    scope: RunScope, *, verify_url: str, actor_user_id: int | None, valid_days: int = codes.DEFAULT_VALID_DAYS
) -> LetterRun:
    """Record a run and enqueue its job after commit (flushes, never commits)."""
    from workers.enqueue import enqueue_after_commit
    from workers.jobs.letters import make_letters
    from workers.spec import rq_job_id

    run = LetterRun(
        scope=scope,
        status=RunStatus.QUEUED,
        job_id="pending",
        valid_days=valid_days,
        language="en",
        requested_by_user_id=actor_user_id,
    )
    db.session.add(run)
    db.session.flush()
    run.job_id = rq_job_id(f"voting-letters-{current_council_id()}-{run.id}")
    enqueue_after_commit(make_letters, run.id, verify_url, council_id=current_council_id(), job_id=run.job_id)
    progress.create_run(run.job_id, JOB_KIND)
    record_event("letters.requested", SUBJECT, run.id, payload={"scope": scope.value}, actor_user_id=actor_user_id)
    db.session.flush()
    return run


# -- making a run (inside the job) -----------------------------------------------------------------


def make_run(run_id: int, verify_url: str) -> RunStatus | None:
    """Make the codes and files of run ``run_id`` (the job body). None if it was already made."""
    run = db.session.scalar(select(LetterRun).where(LetterRun.id == run_id).with_for_update())
    if run is None or run.status is not RunStatus.QUEUED:
        return None
    now = datetime.now(UTC)
    today = now.astimezone(codes.UK).date()
    # Serialise runs of one council: two at once could both decide an entry needs a letter.
    db.session.execute(
        select(func.pg_advisory_xact_lock(func.hashtextextended(f"rochdale.letters:{current_council_id()}", 0)))
    )
    total = count_needing_letters(run.scope, today)
    progress.start_run(None, JOB_KIND, total=total)
    run.finished_at = now
    if total == 0:
        run.status = RunStatus.EMPTY
        run.letters = 0
        run.superseded = 0
        record_event("letters.made", SUBJECT, run.id, payload={"letters": 0, "superseded": 0})
        progress.finish_run(stored_gettext("Nobody needs a letter"))
        db.session.flush()
        return run.status

    # A person getting a new letter loses their old code: only the newest letter works.
    needing = entries_needing_letters(run.scope, today).with_only_columns(RegisterEntry.id).scalar_subquery()
    superseded = db.session.execute(
        update(VotingCode)
        .where(VotingCode.register_entry_id.in_(needing), *live_code_condition(today))
        .values(superseded_at=now)
    ).rowcount

    expires_on = codes.expiry_date(now, run.valid_days)
    key = codes.pepper_from_config(current_app.config)
    council_name = db.session.scalar(select(Council.name).where(Council.id == current_council_id()))
    letters = _letters(run, today, expires_on, key, verify_url)
    pdf = io.BytesIO()
    count = write_letters_pdf(letters, pdf, council_name=council_name, language=run.language)
    csv_text = io.StringIO(newline="")
    write_mailmerge_csv(_replay(letters), csv_text, language=run.language)

    run.status = RunStatus.FINISHED
    run.letters = count
    run.superseded = superseded
    run.expires_on = expires_on
    run.pdf = pdf.getvalue()
    run.csv = csv_text.getvalue().encode("utf-8-sig")  # the BOM tells spreadsheets the file is UTF-8
    record_event("letters.made", SUBJECT, run.id, payload={"letters": count, "superseded": superseded})
    progress.finish_run(stored_ngettext("%(count)s letter made", "%(count)s letters made", count, count=f"{count:,}"))
    db.session.flush()
    return run.status


class _Letters:
    """The run's letters, made once as the PDF reads them and kept (small records) for the CSV."""

    def __init__(self, rows: Iterator[Letter]) -> None:
        self._rows = rows
        self.made: list[Letter] = []

    def __iter__(self) -> Iterator[Letter]:
        for letter in self._rows:
            self.made.append(letter)
            yield letter


def _replay(letters: _Letters) -> list[Letter]:
    return letters.made


def _letters(run: LetterRun, today: date, expires_on: date, key: bytes, verify_url: str) -> _Letters:
    def rows() -> Iterator[Letter]:
        pending: list[dict] = []
        entries = db.session.scalars(entries_needing_letters(run.scope, today)).all()
        for done, entry in enumerate(entries, start=1):
            code = codes.generate_code()
            pending.append(
                {
                    "council_id": run.council_id,
                    "register_entry_id": entry.id,
                    "run_id": run.id,
                    "code_hash": codes.hash_code(code, key),
                    "expires_on": expires_on,
                }
            )
            lines = [line.strip() for line in entry.address.replace("\n", ",").split(",")]
            yield Letter(
                reference=entry.reference,
                name=entry.name,
                address_lines=tuple(lines),
                postcode=entry.postcode,
                code=code,
                url=verify_url,
                expires_on=expires_on,
            )
            if len(pending) >= BATCH:
                db.session.execute(insert(VotingCode), pending)
                pending = []
            if done % PROGRESS_EVERY == 0:
                progress.report_progress(done, message=stored_gettext("Making letters"))
        if pending:
            db.session.execute(insert(VotingCode), pending)

    return _Letters(rows())


def recent_runs(limit: int = 10) -> list[LetterRun]:
    return list(db.session.scalars(select(LetterRun).order_by(LetterRun.id.desc()).limit(limit)))


def delete_files(run: LetterRun, *, actor_user_id: int | None) -> None:
    """Forget a run's PDF and CSV (they hold plain codes); the codes themselves keep working."""
    run.pdf = None
    run.csv = None
    run.files_deleted_at = datetime.now(UTC)
    record_event("letters.files_deleted", SUBJECT, run.id, actor_user_id=actor_user_id)
    db.session.flush()
