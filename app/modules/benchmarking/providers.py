"""Which code computes each module's figures: one ``council_figures(start, end)`` per module.

Each provider runs under the council's context (the ORM filter and RLS see
only that council) and returns ``{code: {"value", "numerator", "denominator"}}``
(``figures.Figure``) for the period [start, end). A module's provider runs only
for councils that have the module switched on; ``ALWAYS`` ones run for all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app.care import metrics as care_metrics
from app.housing import metrics as housing_metrics
from app.modules.benchmarking.figures import Figure
from app.priorities import metrics as priorities_metrics
from app.residents import metrics as resident_metrics
from app.schools import metrics as schools_metrics
from app.youth import metrics as youth_metrics

Provider = Callable[[date, date], dict[str, Figure]]

# module key -> provider (each module's metrics.py).
PROVIDERS: dict[str, Provider] = {
    "residents": resident_metrics.council_figures,
    "priorities": priorities_metrics.council_figures,
    "youth": youth_metrics.council_figures,
    "housing": housing_metrics.council_figures,
    "schools": schools_metrics.council_figures,
    "care": care_metrics.council_figures,
}

# Providers that are not a switchable module (every council has residents).
ALWAYS = frozenset({"residents"})
