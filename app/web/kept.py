"""Values kept per app and per process under a key, for what every page builds the same way.

Each app keeps its own (tests run apps with different settings side by side).
The bound is crude: a full store is emptied and refilled, which suits stores
whose keys (councils, roles, languages) are few in practice.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import types
import uuid
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import NoInspectionAvailable

from app.i18n import LazyString

T = TypeVar("T")
MAX_ENTRIES = 1024

_SCALARS = (str, int, float, bool, type(None), decimal.Decimal, datetime.date, datetime.time, enum.Enum, uuid.UUID)
# Values that never change once made: keyed by which object they are (comparing them would be slow or impossible).
_UNCHANGING = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, LazyString)


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


class _Same:
    """A key part equal only to a part holding the very same object (held, so its id is not reused)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value

    def __hash__(self) -> int:
        return id(self.value)


def frozen(value: Any) -> Hashable:
    """A hashable stand-in for ``value``, equal only for values that render alike; else ``TypeError``."""
    if isinstance(value, _SCALARS):
        return (type(value), value)  # the type too: markup and text render differently
    if isinstance(value, dict):
        return (dict, tuple(sorted((key, frozen(item)) for key, item in value.items())))
    if isinstance(value, list | tuple):
        return (type(value), tuple(frozen(item) for item in value))
    if isinstance(value, _UNCHANGING):
        # The same object renders alike (a lazy string's text is in the language, which is keyed). One made for
        # each request never matches, which costs a render, never a wrong page.
        return _Same(value)
    kept_key = getattr(value, "kept_key", None)
    if callable(kept_key):
        return (type(value), frozen(kept_key()))
    try:
        mapper = sa_inspect(value).mapper
    except NoInspectionAvailable:
        raise TypeError(f"cannot key a {type(value).__name__}") from None
    # A database row: by every column, so an edited row (a renamed council) makes a new page.
    return (type(value), tuple(frozen(getattr(value, attr.key)) for attr in mapper.column_attrs))
