"""The ways around the council filter are used only where the architecture allows them.

- ``all_councils`` (the ORM filter's escape hatch) only in ``tenants/``,
  ``app/modules/benchmarking/`` and ``app/cli/``;
- ``Session.get`` (and what wraps it: ``db.get_or_404``, ``Query.get``) never on a
  council model: its identity-map shortcut skips every filter;
- raw SQL (``text(...)``) only in the files listed below, each with its reason:
  it skips the ORM filter, leaving row-level security alone.

The source is parsed, not grepped, so comments and docstrings do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.fixtures.tenancy import council_scoped_models

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("app", "tenants", "workers")
ALL_COUNCILS_ALLOWED = ("tenants/", "app/modules/benchmarking/", "app/cli/")

# file -> why it needs raw SQL
RAW_SQL_ALLOWED: dict[str, str] = {
    "app/web/blueprint.py": "healthz: SELECT 1",
    "app/audit/operations.py": "a transaction-scoped advisory lock serialising each council's audit chain",
    "app/residents/imports.py": "register import: COPY into a temporary staging table, then one merge "
    "(INSERT ... ON CONFLICT, DELETE) naming council_id explicitly, under RLS",
    "app/backup/dump.py": "council backup: the schema revision, then COPY of each council table as the app role "
    "under the council's RLS setting (the policy, not the ORM filter, decides what is read)",
}


def _python_files() -> list[Path]:
    files: list[Path] = []
    for directory in SOURCE_DIRS:
        files.extend(p for p in (ROOT / directory).rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(files)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _trees() -> list[tuple[str, ast.AST]]:
    return [(_rel(p), ast.parse(p.read_text(encoding="utf-8"), filename=str(p))) for p in _python_files()]


def _name_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def test_all_councils_is_used_only_where_allowed():
    offenders = []
    for rel, tree in _trees():
        if rel.startswith(ALL_COUNCILS_ALLOWED):
            continue
        for node in ast.walk(tree):
            hit = (
                (isinstance(node, ast.Constant) and node.value == "all_councils")
                or (isinstance(node, ast.keyword) and node.arg == "all_councils")
                or (_name_of(node) == "ALL_COUNCILS")
                or (isinstance(node, ast.alias) and node.name == "ALL_COUNCILS")
            )
            if hit:
                offenders.append(f"{rel}:{getattr(node, 'lineno', '?')}")
    assert not offenders, f"all_councils used outside {ALL_COUNCILS_ALLOWED}: {offenders}"


def test_session_get_is_never_used_on_a_council_model():
    council_names = {m.__name__ for m in council_scoped_models()}
    offenders = []
    for rel, tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or not node.args:
                continue
            method, receiver = node.func.attr, node.func.value
            first = _name_of(node.args[0])
            receiver_name = _name_of(receiver) or ""
            on_session = method == "get" and receiver_name.endswith("session")
            flask_sqlalchemy_shortcut = method in ("get_or_404", "get_one") and receiver_name in ("db", "session")
            if (on_session or flask_sqlalchemy_shortcut) and first in council_names:
                offenders.append(f"{rel}:{node.lineno} {receiver_name}.{method}({first}, ...)")
            # Model.query.get(id): the legacy form of the same shortcut.
            if method == "get" and receiver_name == "query":
                owner = _name_of(receiver.value) if isinstance(receiver, ast.Attribute) else None
                if owner in council_names:
                    offenders.append(f"{rel}:{node.lineno} {owner}.query.get(...)")
    assert not offenders, (
        f"Session.get skips the council filter (identity map); use app.web.loading.get_or_404: {offenders}"
    )


def test_raw_sql_only_in_listed_files():
    found: dict[str, list[int]] = {}
    for rel, tree in _trees():
        text_names = {"text"}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sqlalchemy"):
                text_names |= {a.asname or a.name for a in node.names if a.name == "text"}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            is_text = (isinstance(func, ast.Name) and func.id in text_names) or (
                isinstance(func, ast.Attribute) and func.attr == "text" and _name_of(func.value) in ("sa", "sqlalchemy")
            )
            # exec_driver_sql and cursor.execute are raw SQL too.
            is_driver = isinstance(func, ast.Attribute) and func.attr == "exec_driver_sql"
            if is_text or is_driver:
                found.setdefault(rel, []).append(node.lineno)
    unlisted = {rel: lines for rel, lines in found.items() if rel not in RAW_SQL_ALLOWED}
    assert not unlisted, (
        "raw SQL skips the ORM council filter; use the ORM, or list the file in RAW_SQL_ALLOWED "
        f"(tests/isolation/test_opt_outs.py) with the reason: {unlisted}"
    )
    stale = sorted(set(RAW_SQL_ALLOWED) - set(found))
    assert not stale, f"RAW_SQL_ALLOWED lists files with no raw SQL any more: {stale}"


def test_the_checks_see_the_source():
    files = [_rel(p) for p in _python_files()]
    assert "tenants/scoping.py" in files and "app/web/loading.py" in files
