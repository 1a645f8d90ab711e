"""The council a piece of code acts for, held in a context variable.

Web requests enter it from the ``/c/<council>/`` prefix, jobs from their first
argument, CLI commands from ``--council``. Reading it when unset raises, so code
that forgot to choose a council fails instead of seeing every council.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[int | None] = ContextVar("rochdale_council_id", default=None)


class NoCouncilError(RuntimeError):
    """Council-scoped work was attempted with no council chosen."""


def current_council_id() -> int:
    """The current council's id; raises ``NoCouncilError`` when none is set."""
    council_id = _current.get()
    if council_id is None:
        raise NoCouncilError("no council is set for this request, job or command")
    return council_id


def current_council_id_or_none() -> int | None:
    """The current council's id, or ``None`` on global pages."""
    return _current.get()


@contextmanager
def council_context(council_id: int | None) -> Iterator[None]:
    """Act for ``council_id`` inside the block (``None`` leaves every council)."""
    if council_id is not None and (isinstance(council_id, bool) or not isinstance(council_id, int)):
        raise TypeError(f"council id must be an int, not {council_id!r}")
    token = _current.set(council_id)
    try:
        yield
    finally:
        _current.reset(token)


def enter_council(council_id: int | None) -> object:
    """Set the council without a block; returns a token for ``leave_council``.

    For request hooks, where entering and leaving happen in different functions.
    """
    return _current.set(council_id)


def leave_council(token: object) -> None:
    """Undo ``enter_council``."""
    _current.reset(token)  # type: ignore[arg-type]
