"""Disclosure control, applied when a council publishes, so raw small numbers never leave it.

Pure: no Flask, no database. The rules (ONS-style):

* **counts** under ``SMALL`` (10) are suppressed; other counts are rounded to
  the nearest ``ROUND_TO`` (5), halves up (the 10-5 rule);
* **rates** (percentages, rates per 1,000, ratios, money per person, medians
  over cases) are suppressed when their denominator is under ``SMALL`` or not
  known;
* **secondary suppression**: where a metric is the total of others
  (``Metric.parts``) and exactly one part is suppressed while the total is
  shown, the smallest other part is suppressed too, so the hidden part cannot
  be worked out as the total minus the rest. A total is never shown more
  widely than its least-shared part, nor while any part is under embargo.

Only the published value leaves: numerators and denominators never do.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from app.modules.benchmarking.catalogue import METRICS, Metric

SMALL = 10
ROUND_TO = 5


class Visibility(enum.StrEnum):
    """Who may see a council's figures for a metric, narrowest first."""

    PRIVATE = "private"  # the council's own officers only
    NETWORK = "network"  # signed-in officers of member councils
    PUBLIC = "public"  # anyone

    @property
    def rank(self) -> int:
        return list(Visibility).index(self)


@dataclass(frozen=True)
class Raw:
    """A council's own figure for one metric and period, as computed or uploaded."""

    value: float
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Sharing:
    """A council's choice for one metric: who sees it, and not before when."""

    visibility: Visibility = Visibility.PRIVATE
    embargo_until: date | None = None

    def released(self, today: date) -> bool:
        return self.embargo_until is None or today >= self.embargo_until


@dataclass(frozen=True)
class Released:
    """What is published for one metric and period: the value, or None when suppressed."""

    visibility: Visibility
    value: float | None

    @property
    def suppressed(self) -> bool:
        return self.value is None


def round_count(value: float) -> int:
    """The nearest multiple of ``ROUND_TO``, halves up."""
    return math.floor(value / ROUND_TO + 0.5) * ROUND_TO


def primary(metric: Metric, raw: Raw) -> float | None:
    """The value the 10-5 rule or the small-denominator rule allows, or None (suppressed)."""
    if metric.unit.is_count:
        return None if raw.value < SMALL else float(round_count(raw.value))
    if raw.denominator is None or raw.denominator < SMALL:
        return None
    return raw.value


def effective_sharing(code: str, sharing: Mapping[str, Sharing], today: date) -> Visibility | None:
    """How widely ``code`` may be published today (None: not at all), allowing for its parts."""
    codes = (code, *METRICS[code].parts)
    choices = [sharing.get(c, Sharing()) for c in codes]
    if not all(s.released(today) for s in choices):
        return None
    narrowest = min((s.visibility for s in choices), key=lambda v: v.rank)
    return None if narrowest is Visibility.PRIVATE else narrowest


def release(raw: Mapping[str, Raw], sharing: Mapping[str, Sharing], today: date) -> dict[str, Released]:
    """What one council publishes for one period: every shared, released metric after disclosure control.

    ``raw`` maps metric codes to the council's own figures; a code not in the
    catalogue is ignored. Metrics that are private or under embargo are left
    out altogether.
    """
    out: dict[str, Released] = {}
    for code, figure in raw.items():
        if code not in METRICS:
            continue
        visibility = effective_sharing(code, sharing, today)
        if visibility is not None:
            out[code] = Released(visibility, primary(METRICS[code], figure))
    for code, released in list(out.items()):
        parts = METRICS[code].parts
        if not parts or released.suppressed:
            continue
        if any(p not in out for p in parts):
            # A part with no figure (or not published) could be derived from the total: hold the total back.
            out[code] = Released(released.visibility, None)
            continue
        hidden = [p for p in parts if out[p].suppressed]
        if len(hidden) == 1:
            shown = sorted((p for p in parts if not out[p].suppressed), key=lambda p: (out[p].value, p))
            if shown:
                smallest = shown[0]
                out[smallest] = Released(out[smallest].visibility, None)
            else:  # pragma: no cover - a group of one part
                out[code] = Released(released.visibility, None)
    return out
