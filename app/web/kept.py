"""Values kept per app and per process under a key, for what every page builds the same way.

Each app keeps its own (tests run apps with different settings side by side).
The bound is crude: a full store is emptied and refilled, which suits stores
whose keys (councils, roles, languages) are few in practice.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import functools
import types
import uuid
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper

from app.i18n import LazyString

T = TypeVar("T")
MAX_ENTRIES = 1024

_SCALARS = (str, int, float, bool, type(None), decimal.Decimal, datetime.date, datetime.time, enum.Enum, uuid.UUID)
# The same types exactly (not subclasses, such as markup): found by one set lookup, before any isinstance.
_EXACT_SCALARS = frozenset({*_SCALARS, datetime.datetime} - {enum.Enum})
# Values that never change once made: keyed by which object they are (comparing them would be slow or impossible).
# A plain function is its own key part, hashed and compared by identity in C (frozen() finds it first); these
# others may hash by what they hold (a method by its object, a lazy string by its text), so they are wrapped.
_UNCHANGING = (types.BuiltinFunctionType, types.MethodType, LazyString)


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


class FrozenKey:
    """A key part frozen once, with its hash worked out once: for a value that never changes (a ballot snapshot).

    Keys are looked up on every page; a deep key is hashed on every lookup, and
    compared part by part on every hit. This one is hashed once, and compares
    equal at once to itself (the same snapshot, page after page).
    """

    __slots__ = ("_hash", "_parts")

    def __init__(self, value: Any) -> None:
        self._parts = frozen(value)
        self._hash = hash(self._parts)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (
            isinstance(other, FrozenKey) and self._hash == other._hash and self._parts == other._parts
        )


def frozen(value: Any) -> Hashable:
    """A hashable stand-in for ``value``, equal only for values that render alike; else ``TypeError``."""
    kind = type(value)
    if kind in _EXACT_SCALARS:
        return (kind, value)
    if kind is types.FunctionType or kind is FrozenKey:
        return value  # already a key part: a function hashed and compared by identity in C (see _UNCHANGING)
    if isinstance(value, _SCALARS):
        return (kind, value)  # the type too: markup and text render differently
    if isinstance(value, dict):
        return (dict, tuple(sorted((key, frozen(item)) for key, item in value.items())))
    if isinstance(value, list | tuple):
        return (kind, tuple(frozen(item) for item in value))
    if isinstance(value, _UNCHANGING):
        # The same object renders alike (a lazy string's text is in the language, which is keyed). One made for
        # each request never matches, which costs a render, never a wrong page.
        return _Same(value)
    kept_key = getattr(value, "kept_key", None)
    if callable(kept_key):
        return (kind, frozen(kept_key()))
    # A database row: by every column, so an edited row (a renamed council) makes a new page.
    return (kind, tuple(frozen(getattr(value, key)) for key in _column_keys(kind)))


@functools.cache
def _column_keys(model: type) -> tuple[str, ...]:
    """The mapped column attributes of ``model``; ``TypeError`` if it is not a mapped class."""
    mapper = sa_inspect(model, raiseerr=False)
    if not isinstance(mapper, Mapper):
        raise TypeError(f"cannot key a {model.__name__}")
    return tuple(attr.key for attr in mapper.column_attrs)
