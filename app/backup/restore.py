"""Restoring a council's backup into a database at the same schema revision, all or nothing.

The council keeps its id and its people keep theirs where those are free, so
a restored database is the one that was backed up (result hashes, audit chain
and receipts all check). Where an id is taken (a copy restored beside the
original, or into a database with other councils), the council gets a new
id, and a person is matched by email address or else given a new id; every
reference to them is rewritten to match. Runs as the schema owner
(DATABASE_OWNER_URL), with the council's row-level security setting made, in
one transaction: on any problem nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from app import provision
from app.backup.archive import BackupFileError, Manifest, TablePart, open_archive, read_manifest, read_part
from app.backup.tables import USERS, council_tables, user_columns
from tenants.resolution import SLUG_PATTERN
from tenants.rls import SETTING

Progress = Callable[[str], None]


class RestoreError(ValueError):
    """The backup cannot go into this database (said why); nothing was written."""


@dataclass(frozen=True)
class RestoreSummary:
    council_id: int
    slug: str
    rows: int
    people_matched: int
    people_added: int


def restore_council(path: Path, owner_url: str, *, slug: str | None = None, progress: Progress | None = None):
    """Restore the backup at ``path``; ``slug`` restores it under another address (as a copy)."""
    archive = open_archive(path)
    with archive:
        manifest = read_manifest(archive)
        parts = {part.name: part for part in manifest.tables}
        # Every part is read and checked before anything is written.
        data = {part.name: read_part(archive, part) for part in manifest.tables}
        if manifest.users is None:
            raise BackupFileError("the file lists no people")
        users = read_part(archive, manifest.users)
    target_slug = slug or manifest.council["slug"]
    if not SLUG_PATTERN.match(target_slug) or len(target_slug) > 63:
        raise RestoreError(f"{target_slug!r} is not a council address: use lower-case letters, digits and hyphens")
    known = {table.name: table for table in council_tables()}
    unknown = sorted(set(parts) - set(known) - {"councils"})
    if unknown:
        raise RestoreError(f"the backup has tables this version does not know: {', '.join(unknown)}")
    try:
        with psycopg.connect(provision.plain_url(owner_url)) as conn, conn.cursor() as cur:
            _check_revision(cur, manifest)
            council_id = _restore_council_row(cur, parts["councils"], data["councils"], target_slug)
            matched, added = _restore_people(cur, manifest.users, users)
            cur.execute("SELECT set_config(%s, %s, true)", (SETTING, str(council_id)))
            rows = 0
            for table in council_tables():  # parents first
                if table.name in parts:
                    rows += _restore_table(cur, parts[table.name], data[table.name], council_id, user_columns(table))
                if progress:
                    progress(table.name)
            conn.commit()
    except psycopg.Error as error:
        raise RestoreError(f"the database refused the backup, so nothing was restored: {error}") from error
    return RestoreSummary(council_id, target_slug, rows, matched, added)


def _check_revision(cur, manifest: Manifest) -> None:
    here = sorted(row[0] for row in cur.execute("SELECT version_num FROM alembic_version"))
    if here != sorted(manifest.schema_revision):
        raise RestoreError(
            f"the backup is of schema revision {', '.join(manifest.schema_revision)} but this database is at "
            f"{', '.join(here) or 'no revision'}: bring both to the same release first (rochdale db upgrade)"
        )


def _load_temp(cur, part: TablePart, data: bytes, like: str) -> sql.Identifier:
    """``part``'s rows in a temporary table shaped like ``like`` (dropped at commit)."""
    temp = sql.Identifier(f"restore_{part.name}")
    cur.execute(sql.SQL("CREATE TEMP TABLE {} (LIKE {}) ON COMMIT DROP").format(temp, sql.Identifier(like)))
    columns = sql.SQL(", ").join(map(sql.Identifier, part.columns))
    with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(temp, columns)) as copy:
        copy.write(data)
    return temp


def _restore_council_row(cur, part: TablePart, data: bytes, slug: str) -> int:
    if cur.execute("SELECT 1 FROM councils WHERE slug = %s", (slug,)).fetchone():
        raise RestoreError(f"a council with the address {slug!r} exists here: restore with --slug to make a copy")
    temp = _load_temp(cur, part, data, "councils")
    (old_id,) = cur.execute(sql.SQL("SELECT id FROM {}").format(temp)).fetchone()
    taken = cur.execute("SELECT 1 FROM councils WHERE id = %s", (old_id,)).fetchone()
    new_id = cur.execute("SELECT nextval(pg_get_serial_sequence('councils', 'id'))").fetchone()[0] if taken else old_id
    cur.execute(sql.SQL("UPDATE {} SET id = %s, slug = %s").format(temp), (new_id, slug))
    _insert_from(cur, "councils", part.columns, temp)
    return new_id


def _restore_people(cur, part: TablePart, data: bytes) -> tuple[int, int]:
    """Match or add the backup's people; ``restore_user_map`` (old id → id here) for the tables after."""
    temp = _load_temp(cur, part, data, USERS)
    cur.execute("CREATE TEMP TABLE restore_user_map (old_id bigint PRIMARY KEY, new_id bigint NOT NULL) ON COMMIT DROP")
    cur.execute(
        sql.SQL("INSERT INTO restore_user_map SELECT r.id, u.id FROM {} r JOIN users u ON u.email = r.email").format(
            temp
        )
    )
    matched = cur.rowcount
    columns = sql.SQL(", ").join(map(sql.Identifier, part.columns))
    others = [c for c in part.columns if c != "id"]
    other_columns = sql.SQL(", ").join(map(sql.Identifier, others))
    unmatched = sql.SQL("NOT EXISTS (SELECT 1 FROM restore_user_map m WHERE m.old_id = r.id)")
    # Their id is free here: keep it.
    cur.execute(
        sql.SQL(
            "WITH added AS (INSERT INTO users ({cols}) OVERRIDING SYSTEM VALUE SELECT {cols} FROM {t} r "
            "WHERE {unmatched} AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.id) RETURNING id) "
            "INSERT INTO restore_user_map SELECT id, id FROM added"
        ).format(cols=columns, t=temp, unmatched=unmatched)
    )
    added = cur.rowcount
    # Their id belongs to someone else here: a new one.
    cur.execute(
        sql.SQL(
            "WITH added AS (INSERT INTO users ({cols}) SELECT {cols} FROM {t} r WHERE {unmatched} "
            "RETURNING id, email) INSERT INTO restore_user_map SELECT r.id, a.id FROM added a JOIN {t} r USING (email)"
        ).format(cols=other_columns, t=temp, unmatched=unmatched)
    )
    added += cur.rowcount
    _advance_sequences(cur, USERS)
    return matched, added


def _restore_table(cur, part: TablePart, data: bytes, council_id: int, people: list[str]) -> int:
    temp = _load_temp(cur, part, data, part.name)
    cur.execute(sql.SQL("UPDATE {} SET council_id = %s").format(temp), (council_id,))
    for column in people:
        cur.execute(
            sql.SQL(
                "UPDATE {t} SET {c} = m.new_id FROM restore_user_map m "
                "WHERE {t}.{c} = m.old_id AND m.old_id <> m.new_id"
            ).format(t=temp, c=sql.Identifier(column))
        )
    count = _insert_from(cur, part.name, part.columns, temp)
    _advance_sequences(cur, part.name)
    return count


def _insert_from(cur, table: str, columns: list[str], temp: sql.Identifier) -> int:
    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    cur.execute(
        sql.SQL("INSERT INTO {} ({}) OVERRIDING SYSTEM VALUE SELECT {} FROM {}").format(
            sql.Identifier(table), names, names, temp
        )
    )
    return cur.rowcount


def _advance_sequences(cur, table: str) -> None:
    """Move each identity sequence of ``table`` past the ids just written (never back)."""
    identity = cur.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attidentity <> '' AND NOT attisdropped",
        (table,),
    ).fetchall()
    for (column,) in identity:
        (sequence,) = cur.execute("SELECT pg_get_serial_sequence(%s, %s)", (table, column)).fetchone()
        cur.execute(
            sql.SQL("SELECT setval(%s, GREATEST((SELECT max({c}) FROM {t}), (SELECT last_value FROM {s}), 1))").format(
                c=sql.Identifier(column), t=sql.Identifier(table), s=sql.SQL(sequence)
            ),
            (sequence,),
        )
