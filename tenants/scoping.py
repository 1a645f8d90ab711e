"""Layer 1: the ORM filter.

Every ORM SELECT, UPDATE and DELETE touching a ``CouncilScoped`` class gets
``council_id = <current council>`` added; with no council set, it gets a false
condition instead, so the answer is "no rows", never "every council's rows".
New rows are stamped with the current council before flush, and a row stamped
for another council is refused.

Opting out is explicit, ``execution_options(all_councils=True)``, and allowed only
in ``tenants/``, ``app/modules/benchmarking/`` and ``app/cli/`` (a test greps for
it). RLS still applies underneath, so opting out of this layer widens nothing by
itself.
"""

from __future__ import annotations

from sqlalchemy import event, false
from sqlalchemy.orm import Session, with_loader_criteria

from app.db import CouncilScoped
from tenants.context import NoCouncilError, current_council_id_or_none

ALL_COUNCILS = "all_councils"


class CouncilMismatchError(RuntimeError):
    """A row for one council was about to be written while acting for another."""


def install_scoping(session_class: type[Session] = Session) -> None:
    """Attach the filter and the stamping listeners to ``session_class``."""
    if not event.contains(session_class, "do_orm_execute", _add_council_criteria):
        event.listen(session_class, "do_orm_execute", _add_council_criteria)
        event.listen(session_class, "before_flush", _stamp_council)


def _add_council_criteria(state) -> None:
    if state.is_column_load or state.is_relationship_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get(ALL_COUNCILS):
        return
    council_id = current_council_id_or_none()  # read outside the lambda: it is cached
    if council_id is None:
        criteria = with_loader_criteria(CouncilScoped, lambda cls: false(), include_aliases=True)
    else:
        criteria = with_loader_criteria(CouncilScoped, lambda cls: cls.council_id == council_id, include_aliases=True)
    state.statement = state.statement.options(criteria)


def _stamp_council(session: Session, flush_context, instances) -> None:
    council_id = current_council_id_or_none()
    for obj in session.new:
        if not isinstance(obj, CouncilScoped):
            continue
        if council_id is None:
            raise NoCouncilError(f"cannot add {type(obj).__name__} with no council set")
        if obj.council_id is None:
            obj.council_id = council_id
        elif obj.council_id != council_id:
            raise CouncilMismatchError(
                f"{type(obj).__name__} belongs to council {obj.council_id}, not the current council {council_id}"
            )
    for obj in session.dirty:
        if isinstance(obj, CouncilScoped) and obj.council_id != council_id:
            raise CouncilMismatchError(f"cannot change {obj!r} while acting for council {council_id}")
