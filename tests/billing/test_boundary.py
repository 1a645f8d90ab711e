"""``app/billing/gateway.py`` is the only code that imports ``stripe``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports_stripe(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "stripe" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "stripe" and not node.level:
            return True
    return False


def test_only_the_gateway_imports_stripe():
    found = sorted(
        p.relative_to(ROOT).as_posix()
        for directory in ("app", "tenants", "workers")
        for p in (ROOT / directory).rglob("*.py")
        if _imports_stripe(p)
    )
    assert found == ["app/billing/gateway.py"]
