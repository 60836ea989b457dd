"""The Forum Case Tracker Flask application."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.body_limits import init_body_limits
from tracker.config import engine_options, settings_from_environment
from tracker.security import init_security
from tracker.uploads import init_uploads


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings, then extensions, blueprints, error handlers and CLI."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(settings_from_environment(app.instance_path))
    if config:
        app.config.update(config)
    # 429 answers carry Retry-After; read by Flask-Limiter when it is bound below.
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # While a shared storage (Redis) is unreachable, count per process instead of failing (500).
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"], app.config["DATABASE_CONNECT_TIMEOUT"]
        ),
    )
    trust_proxies(app)
    init_body_limits(app)
    register_workflows(app)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_listeners()
    register_cli(app)
    init_security(app)
    init_uploads(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto from exactly TRUSTED_PROXY_HOPS proxies (0: none).

    With 1 hop the client address is the last X-Forwarded-For entry, the one our own proxy
    appended; anything a client wrote before it is ignored (rate limits, audit trail).
    """
    hops = int(app.config["TRUSTED_PROXY_HOPS"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_workflows(app: Flask) -> None:
    """Load the workflow definitions (built-in and WORKFLOW_PATH's); a broken one stops here."""
    from tracker.workflow_registry import init_workflows

    init_workflows(app)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    from tracker import models  # noqa: F401  (registers the tables on the metadata)
    from tracker.database import configure_engine, include_in_migrations, render_migration_type
    from tracker.extensions import db, limiter, mail, migrate
    from tracker.web import init_web

    db.init_app(app)
    configure_engine(app)
    migrate.init_app(
        app,
        db,
        directory=str(_project_path("migrations")),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_type,
        include_object=include_in_migrations,
    )
    mail.init_app(app)
    limiter.init_app(app)
    init_web(app)


def register_blueprints(app: Flask) -> None:
    """Mount the web pages and the API."""
    from tracker.api import init_api
    from tracker.web import web
    from tracker.web.telegram import telegram

    app.register_blueprint(web)
    app.register_blueprint(telegram)
    init_api(app)


def register_listeners() -> None:
    """Let notifications turn recorded events into outbox rows (in the same transaction)."""
    from notifications.events import connect_listeners

    connect_listeners()


def register_errors(app: Flask) -> None:
    """Answer every error as problem+json or an HTML page."""
    from tracker.errors import register_error_handlers

    register_error_handlers(app)


def register_cli(app: Flask) -> None:
    """Add the ``flask --app wsgi …`` commands."""
    from tracker.cli import register_commands

    register_commands(app)


def _project_path(name: str):
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / name
