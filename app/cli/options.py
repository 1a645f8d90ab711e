"""Shared CLI pieces: the ``--council`` option and plain-text tables."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import click
from sqlalchemy import select

from tenants.context import council_context


def council_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--council <slug>``; the command runs in that council's context.

    The command receives the ``Council`` as ``council``. An unknown slug is a
    usage error, raised before anything is written.
    """

    @click.option("--council", "council_slug", required=True, metavar="SLUG", help="The council to act for.")
    @functools.wraps(f)
    def wrapper(*args: Any, council_slug: str, **kwargs: Any) -> Any:
        council = find_council_by_slug(council_slug)
        with council_context(council.id):
            return f(*args, council=council, **kwargs)

    return wrapper


def find_council_by_slug(slug: str):
    """The council with ``slug`` (active or not), or a ``click.BadParameter``."""
    from app.extensions import db
    from tenants.models import Council

    council = db.session.scalar(select(Council).where(Council.slug == slug))
    if council is None:
        raise click.BadParameter(
            f"no council has the slug {slug!r} (see `rochdale councils list`)", param_hint="--council"
        )
    return council


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """``rows`` as left-aligned columns under ``headers``, with a rule beneath them."""
    cells = [[str(h) for h in headers], *[["" if v is None else str(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(value.ljust(widths[i]) for i, value in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
