"""Routes: /dev/mail (every caught message, newest first) and /dev/mail/<id>."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template
from markupsafe import Markup, escape

from app.devmail.store import list_messages, read_message

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail", template_folder="templates")

_URL = re.compile(r"https?://[^\s<>\"']+")


def _directory() -> Path:
    return Path(current_app.config["MAIL_CATCHER_DIR"])


@bp.get("")
def index():
    return render_template("devmail/index.html", messages=list_messages(_directory()))


@bp.get("/<message_id>")
def message(message_id: str):
    caught = read_message(_directory(), message_id)
    if caught is None:
        abort(404)
    return render_template("devmail/message.html", message=caught, body=linkify(caught.body))


def linkify(text: str) -> Markup:
    """``text`` escaped, with each http(s) URL made a link (so reset links can be followed)."""
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:)")
        parts.append(escape(text[last : match.start()]))
        parts.append(Markup('<a class="govuk-link" href="{0}">{0}</a>').format(url))
        last = match.start() + len(url)
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
