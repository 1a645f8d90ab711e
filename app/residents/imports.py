"""Importing the register and the postcode lookup: asking for an import, and running it.

An officer's upload becomes a ``RegisterImport`` row holding the file, and a
job enqueued after commit (``workers.jobs.residents.import_file``) runs
``run_import``. The job reads the file once, checking every line
(``app.residents.csv_files``) and copying each good row into a temporary
staging table as it goes (``COPY``, the fastest way in). Only when the whole
file is good is the staging table merged into the real one, in the job's one
transaction; with any problem the staging table is dropped, the problems are
kept for the report page, and nothing is written.

What a file does to what is there (``ImportMode``):

* register, ``REPLACE`` (the default): the file is the whole register. People
  are matched by reference: new ones added, changed ones updated, unchanged
  ones left alone, and people no longer in the file removed;
* register, ``UPSERT``: the same without removing anyone;
* postcode lookup: always the whole lookup (postcodes not in the file are removed).

The file's bytes are cleared once the job has run: they are personal data.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime

from sqlalchemy import select, text

from app.audit.operations import record_event
from app.extensions import db
from app.i18n.stored import shown_message, stored_gettext, stored_ngettext
from app.residents.csv_files import NeighbourhoodIndex, Problem, read_postcodes, read_register
from app.residents.models import ImportKind, ImportMode, ImportStatus, PostcodeNeighbourhood, RegisterImport
from tenants.context import current_council_id
from tenants.models import Neighbourhood
from workers import progress

JOB_KIND = "residents-import"
SUBJECT = "register_import"
# The report page lists this many problems; the count says how many there were in all.
PROBLEM_LIMIT = 1000
PROGRESS_EVERY = 25_000
MAX_BYTES = {ImportKind.REGISTER: 64 * 1024 * 1024, ImportKind.POSTCODES: 16 * 1024 * 1024}


def neighbourhood_index() -> NeighbourhoodIndex:
    """The current council's neighbourhoods, to resolve names and ONS codes in a file."""
    rows = db.session.execute(select(Neighbourhood.id, Neighbourhood.name, Neighbourhood.ons_ward_code))
    return NeighbourhoodIndex((r[0], r[1], r[2]) for r in rows)


def postcode_lookup() -> dict[str, int]:
    """The current council's postcode lookup, postcode → neighbourhood id."""
    rows = db.session.execute(select(PostcodeNeighbourhood.postcode, PostcodeNeighbourhood.neighbourhood_id))
    return {postcode: neighbourhood_id for postcode, neighbourhood_id in rows}


# -- asking for an import --------------------------------------------------------------------------


def request_import(
    kind: ImportKind, mode: ImportMode, filename: str, content: bytes, *, actor_user_id: int | None
) -> RegisterImport:
    """Keep the uploaded file and enqueue its import after commit (flushes, never commits)."""
    from workers.enqueue import enqueue_after_commit
    from workers.jobs.residents import import_file
    from workers.spec import rq_job_id

    if kind is ImportKind.POSTCODES:
        mode = ImportMode.REPLACE
    record = RegisterImport(
        kind=kind,
        mode=mode,
        status=ImportStatus.QUEUED,
        filename=(filename or "upload.csv")[:200],
        size_bytes=len(content),
        content=content,
        job_id="pending",
        uploaded_by_user_id=actor_user_id,
    )
    db.session.add(record)
    db.session.flush()
    record.job_id = rq_job_id(f"residents-import-{current_council_id()}-{record.id}")
    enqueue_after_commit(import_file, record.id, council_id=current_council_id(), job_id=record.job_id)
    progress.create_run(record.job_id, JOB_KIND)
    db.session.flush()
    return record


# -- running an import (inside the job) ------------------------------------------------------------


def run_import(import_id: int) -> ImportStatus | None:
    """Check and import one uploaded file (the job body). Returns the outcome; None if already run."""
    record = db.session.scalar(select(RegisterImport).where(RegisterImport.id == import_id).with_for_update().options())
    if record is None or record.status is not ImportStatus.QUEUED or record.content is None:
        return None
    content = record.content
    total = content.count(b"\n") + (0 if content.endswith(b"\n") else 1) - 1
    progress.start_run(None, JOB_KIND, total=max(total, 0))

    # Read what the checks need before COPY starts: the connection runs nothing else during a COPY.
    items = _read(record.kind, content)
    staging = _Staging(record.kind)
    staging.create()
    problems: list[list] = []
    problem_count = rows = 0
    with staging.copy() as write:
        for item in items:
            if isinstance(item, Problem):
                problem_count += 1
                if len(problems) < PROBLEM_LIMIT:
                    problems.append([item.line, item.column, item.message, item.said.to_json()])
                continue
            rows += 1
            if not problem_count:  # once the file is bad, stop copying: it will all be dropped
                write(item)
            if rows % PROGRESS_EVERY == 0:
                progress.report_progress(rows + problem_count, message=stored_gettext("Checking the file"))
    del content

    record.content = None  # personal data: not kept once read
    record.rows = rows
    record.finished_at = datetime.now(UTC)
    if problem_count:
        staging.drop()
        record.status = ImportStatus.REJECTED
        record.problem_count = problem_count
        record.problems = problems
        record_event(f"{record.kind}.import_rejected", SUBJECT, record.id, payload={"problems": problem_count})
        progress.finish_run(
            stored_ngettext(
                "The file has %(count)s problem. Nothing was imported",
                "The file has %(count)s problems. Nothing was imported",
                problem_count,
                count=f"{problem_count:,}",
            )
        )
        db.session.flush()
        return record.status

    progress.report_progress(rows, message=stored_gettext("Saving"))
    counts = staging.merge(record.mode)
    staging.drop()
    record.status = ImportStatus.FINISHED
    record.problem_count = 0
    record.added, record.updated, record.removed = counts["added"], counts["updated"], counts["removed"]
    record.unchanged = rows - counts["added"] - counts["updated"]
    record_event(
        f"{record.kind}.imported",
        SUBJECT,
        record.id,
        payload={
            "mode": str(record.mode),
            "rows": rows,
            "added": record.added,
            "updated": record.updated,
            "unchanged": record.unchanged,
            "removed": record.removed,
        },
        actor_user_id=record.uploaded_by_user_id,
    )
    progress.finish_run(stored_ngettext("Imported %(count)s line", "Imported %(count)s lines", rows, count=f"{rows:,}"))
    db.session.flush()
    return record.status


def _read(kind: ImportKind, content: bytes) -> Iterator:
    stream = io.BytesIO(content)
    if kind is ImportKind.POSTCODES:
        return read_postcodes(stream, neighbourhoods=neighbourhood_index())
    return read_register(
        stream, neighbourhoods=neighbourhood_index(), postcode_lookup=postcode_lookup(), today=date.today()
    )


class _Staging:
    """A temporary table in the job's transaction that good rows are copied into, then merged from."""

    REGISTER = ("reference", "name", "address", "postcode", "date_of_birth", "neighbourhood_id")
    POSTCODES = ("postcode", "neighbourhood_id")

    def __init__(self, kind: ImportKind) -> None:
        self.kind = kind
        self.table = f"staging_{kind}"
        self.columns = self.REGISTER if kind is ImportKind.REGISTER else self.POSTCODES

    def create(self) -> None:
        if self.kind is ImportKind.REGISTER:
            shape = (
                "reference text, name text, address text, postcode text, date_of_birth date, neighbourhood_id bigint"
            )
        else:
            shape = "postcode text, neighbourhood_id bigint"
        db.session.execute(text(f"DROP TABLE IF EXISTS {self.table}"))
        db.session.execute(text(f"CREATE TEMPORARY TABLE {self.table} ({shape}) ON COMMIT DROP"))

    def copy(self):
        """A context manager giving ``write(row)``, which COPYs a row into the staging table."""
        from contextlib import contextmanager

        connection = db.session.connection().connection.driver_connection
        columns = self.columns

        @contextmanager
        def _copy():
            statement = f"COPY {self.table} ({', '.join(columns)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.copy(statement) as copy:
                yield lambda row: copy.write_row(tuple(getattr(row, c) for c in columns))

        return _copy()

    def drop(self) -> None:
        db.session.execute(text(f"DROP TABLE IF EXISTS {self.table}"))

    def merge(self, mode: ImportMode) -> dict[str, int]:
        """Insert new rows, update changed ones, and (replacing) delete missing ones; returns the counts."""
        council = {"council": current_council_id()}
        db.session.execute(text(f"ANALYZE {self.table}"))
        if self.kind is ImportKind.REGISTER:
            target, key, values = "resident_register", "reference", self.REGISTER[1:]
        else:
            target, key, values = "postcode_neighbourhoods", "postcode", ("neighbourhood_id",)
        all_columns = ", ".join(self.columns)
        assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in values)
        old = ", ".join(f"t.{c}" for c in values)
        new = ", ".join(f"EXCLUDED.{c}" for c in values)
        added, updated = db.session.execute(
            text(
                # Table and column names are this class's constants; the only value is bound.
                f"WITH up AS (INSERT INTO {target} AS t (council_id, {all_columns}) "  # noqa: S608
                f"SELECT :council, {all_columns} FROM {self.table} "
                f"ON CONFLICT (council_id, {key}) DO UPDATE SET {assignments}, updated_at = now() "
                f"WHERE ROW({old}) IS DISTINCT FROM ROW({new}) "
                "RETURNING (xmax = 0) AS added) "
                "SELECT count(*) FILTER (WHERE added), count(*) FILTER (WHERE NOT added) FROM up"
            ),
            council,
        ).one()
        removed = 0
        if mode is ImportMode.REPLACE:
            removed = db.session.execute(
                text(
                    f"DELETE FROM {target} t WHERE t.council_id = :council "  # noqa: S608
                    f"AND NOT EXISTS (SELECT 1 FROM {self.table} s WHERE s.{key} = t.{key})"
                ),
                council,
            ).rowcount
        return {"added": added, "updated": updated, "removed": removed}


# -- reading imports for the pages -----------------------------------------------------------------


def recent_imports(kind: ImportKind, limit: int = 10) -> list[RegisterImport]:
    return list(
        db.session.scalars(
            select(RegisterImport)
            .where(RegisterImport.kind == kind)
            .order_by(RegisterImport.created_at.desc(), RegisterImport.id.desc())
            .limit(limit)
        )
    )


def problem_rows(record: RegisterImport) -> list[tuple[int | None, str | None, str]]:
    """The kept problems of a rejected import as (line, column, message), the message in the reader's language.

    A problem is kept as ``[line, column, English, {"msgid": …, "params": …}]``;
    imports from before problems were kept that way have ``[line, column,
    English]`` and are shown in English.
    """
    rows = []
    for problem in record.problems or []:
        line, column, english = problem[:3]
        rows.append((line, column, shown_message(problem[3]) if len(problem) > 3 else english))
    return rows


def import_progress(record: RegisterImport):
    """The progress row of an import's job."""
    from workers.models import JobRun

    return db.session.scalar(select(JobRun).where(JobRun.job_id == record.job_id))
