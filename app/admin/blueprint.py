"""Routes for council administrators, under /c/<council>/admin."""

from flask import Blueprint

bp = Blueprint("council_admin", __name__, url_prefix="/admin")


@bp.get("/")
def index():  # replaced by the council administration pages
    return "admin"
