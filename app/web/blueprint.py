"""Global pages (start page, accessibility statement, health) and the council home."""

from flask import Blueprint

bp = Blueprint("web", __name__)
council_bp = Blueprint("council_home", __name__)
