"""Rochdale: a multi-tenant platform for the UK's co-operative councils.

``create_app`` is the only way to build the Flask application; nothing builds
one at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from app.config import Config, finalise


def create_app(config_overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app from the environment, then ``config_overrides``."""
    app = Flask(__name__, instance_relative_config=False)
    from app.web.jinja import SnapshotGlobalsEnvironment

    app.jinja_environment = SnapshotGlobalsEnvironment  # before anything touches app.jinja_env
    app.config.update(Config.from_env().as_flask())
    if config_overrides:
        app.config.update(config_overrides)
    finalise(app.config)

    _init_extensions(app)
    _register_blueprints(app)

    from app.cli import register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.db_pool import DEFAULT_PING_AFTER_SECONDS, install_idle_ping, install_quiet_session_teardown
    from app.extensions import csrf, db, limiter, migrate
    from tenants.rls import install_rls_listeners
    from tenants.scoping import install_scoping

    db.init_app(app)
    install_quiet_session_teardown(app, db)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "rochdale")
    limiter.init_app(app)
    install_scoping()
    with app.app_context():
        install_rls_listeners(db.engine)
        install_idle_ping(db.engine, float(app.config.get("DB_POOL_PING_AFTER_SECONDS", DEFAULT_PING_AFTER_SECONDS)))

    from app.auth.login import init_login
    from app.i18n import init_i18n

    init_login(app)
    init_i18n(app)


def _register_blueprints(app: Flask) -> None:
    from app.admin.blueprint import bp as council_admin_bp
    from app.auth.blueprint import bp as auth_bp
    from app.auth.blueprint import council_bp as auth_council_bp
    from app.billing.blueprint import bp as council_billing_bp
    from app.billing.guard import init_billing
    from app.billing.webhook import bp as billing_webhook_bp
    from app.care.blueprint import bp as care_bp
    from app.governance.blueprint import bp as governance_bp
    from app.governance.elections.blueprint import bp as elections_bp
    from app.governance.meetings.blueprint import bp as meetings_bp
    from app.housing.blueprint import bp as housing_bp
    from app.i18n.views import bp as i18n_bp
    from app.modules.benchmarking.blueprint import api_bp as benchmarking_api_bp
    from app.modules.benchmarking.blueprint import council_bp as benchmarking_council_bp
    from app.modules.benchmarking.blueprint import network_bp as benchmarking_bp
    from app.platform.blueprint import bp as platform_bp
    from app.priorities.blueprint import bp as priorities_bp
    from app.privacy.blueprint import bp as privacy_bp
    from app.residents.blueprint import bp as residents_admin_bp
    from app.residents.resident_blueprint import bp as residents_bp
    from app.schools.blueprint import bp as schools_bp
    from app.voting.blueprint import bp as voting_bp
    from app.voting.results_blueprint import bp as voting_results_bp
    from app.web import init_web
    from app.web.blueprint import bp as web_bp
    from app.web.blueprint import council_bp as web_council_bp
    from app.youth.blueprint import bp as youth_bp
    from tenants.resolution import install_council_teardown, make_council_blueprint

    init_web(app)
    app.register_blueprint(web_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(platform_bp)
    app.register_blueprint(i18n_bp)
    app.register_blueprint(benchmarking_bp)
    app.register_blueprint(benchmarking_api_bp)
    app.register_blueprint(billing_webhook_bp)

    council = make_council_blueprint()
    council.register_blueprint(web_council_bp)
    council.register_blueprint(auth_council_bp)
    council.register_blueprint(council_admin_bp)
    council.register_blueprint(council_billing_bp)
    council.register_blueprint(residents_admin_bp)
    council.register_blueprint(residents_bp)
    council.register_blueprint(voting_bp)
    council.register_blueprint(voting_results_bp)
    council.register_blueprint(youth_bp)
    council.register_blueprint(priorities_bp)
    council.register_blueprint(governance_bp)
    council.register_blueprint(elections_bp)
    council.register_blueprint(meetings_bp)
    council.register_blueprint(housing_bp)
    council.register_blueprint(schools_bp)
    council.register_blueprint(privacy_bp)
    council.register_blueprint(benchmarking_council_bp)
    council.register_blueprint(care_bp)
    app.register_blueprint(council)
    install_council_teardown(app)
    init_billing(app)

    # The development mail catcher's pages exist only where make run catches mail.
    if app.config.get("MAIL_CATCHER_DIR"):
        from app.devmail.blueprint import bp as devmail_bp

        app.register_blueprint(devmail_bp)


def _migrations_dir() -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"
