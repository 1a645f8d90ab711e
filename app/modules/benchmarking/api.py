"""The read-only benchmarking JSON API, under /api/benchmarking, and its OpenAPI document.

Every answer holds exactly what the caller may see (``queries.reader_levels``):
public figures for anyone, network figures too for signed-in officers of
member councils. A metric a council keeps private (or under embargo) does not
exist as far as other callers are concerned: 404.
"""

from __future__ import annotations

from datetime import date

from flask import abort, jsonify

from app.modules.benchmarking import openapi as openapi_document
from app.modules.benchmarking import queries
from app.modules.benchmarking.catalogue import METRICS, Metric
from app.modules.benchmarking.format import plain
from app.modules.benchmarking.params import chosen_period
from app.modules.benchmarking.periods import label


def _metric(metric: Metric) -> dict:
    return {
        "code": metric.code,
        "name": str(metric.name),
        "unit": metric.unit.value,
        "better": metric.better.value,
        "module": metric.module,
        "frequency": metric.frequency.value,
        "definition": str(metric.definition),
        "computation": str(metric.computation),
        "minimum": metric.minimum,
        "maximum": metric.maximum,
    }


def _council(council) -> dict:
    return {
        "slug": council.slug,
        "name": council.name,
        "council_type": council.council_type.value,
        "region": council.region.value,
        "population": council.population,
    }


def metric_document(metric: Metric, period: date | None, rows: list[queries.Row]) -> dict:
    """Every council's visible figure for a metric in one period (shared by the JSON download)."""
    return {
        "metric": _metric(metric),
        "period": label(period, metric.frequency) if period else None,
        "figures": [
            {"council": _council(r.council), "value": plain(r.value), "suppressed": r.value is None} for r in rows
        ],
    }


def metrics():
    return jsonify({"metrics": [_metric(m) for m in METRICS.values()]})


def metric(code: str):
    found = METRICS.get(code)
    if found is None:
        abort(404)
    levels = queries.reader_levels()
    period, _available = chosen_period(found, levels, exact=True)
    rows = queries.metric_rows(code, period, levels) if period else []
    return jsonify(metric_document(found, period, rows))


def council(slug: str):
    found = queries.council_by_slug(slug)
    if found is None:
        abort(404)
    series = queries.council_series(found.id, queries.reader_levels())
    return jsonify(
        {
            "council": _council(found),
            "metrics": sorted(code for code in series if code in METRICS),
        }
    )


def council_metric(slug: str, code: str):
    found = queries.council_by_slug(slug)
    metric_ = METRICS.get(code)
    if found is None or metric_ is None:
        abort(404)
    points = queries.council_series(found.id, queries.reader_levels(), code).get(code)
    if not points:
        abort(404)
    return jsonify(
        {
            "council": _council(found),
            "metric": _metric(metric_),
            "figures": [
                {"period": label(start, metric_.frequency), "value": plain(value), "suppressed": value is None}
                for start, value in points
            ],
        }
    )


def openapi():
    """The OpenAPI 3.1 document describing this API (``openapi.document``)."""
    return jsonify(openapi_document.document())
