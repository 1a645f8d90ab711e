"""Tally methods and formats are pure: no Flask, no SQLAlchemy, checked two ways."""

import ast
import subprocess
import sys
from pathlib import Path

import app

APP = Path(app.__file__).resolve().parent
PURE_DIRS = [APP / "voting" / "methods", APP / "voting" / "formats"]
BANNED = ("flask", "flask_sqlalchemy", "sqlalchemy", "flask_login", "flask_wtf")


def _modules():
    for folder in PURE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(APP.parent).with_suffix("").parts
            yield path, ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_names_flask_or_sqlalchemy_in_an_import():
    offenders = []
    for path, name in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                roots = [node.module.split(".")[0]]
            else:
                continue
            offenders += [f"{name}: {root}" for root in roots if root in BANNED]
    assert not offenders


def test_every_module_imports_with_flask_and_sqlalchemy_blocked():
    names = [name for _, name in _modules()]
    assert "app.voting.methods.ranked.stv_scottish" in names
    assert "app.voting.formats.blt" in names
    # The ``app`` package itself builds the Flask app, so it is stood in for by a bare package.
    script = f"""
import importlib, sys, types
for banned in {BANNED!r}:
    sys.modules[banned] = None
package = types.ModuleType("app")
package.__path__ = [{str(APP)!r}]
sys.modules["app"] = package
for name in {names!r}:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {BANNED!r} and sys.modules[m] is not None)
assert not loaded, loaded
print("ok", len({names!r}))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")
