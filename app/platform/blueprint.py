"""Routes for platform administrators, under /platform."""

from flask import Blueprint

bp = Blueprint("platform", __name__, url_prefix="/platform")


@bp.get("/councils")
def councils():  # replaced by the platform administration pages
    return "councils"
