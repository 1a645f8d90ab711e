"""The Jinja environment: globals snapshotted into each template, not chained.

Jinja gives every template ``ChainMap(template_globals, environment.globals)``
so that globals added later are still seen. The price is paid on every
``{% from … import … %}`` at render time: Jinja subtracts the template's global
names from the importing context's (``Template._get_default_module``), and on
a ChainMap that is a Python-level membership test per name per map. GOV.UK
Frontend's macros import their attribute helper inside each call, so a plain
page did about 300 of these per render (~0.25 ms, a quarter of a page's
rendering). A plain dict makes the subtraction a C set operation.

The condition: every global is registered while ``create_app`` runs, before
any template is loaded (Flask's, the extensions', ``init_web``'s). A template
loaded later sees the globals as they were when it was loaded.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from flask.templating import Environment


class SnapshotGlobalsEnvironment(Environment):
    """Flask's environment, with each template's globals a plain dict copy."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:  # type: ignore[override]
        return {**self.globals, **(d or {})}
