"""Routes for meetings (general, forum and board), under /c/<council>/societies/<society_id>/meetings.

Routing only: see ``views.py``.

A society whose council module is switched off answers 404 (``access.society_or_404``).
"""

from __future__ import annotations

from flask import Blueprint

from app.governance.meetings import views

bp = Blueprint("meetings", __name__, url_prefix="/societies/<int:society_id>/meetings")

_GET_POST = ["GET", "POST"]
_POST = ["POST"]
_M = "/<int:meeting_id>"
_R = f"{_M}/resolutions/<int:resolution_id>"

bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/new", "new_meeting", views.new_meeting, methods=_GET_POST)
bp.add_url_rule(_M, "meeting", views.meeting)
bp.add_url_rule(f"{_M}/notice.pdf", "notice_pdf", views.notice_pdf)
bp.add_url_rule(f"{_M}/notice", "give_notice", views.give_notice, methods=_POST)
bp.add_url_rule(f"{_M}/agenda", "add_agenda_item", views.add_agenda_item, methods=_POST)
bp.add_url_rule(f"{_M}/resolutions/new", "new_resolution", views.new_resolution, methods=_GET_POST)
bp.add_url_rule(f"{_M}/attendance", "attendance", views.attendance, methods=_GET_POST)
bp.add_url_rule(f"{_M}/join", "join", views.join, methods=_POST)
bp.add_url_rule(f"{_M}/proxies", "proxies", views.proxies, methods=_GET_POST)
bp.add_url_rule(f"{_M}/minutes", "minutes", views.minutes, methods=_GET_POST)
bp.add_url_rule(f"{_R}/put", "put_resolution", views.put_resolution, methods=_POST)
bp.add_url_rule(f"{_R}/vote", "vote", views.vote, methods=_GET_POST)
bp.add_url_rule(f"{_R}/count", "count", views.count)
bp.add_url_rule(f"{_R}/count/voters", "record_voter", views.record_voter, methods=_POST)
bp.add_url_rule(f"{_R}/count/totals", "enter_count", views.enter_count, methods=_POST)
bp.add_url_rule(f"{_R}/count/proxy", "proxy_vote", views.proxy_vote, methods=_POST)
bp.add_url_rule(f"{_R}/close", "close", views.close, methods=_POST)
bp.add_url_rule(f"{_R}/sign-off", "sign_off", views.sign_off, methods=_POST)
bp.add_url_rule(f"{_R}/publish", "publish", views.publish, methods=_POST)
bp.add_url_rule(f"{_R}/result", "result", views.result)


@bp.context_processor
def _helpers() -> dict:
    from app.governance.meetings import bodies
    from app.governance.meetings.forms import BODY_CHOICES
    from app.voting import timing

    return {
        "format_datetime": timing.format_datetime,
        "format_date": timing.format_date,
        "body_labels": dict(BODY_CHOICES),
        "bodies": bodies,
        "meeting_crumbs": views.meeting_crumbs,
    }
