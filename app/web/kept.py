"""Values kept per app and per process under a key, for what every page builds the same way.

Each app keeps its own (tests run apps with different settings side by side).
The bound is crude: a full store is emptied and refilled, which suits stores
whose keys (councils, roles, languages) are few in practice.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")
MAX_ENTRIES = 1024


def kept(store: str, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, kept in this app's ``store`` under ``key``; raises ``TypeError`` for an unhashable key."""
    values = current_app.extensions.setdefault(store, {})
    value = values.get(key)
    if value is None:
        value = build()
        if len(values) >= MAX_ENTRIES:
            values.clear()
        values[key] = value
    return value
