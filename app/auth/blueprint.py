"""Routes for signing in and out, passwords, the account page and invitations.

``bp`` holds the global pages; ``council_bp`` is nested under the council
blueprint (``/c/<council>/…``), so invitations are looked up in that council only.
"""

from flask import Blueprint

from app.auth import views

bp = Blueprint("auth", __name__)
council_bp = Blueprint("council_auth", __name__)

bp.add_url_rule("/sign-in", "sign_in", views.sign_in, methods=["GET", "POST"])
bp.add_url_rule("/sign-out", "sign_out", views.sign_out, methods=["GET", "POST"])
bp.add_url_rule("/account", "account", views.account)
bp.add_url_rule("/account/password", "change_password", views.change_password, methods=["GET", "POST"])
bp.add_url_rule("/password/forgot", "forgot_password", views.forgot_password, methods=["GET", "POST"])
bp.add_url_rule("/password/reset/<token>", "reset_password", views.reset_password, methods=["GET", "POST"])

council_bp.add_url_rule("/invitations/<token>", "accept_invitation", views.accept_invitation, methods=["GET", "POST"])
