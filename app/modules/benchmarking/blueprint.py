"""Benchmarking routes. Routing only: views are in ``views_network``, ``views_council`` and ``api``.

* ``network_bp`` — /benchmarking/…: the network pages (global; public and network figures);
* ``api_bp`` — /api/benchmarking/…: the read-only JSON API and its OpenAPI document;
* ``council_bp`` — /c/<council>/benchmarking/…: the council's own officers' pages.
"""

from __future__ import annotations

from flask import Blueprint

from app.auth.models import Role
from app.modules.benchmarking import api, views_council, views_network
from app.web.decorators import role_required

network_bp = Blueprint("benchmarking", __name__, url_prefix="/benchmarking")
network_bp.add_url_rule("/", "index", views_network.index)
network_bp.add_url_rule("/metrics/<code>", "metric", views_network.metric_table)
network_bp.add_url_rule("/metrics/<code>.csv", "metric_csv", views_network.metric_csv)
network_bp.add_url_rule("/metrics/<code>.json", "metric_json", views_network.metric_json)
network_bp.add_url_rule("/councils/<slug>", "council", views_network.council_page)
network_bp.add_url_rule("/councils/<slug>/<code>", "council_metric", views_network.council_metric)

api_bp = Blueprint("benchmarking_api", __name__, url_prefix="/api/benchmarking")
api_bp.add_url_rule("/openapi.json", "openapi", api.openapi)
api_bp.add_url_rule("/metrics", "metrics", api.metrics)
api_bp.add_url_rule("/metrics/<code>", "metric", api.metric)
api_bp.add_url_rule("/councils/<slug>", "council", api.council)
api_bp.add_url_rule("/councils/<slug>/metrics/<code>", "council_metric", api.council_metric)

council_bp = Blueprint("benchmarking_council", __name__, url_prefix="/benchmarking")
_officers = role_required(Role.OFFICER, Role.COUNCIL_ADMIN)
council_bp.add_url_rule("/", "dashboard", _officers(views_council.dashboard_page))
council_bp.add_url_rule("/sharing", "sharing", _officers(views_council.sharing), methods=["GET", "POST"])
council_bp.add_url_rule("/upload", "upload", _officers(views_council.upload), methods=["GET", "POST"])
council_bp.add_url_rule("/peers", "peers", _officers(views_council.peers), methods=["GET", "POST"])
