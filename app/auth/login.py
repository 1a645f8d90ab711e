"""Flask-Login wiring: the session identity is ``<user id>:<session version>``."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load(session_id: str) -> User | None:
        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.scalar(select(User).where(User.id == int(user_id)))
        if user is None or not user.is_active or user.session_version != int(version):
            return None
        return user
