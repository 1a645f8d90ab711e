"""The OpenAPI 3.1 document of the benchmarking JSON API (``api``), built from the catalogue and the models.

Every answer is described exactly (required keys, types, enumerations, no
other keys), errors included, so that a client, or schemathesis in
``tests/security/test_api_schemathesis.py``, can hold the API to it.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from app.modules.benchmarking.catalogue import METRICS, Better, Frequency, Unit
from app.modules.benchmarking.periods import CANONICAL_PERIOD
from tenants.models import CouncilType, Region

# The database's own check on council slugs (tenants.models.Council).
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX_LENGTH = 63


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    """An object with exactly these keys."""
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def _schemas() -> dict[str, Any]:
    codes = list(METRICS)
    text = {"type": "string"}
    value = {"type": ["number", "null"], "description": "null when suppressed by disclosure control"}
    suppressed = {"type": "boolean"}
    period = {"type": "string", "pattern": CANONICAL_PERIOD.pattern}
    return {
        "Metric": _object(
            {
                "code": {"type": "string", "enum": codes},
                "name": text,
                "unit": {"type": "string", "enum": [u.value for u in Unit]},
                "better": {"type": "string", "enum": [b.value for b in Better]},
                "module": text,
                "frequency": {"type": "string", "enum": [f.value for f in Frequency]},
                "definition": text,
                "computation": text,
                "minimum": {"type": "number"},
                "maximum": {"type": "number"},
            }
        ),
        "Council": _object(
            {
                "slug": {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX_LENGTH},
                "name": text,
                "council_type": {"type": "string", "enum": [t.value for t in CouncilType]},
                "region": {"type": "string", "enum": [r.value for r in Region]},
                "population": {"type": "integer", "minimum": 0},
            }
        ),
        "Catalogue": _object({"metrics": {"type": "array", "items": _ref("Metric")}}),
        "MetricFigures": _object(
            {
                "metric": _ref("Metric"),
                "period": {"type": ["string", "null"], "description": "null when nothing is published yet"},
                "figures": {
                    "type": "array",
                    "items": _object({"council": _ref("Council"), "value": value, "suppressed": suppressed}),
                },
            }
        ),
        "CouncilMetrics": _object(
            {
                "council": _ref("Council"),
                "metrics": {"type": "array", "items": {"type": "string", "enum": codes}},
            }
        ),
        "CouncilSeries": _object(
            {
                "council": _ref("Council"),
                "metric": _ref("Metric"),
                "figures": {
                    "type": "array",
                    "items": _object({"period": period, "value": value, "suppressed": suppressed}),
                },
            }
        ),
        "Error": _object({"error": text, "status": {"type": "integer"}}),
    }


def _answers(schema: str, *errors: tuple[str, str]) -> dict[str, Any]:
    def json_of(name: str) -> dict[str, Any]:
        return {"application/json": {"schema": _ref(name)}}

    answers = {"200": {"description": "OK", "content": json_of(schema)}}
    for status, description in errors:
        answers[status] = {"description": description, "content": json_of("Error")}
    return answers


NOT_FOUND = ("404", "No such metric or council, or nothing the caller may see")


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document describing the API."""
    slug = {
        "name": "slug",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX_LENGTH},
    }
    code = {"name": "code", "in": "path", "required": True, "schema": {"type": "string", "enum": list(METRICS)}}
    period = {
        "name": "period",
        "in": "query",
        "required": False,
        "description": "YYYY-MM for monthly metrics, YYYY-Qn for quarterly ones; the latest published when left out. "
        "400 when written otherwise; 404 for a period of the other frequency or outside the published range.",
        "schema": {"type": "string", "pattern": CANONICAL_PERIOD.pattern},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Rochdale network benchmarking API",
            "version": "1",
            "description": "Read-only. Anyone sees public figures; signed-in officers of member councils also see "
            "figures shared with the network. Small numbers are suppressed or rounded before publication.",
        },
        "servers": [{"url": url_for("benchmarking_api.metrics", _external=False).rsplit("/metrics", 1)[0]}],
        "paths": {
            "/metrics": {"get": {"summary": "The metric catalogue", "responses": _answers("Catalogue")}},
            "/metrics/{code}": {
                "get": {
                    "summary": "Every council's figure for a metric in one period",
                    "parameters": [code, period],
                    "responses": _answers(
                        "MetricFigures", ("400", "The period is not written as YYYY-MM or YYYY-Qn"), NOT_FOUND
                    ),
                }
            },
            "/councils/{slug}": {
                "get": {
                    "summary": "A council and the metrics it shares with the caller",
                    "parameters": [slug],
                    "responses": _answers("CouncilMetrics", NOT_FOUND),
                }
            },
            "/councils/{slug}/metrics/{code}": {
                "get": {
                    "summary": "A council's figures for one metric over time",
                    "parameters": [slug, code],
                    "responses": _answers("CouncilSeries", NOT_FOUND),
                }
            },
        },
        "components": {"schemas": _schemas()},
    }
