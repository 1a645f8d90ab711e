"""Routes for signing in and out, password resets and invitations."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
council_bp = Blueprint("council_auth", __name__)
