"""Routes for signing in and out, password resets and invitations."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
council_bp = Blueprint("council_auth", __name__)


# Temporary endpoints so the layout renders while the auth pages are being built.
@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    return "sign in"


@bp.post("/sign-out")
def sign_out():
    return "sign out"
