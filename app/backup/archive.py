"""The backup file: a zip of a manifest and one PostgreSQL COPY text file per table.

COPY's text format keeps every value exactly as PostgreSQL holds it (bytea,
JSON, arrays, timestamps), so nothing is converted on the way out or in. The
manifest names the schema revision, the council, each table's columns and row
count, and a SHA-256 of each file, checked before anything is restored.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "rochdale-council-backup"
VERSION = 1
MANIFEST = "manifest.json"


class BackupFileError(ValueError):
    """The file is not a council backup this version can read, or it has been altered."""


@dataclass
class TablePart:
    name: str
    columns: list[str]
    rows: int
    sha256: str


@dataclass
class Manifest:
    schema_revision: list[str]
    council: dict[str, Any]
    created_at: str
    users: TablePart | None = None
    tables: list[TablePart] = field(default_factory=list)
    format: str = FORMAT
    version: int = VERSION


def member_name(table: str) -> str:
    return f"tables/{table}.copy"


class ArchiveWriter:
    """Writes table parts as they come, then the manifest last."""

    def __init__(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)

    def add(self, table: str, columns: list[str], data: bytes, rows: int) -> TablePart:
        self._zip.writestr(member_name(table), data)
        return TablePart(table, columns, rows, hashlib.sha256(data).hexdigest())

    def close(self, manifest: Manifest) -> None:
        self._zip.writestr(MANIFEST, json.dumps(asdict(manifest), indent=1, sort_keys=True, default=str))
        self._zip.close()


def read_manifest(archive: zipfile.ZipFile) -> Manifest:
    """The manifest, checked for format and version (``BackupFileError`` otherwise)."""
    try:
        raw = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupFileError("the file has no readable manifest: it is not a Rochdale council backup") from error
    if raw.get("format") != FORMAT or raw.get("version") != VERSION:
        raise BackupFileError(f"this is not a version {VERSION} Rochdale council backup")
    try:
        users = TablePart(**raw["users"]) if raw.get("users") else None
        tables = [TablePart(**part) for part in raw["tables"]]
        return Manifest(raw["schema_revision"], raw["council"], raw["created_at"], users, tables)
    except (KeyError, TypeError) as error:
        raise BackupFileError("the manifest is incomplete") from error


def read_part(archive: zipfile.ZipFile, part: TablePart) -> bytes:
    """A table's COPY data, checked against the manifest's SHA-256."""
    try:
        data = archive.read(member_name(part.name))
    except KeyError as error:
        raise BackupFileError(f"the file has no data for table {part.name}") from error
    if hashlib.sha256(data).hexdigest() != part.sha256:
        raise BackupFileError(f"the data for table {part.name} does not match its checksum: the file is damaged")
    return data


def open_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupFileError(f"cannot read {path.name}: {error}") from error
