"""A resident's own pages under /c/<council>: /register, /verify and /consent."""

from __future__ import annotations

from flask import Blueprint

from app.residents import resident_views as views

bp = Blueprint("residents", __name__)

bp.add_url_rule("/register", "sign_up", views.sign_up, methods=["GET", "POST"])
bp.add_url_rule("/verify", "verify", views.verify, methods=["GET", "POST"])
bp.add_url_rule("/consent", "parental_consent", views.parental_consent, methods=["GET", "POST"])
