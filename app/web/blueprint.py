"""Global pages (start page, accessibility statement, health) and the council home."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template
from sqlalchemy import select, text

from app.extensions import db
from tenants.features import MODULES, enabled_modules
from tenants.models import Council

bp = Blueprint("web", __name__)
council_bp = Blueprint("council_home", __name__)


@bp.get("/")
def index():
    councils = db.session.scalars(select(Council).where(Council.is_active.is_(True)).order_by(Council.name)).all()
    return render_template("web/index.html", councils=councils)


@bp.get("/accessibility")
def accessibility():
    return render_template("web/accessibility.html")


@bp.get("/healthz")
def healthz():
    """Database, Redis and worker status as JSON; 503 when the service cannot work."""
    from rq import Worker

    from workers.queues import get_redis

    report: dict[str, object] = {}
    try:
        db.session.execute(text("SELECT 1"))
        report["database"] = "ok"
    except Exception as exc:  # any failure means unhealthy, and says which
        db.session.rollback()
        report["database"] = f"error: {type(exc).__name__}"
    try:
        redis = get_redis()
        redis.ping()
        report["redis"] = "ok"
        workers = Worker.all(connection=redis)
        report["workers"] = len(workers)
        report["worker"] = "ok" if workers else "none running"
    except Exception as exc:
        report["redis"] = f"error: {type(exc).__name__}"
        report["worker"] = "unknown"
    healthy = report["database"] == "ok" and report["redis"] == "ok"
    report["status"] = "ok" if healthy and report.get("worker") == "ok" else ("degraded" if healthy else "error")
    return jsonify(report), 200 if healthy else 503


@council_bp.get("/")
def home():
    modules = [MODULES[key] for key in MODULES if key in enabled_modules()]
    return render_template("web/council_home.html", council=g.council, modules=modules)
