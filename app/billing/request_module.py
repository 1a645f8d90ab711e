"""Which council module a request to a module's pages is about, so billing can hold it to the council's plan.

A module's own blueprint names it (``council.housing`` is housing). The
governance core's pages (societies, their meetings and elections) belong to
the module of the society's kind, and a ballot's pages to the ballot's module
(a council-wide ballot belongs to none). Before the row exists (a new society
or ballot), the form's own choice says which module it is for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# A module's own pages.
BLUEPRINT_MODULES = {
    "council.housing": "housing",
    "council.youth": "youth",
    "council.priorities": "priorities",
    "council.schools": "schools",
    "council.care": "care",
}
# Pages of a society (and of its meetings and elections).
SOCIETY_BLUEPRINTS = frozenset({"council.governance", "council.meetings", "council.elections"})
BALLOT_BLUEPRINT = "council.voting"


def _row_id(value: Any) -> int | None:
    # Out-of-range ids never get here: the council blueprint answers 404 first (tenants.resolution.ids_in_range).
    return value if isinstance(value, int) else None


def _society_module(view_args: Mapping[str, Any], form: Mapping[str, Any]) -> str | None:
    from app.governance import queries
    from app.governance.models import MODULE_FOR_KIND, SocietyKind

    if "society_id" in view_args:
        society_id = _row_id(view_args["society_id"])
        society = queries.society(society_id) if society_id is not None else None
        return MODULE_FOR_KIND.get(society.kind) if society is not None else None
    try:
        return MODULE_FOR_KIND.get(SocietyKind(form.get("kind")))
    except ValueError:
        return None


def _ballot_module(view_args: Mapping[str, Any], form: Mapping[str, Any]) -> str | None:
    from sqlalchemy import select

    from app.extensions import db
    from app.voting.models import Ballot

    if "ballot_id" in view_args:
        ballot_id = _row_id(view_args["ballot_id"])
        return db.session.scalar(select(Ballot.module).where(Ballot.id == ballot_id)) if ballot_id else None
    module = form.get("module")
    return module if isinstance(module, str) and module else None


def module_of(blueprint: str | None, view_args: Mapping[str, Any] | None, form: Mapping[str, Any]) -> str | None:
    """The module (a ``tenants.features.MODULES`` key) a request to ``blueprint`` is about, or None."""
    if blueprint in BLUEPRINT_MODULES:
        return BLUEPRINT_MODULES[blueprint]
    if blueprint in SOCIETY_BLUEPRINTS:
        return _society_module(view_args or {}, form)
    if blueprint == BALLOT_BLUEPRINT:
        return _ballot_module(view_args or {}, form)
    return None
