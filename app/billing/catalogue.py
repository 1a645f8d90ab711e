"""The platform's standard price list, written to the database by ``rochdale billing sync-plans``.

Prices are in pence and exclude VAT. A plan's key names it for ever: to change
a price, add a plan with a new key and retire the old one (Stripe prices are
immutable, and councils on the old plan keep it).
"""

from __future__ import annotations

from dataclasses import dataclass

from tenants.features import MODULES


@dataclass(frozen=True)
class PlanDefinition:
    key: str
    name: str
    interval: str
    amount_pence: int
    modules: tuple[str, ...]


ALL_MODULES = tuple(MODULES)

STANDARD_PLANS: tuple[PlanDefinition, ...] = (
    PlanDefinition("one-module-month", "One module, monthly", "month", 45_000, ("priorities",)),
    PlanDefinition("one-module-year", "One module, yearly", "year", 450_000, ("priorities",)),
    PlanDefinition("all-modules-month", "All modules, monthly", "month", 150_000, ALL_MODULES),
    PlanDefinition("all-modules-year", "All modules, yearly", "year", 1_500_000, ALL_MODULES),
)
