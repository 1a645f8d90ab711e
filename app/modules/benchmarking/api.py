"""The read-only benchmarking JSON API, under /api/benchmarking, and its OpenAPI document.

Every answer holds exactly what the caller may see (``queries.reader_levels``):
public figures for anyone, network figures too for signed-in officers of
member councils. A metric a council keeps private (or under embargo) does not
exist as far as other callers are concerned: 404.
"""

from __future__ import annotations

from datetime import date

from flask import abort, jsonify, url_for

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
    period, _available = chosen_period(found, levels)
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
    """The OpenAPI 3.1 document describing this API."""
    figure = {
        "type": "object",
        "properties": {
            "value": {"type": ["number", "null"], "description": "null when suppressed by disclosure control"},
            "suppressed": {"type": "boolean"},
        },
    }
    council_schema = {
        "type": "object",
        "properties": {k: {"type": "string"} for k in ("slug", "name", "council_type", "region")}
        | {"population": {"type": "integer"}},
    }
    sample = _metric(next(iter(METRICS.values())))
    metric_schema = {"type": "object", "properties": {k: {"type": "string"} for k in sample}}
    not_found = {"404": {"description": "No such metric or council, or nothing the caller may see"}}
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
    code = {"name": "code", "in": "path", "required": True, "schema": {"type": "string", "enum": list(METRICS)}}
    period = {
        "name": "period",
        "in": "query",
        "required": False,
        "description": "YYYY-MM for monthly metrics, YYYY-Qn for quarterly ones; the latest when left out",
        "schema": {"type": "string"},
    }

    def ok(schema: dict) -> dict:
        return {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}, **not_found}

    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Rochdale network benchmarking API",
            "version": "1",
            "description": "Read-only. Anyone sees public figures; signed-in officers of member councils also see "
            "figures shared with the network. Small numbers are suppressed or rounded before publication.",
        },
        "servers": [{"url": url_for("benchmarking_api.metrics", _external=False).rsplit("/metrics", 1)[0]}],
        "paths": {
            "/metrics": {"get": {"summary": "The metric catalogue", "responses": ok({"type": "object"})}},
            "/metrics/{code}": {
                "get": {
                    "summary": "Every council's figure for a metric in one period",
                    "parameters": [code, period],
                    "responses": ok(
                        {
                            "type": "object",
                            "properties": {
                                "metric": metric_schema,
                                "period": {"type": ["string", "null"]},
                                "figures": {
                                    "type": "array",
                                    "items": {
                                        "allOf": [figure, {"properties": {"council": council_schema}}],
                                    },
                                },
                            },
                        }
                    ),
                }
            },
            "/councils/{slug}": {
                "get": {
                    "summary": "A council and the metrics it shares with the caller",
                    "parameters": [slug],
                    "responses": ok({"type": "object"}),
                }
            },
            "/councils/{slug}/metrics/{code}": {
                "get": {
                    "summary": "A council's figures for one metric over time",
                    "parameters": [slug, code],
                    "responses": ok(
                        {
                            "type": "object",
                            "properties": {
                                "council": council_schema,
                                "metric": metric_schema,
                                "figures": {
                                    "type": "array",
                                    "items": {"allOf": [figure, {"properties": {"period": {"type": "string"}}}]},
                                },
                            },
                        }
                    ),
                }
            },
        },
    }
    return jsonify(document)
