"""Writing a council's backup: one consistent snapshot, read as the app under the council's RLS setting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from psycopg import sql
from sqlalchemy import text

from app.backup.archive import ArchiveWriter, Manifest
from app.backup.tables import USERS, council_tables, user_columns
from app.extensions import db
from tenants.context import council_context
from tenants.models import Council

Progress = Callable[[str], None]


def dump_council(council: Council, path: Path, progress: Progress | None = None) -> Manifest:
    """Write ``council``'s rows, its own row and the people they refer to into ``path``.

    One REPEATABLE READ, READ ONLY transaction, so every table is read at the
    same instant while the site carries on. The reads run as the app's role
    with the council's setting made, so row-level security decides what is
    read: another council's row cannot reach the file whatever the code asks.
    ``progress`` is called with each table's name once it is written.
    """
    writer = ArchiveWriter(path)
    tables = council_tables()
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with council_context(council.id), conn.begin():
            # The first statement makes the council setting (tenants.rls) for the COPYs that follow.
            revision = sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
            cursor = conn.connection.driver_connection.cursor()
            manifest = Manifest(
                schema_revision=revision,
                council={"id": council.id, "slug": council.slug, "name": council.name},
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            council_columns = [c.name for c in Council.__table__.c]
            manifest.tables.append(
                _copy_out(cursor, writer, "councils", council_columns, sql.SQL("id = {}").format(council.id))
            )
            people: set[int] = set()
            for table in tables:
                columns = [c.name for c in table.c]
                manifest.tables.append(_copy_out(cursor, writer, table.name, columns, sql.SQL("true")))
                people |= _people_in(cursor, table.name, user_columns(table))
                if progress:
                    progress(table.name)
            user_table = db.metadata.tables[USERS]
            ids = sql.Literal("{" + ",".join(str(i) for i in sorted(people)) + "}")
            manifest.users = _copy_out(
                cursor, writer, USERS, [c.name for c in user_table.c], sql.SQL("id = ANY({}::bigint[])").format(ids)
            )
    writer.close(manifest)
    return manifest


def _copy_out(cursor, writer: ArchiveWriter, table: str, columns: list[str], where: sql.Composable):
    query = sql.SQL("COPY (SELECT {} FROM {} WHERE {} ORDER BY 1) TO STDOUT").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(table), where
    )
    with cursor.copy(query) as copy:
        data = b"".join(bytes(chunk) for chunk in copy)
    # COPY's text format ends every row with a newline and escapes newlines inside values.
    return writer.add(table, columns, data, data.count(b"\n"))


def _people_in(cursor, table: str, columns: list[str]) -> set[int]:
    found: set[int] = set()
    for column in columns:
        query = sql.SQL("SELECT DISTINCT {c} FROM {t} WHERE {c} IS NOT NULL").format(
            c=sql.Identifier(column), t=sql.Identifier(table)
        )
        found.update(row[0] for row in cursor.execute(query))
    return found
