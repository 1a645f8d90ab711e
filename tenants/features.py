"""The council modules, and each council's switches for them.

A module a council has switched off answers 404 on every page, as if it did
not exist (``app.web.decorators.module_required``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from tenants.context import current_council_id
from tenants.models import CouncilModule


@dataclass(frozen=True)
class ModuleDefinition:
    key: str
    title: str
    summary: str


MODULES: dict[str, ModuleDefinition] = {
    m.key: m
    for m in (
        ModuleDefinition(
            "priorities", "Neighbourhood priorities", "Residents vote on what matters most in their neighbourhood."
        ),
        ModuleDefinition(
            "schools", "Co-operative trust schools", "Trust members, constituencies and stakeholder forum elections."
        ),
        ModuleDefinition(
            "housing", "Housing co-operatives", "Member and share registers, general meetings and resolutions."
        ),
        ModuleDefinition(
            "youth", "Youth service choices", "Each neighbourhood chooses the balance of its youth services."
        ),
        ModuleDefinition(
            "care", "Care social enterprises", "Multi-stakeholder membership and a say in care and support."
        ),
    )
}


class UnknownModuleError(ValueError):
    """A module key that is not in ``MODULES``."""


def enabled_modules() -> set[str]:
    """Keys of the modules the current council has switched on."""
    rows = db.session.scalars(select(CouncilModule.module).where(CouncilModule.is_enabled.is_(True)))
    return set(rows)


def is_module_enabled(key: str) -> bool:
    """Whether the current council runs module ``key``."""
    return key in enabled_modules()


def set_module_enabled(key: str, enabled: bool) -> CouncilModule:
    """Switch module ``key`` on or off for the current council (flushes, never commits)."""
    if key not in MODULES:
        raise UnknownModuleError(key)
    current_council_id()
    switch = db.session.scalar(select(CouncilModule).where(CouncilModule.module == key))
    if switch is None:
        switch = CouncilModule(module=key, is_enabled=enabled, changed_at=func.now())
        db.session.add(switch)
    elif switch.is_enabled != enabled:
        switch.is_enabled = enabled
        switch.changed_at = func.now()
    db.session.flush()
    return switch
