"""Network pages (global, outside the council prefix): every council per metric, and one council's page.

Anyone sees public figures; signed-in officers of member councils also see
network figures (``queries.reader_levels``). Tables sort with query
parameters, so no JavaScript is needed.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from flask import Response, abort, render_template, request

from app.csv_cells import guard
from app.modules.benchmarking import charts, dashboard, queries
from app.modules.benchmarking.api import metric_document
from app.modules.benchmarking.catalogue import METRICS, UNIT_NAMES, Metric
from app.modules.benchmarking.format import number, plain
from app.modules.benchmarking.params import chosen_period, peer_kind
from app.modules.benchmarking.peers import PEER_KIND_NAMES, PeerKind
from app.modules.benchmarking.periods import label
from app.modules.benchmarking.stats import spread

SORTS = ("name", "value")


def metric_or_404(code: str) -> Metric:
    found = METRICS.get(code)
    if found is None:
        abort(404)
    return found


def index():
    return render_template("benchmarking/network_index.html", metrics=list(METRICS.values()), units=UNIT_NAMES)


def metric_table(code: str):
    """Every council's figure for one metric and period, sortable by name or value."""
    metric = metric_or_404(code)
    levels = queries.reader_levels()
    period, available = chosen_period(metric, levels)
    rows = queries.metric_rows(code, period, levels) if period else []
    sort = request.args.get("sort", "name")
    order = request.args.get("order", "asc")
    if sort not in SORTS or order not in ("asc", "desc"):
        abort(400)
    if sort == "value":
        shown = sorted((r for r in rows if r.value is not None), key=lambda r: r.value, reverse=order == "desc")
        rows = shown + [r for r in rows if r.value is None]
    elif order == "desc":
        rows = list(reversed(rows))
    values = [r.value for r in rows if r.value is not None]
    summary = spread(values)
    chart = charts.distribution(metric, values, summary.median) if values else None
    return render_template(
        "benchmarking/metric.html",
        metric=metric,
        units=UNIT_NAMES,
        period=period,
        periods=available,
        label=label,
        rows=rows,
        summary=summary,
        chart=chart,
        sort=sort,
        order=order,
        number=number,
    )


def _download_rows(metric: Metric, levels) -> tuple[date | None, list[queries.Row]]:
    period, _available = chosen_period(metric, levels)
    return period, (queries.metric_rows(metric.code, period, levels) if period else [])


def metric_csv(code: str):
    metric = metric_or_404(code)
    period, rows = _download_rows(metric, queries.reader_levels())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["council", "council_type", "region", "metric", "period", "unit", "value", "suppressed"])
    for row in rows:
        writer.writerow(
            [
                guard(row.council.name),
                row.council.council_type.value,
                row.council.region.value,
                metric.code,
                label(period, metric.frequency),
                metric.unit.value,
                "" if row.value is None else plain(row.value),
                "yes" if row.value is None else "no",
            ]
        )
    filename = f"{metric.code}-{label(period, metric.frequency) if period else 'none'}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def metric_json(code: str):
    metric = metric_or_404(code)
    period, rows = _download_rows(metric, queries.reader_levels())
    return Response(
        json.dumps(metric_document(metric, period, rows), indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{metric.code}.json"'},
    )


PUBLIC_PEER_KINDS = (PeerKind.TYPE, PeerKind.REGION, PeerKind.POPULATION)


def council_page(slug: str):
    """One council's published figures against the network and its peers."""
    council = queries.council_by_slug(slug)
    if council is None:
        abort(404)
    levels = queries.reader_levels()
    kind = peer_kind(PUBLIC_PEER_KINDS)
    lines = dashboard.council_lines(council, levels, kind)
    return render_template(
        "benchmarking/council.html",
        shown=council,
        lines=lines,
        chart=charts.positions(lines) if lines else None,
        kind=kind,
        kinds=PUBLIC_PEER_KINDS,
        kind_names=PEER_KIND_NAMES,
        number=number,
        label=label,
        own_page=False,
    )


def council_metric(slug: str, code: str):
    """One council's figures for one metric over time; 404 when the reader may see none of them."""
    council = queries.council_by_slug(slug)
    metric = metric_or_404(code)
    if council is None:
        abort(404)
    points = queries.council_series(council.id, queries.reader_levels(), code).get(code)
    if not points:
        abort(404)
    return render_template(
        "benchmarking/council_metric.html",
        shown=council,
        metric=metric,
        points=points,
        chart=charts.series(metric, points),
        number=number,
        label=label,
    )
