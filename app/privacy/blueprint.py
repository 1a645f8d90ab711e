"""Routes for residents' data rights under /c/<council>. Routing only: views are in ``views.py``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from app.privacy import views

bp = Blueprint("privacy", __name__)

bp.add_url_rule("/my-data", "my_data", views.my_data)
bp.add_url_rule("/my-data/download", "download", views.download, methods=["POST"])
bp.add_url_rule("/my-data/erase", "erase", views.erase, methods=["GET", "POST"])
bp.add_url_rule("/privacy/requests", "queue", views.queue)
bp.add_url_rule("/privacy/requests/<int:request_id>", "request_detail", views.request_detail)
bp.add_url_rule("/privacy/requests/<int:request_id>/extend", "extend", views.extend, methods=["POST"])
bp.add_url_rule("/privacy/requests/<int:request_id>/complete", "complete", views.complete, methods=["POST"])


@bp.context_processor
def _helpers() -> dict[str, Any]:
    from app.privacy import labels
    from app.privacy.models import RequestKind, RequestStatus
    from app.voting import timing

    return {
        "format_date": timing.format_date,
        "format_datetime": timing.format_datetime,
        "section_label": labels.section_label,
        "field_label": labels.field_label,
        "shown": labels.shown,
        "RequestKind": RequestKind,
        "RequestStatus": RequestStatus,
    }
