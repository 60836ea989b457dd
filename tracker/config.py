"""Settings read from the environment inside ``create_app`` (never at import time)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def normalise_database_url(url: str) -> str:
    """Make a bare ``postgres://`` or ``postgresql://`` URL use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _instance_secret(instance_path: str) -> str:
    """Return a random secret kept in the instance folder, so dev sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def settings_from_environment(
    instance_path: str, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Build the Flask config mapping from environment variables."""
    env = os.environ if env is None else env
    default_db = "sqlite:///" + str(Path(instance_path) / "tracker.sqlite3")
    mail_server = env.get("MAIL_SERVER", "")
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(env.get("DATABASE_URL") or default_db),
        "SECRET_KEY": env.get("SECRET_KEY") or _instance_secret(instance_path),
        # The key access codes are hashed with; unset, one is derived from SECRET_KEY (so
        # rotating SECRET_KEY then makes every code unusable: set this to rotate it freely).
        "ACCESS_CODE_KEY": env.get("ACCESS_CODE_KEY") or None,
        "MAIL_SERVER": mail_server,
        "MAIL_ENABLED": bool(mail_server),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _flag(env.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _flag(env.get("MAIL_USE_SSL")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": env.get(
            "MAIL_DEFAULT_SENDER", "Forum Case Tracker <tracker@localhost>"
        ),
        "MAIL_TIMEOUT": float(env.get("MAIL_TIMEOUT", "20")),
        # Telegram (docs/channels.md): the bot, the webhook's secret, the Bot API's address.
        "TELEGRAM_BOT_TOKEN": env.get("TELEGRAM_BOT_TOKEN", ""),
        "TELEGRAM_BOT_USERNAME": env.get("TELEGRAM_BOT_USERNAME", "").lstrip("@"),
        "TELEGRAM_WEBHOOK_SECRET": env.get("TELEGRAM_WEBHOOK_SECRET", ""),
        "TELEGRAM_API_URL": env.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/"),
        "TELEGRAM_TIMEOUT": float(env.get("TELEGRAM_TIMEOUT", "10")),
        "TELEGRAM_MESSAGES_PER_SECOND": float(env.get("TELEGRAM_MESSAGES_PER_SECOND", "25")),
        "TELEGRAM_CHAT_INTERVAL_SECONDS": float(env.get("TELEGRAM_CHAT_INTERVAL_SECONDS", "1")),
        # SMS: the gateway that receives {"to", "text", "id"} with a bearer token.
        "SMS_GATEWAY_URL": env.get("SMS_GATEWAY_URL", ""),
        "SMS_GATEWAY_TOKEN": env.get("SMS_GATEWAY_TOKEN", ""),
        "SMS_TIMEOUT": float(env.get("SMS_TIMEOUT", "10")),
        "OUTBOX_BATCH_SIZE": int(env.get("OUTBOX_BATCH_SIZE", "20")),
        "OUTBOX_MAX_ATTEMPTS": int(env.get("OUTBOX_MAX_ATTEMPTS", "12")),
        "OUTBOX_BACKOFF_SECONDS": int(env.get("OUTBOX_BACKOFF_SECONDS", "60")),
        "OUTBOX_BACKOFF_MAX_SECONDS": int(env.get("OUTBOX_BACKOFF_MAX_SECONDS", "3600")),
        "OUTBOX_POLL_SECONDS": int(env.get("OUTBOX_POLL_SECONDS", "30")),
        "REMINDER_TIME": env.get("REMINDER_TIME", "07:30"),
        "DIGEST_TIME": env.get("DIGEST_TIME", "mon 08:00"),
        # Lists count their matches exactly up to this many; beyond, the total is an estimate
        # (PostgreSQL's planner; on SQLite a lower bound) and says so: no count of a million rows.
        "LIST_EXACT_COUNT_LIMIT": int(env.get("LIST_EXACT_COUNT_LIMIT", "10000")),
        "LIST_EXACT_SEARCH_COUNT_LIMIT": int(env.get("LIST_EXACT_SEARCH_COUNT_LIMIT", "1000")),
        # How long a person's list keeps PostgreSQL's estimate of its total (0: ask each time).
        "LIST_ESTIMATE_KEEP_SECONDS": float(env.get("LIST_ESTIMATE_KEEP_SECONDS", "60")),
        "SCHEDULER_LEASE_SECONDS": int(env.get("SCHEDULER_LEASE_SECONDS", "30")),
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "TIMEZONE": env.get("TIMEZONE", "Asia/Phnom_Penh"),
        # A folder of extra workflow definition files (*.json, *.yaml), loaded at start-up.
        "WORKFLOW_PATH": env.get("WORKFLOW_PATH", ""),
        # memory:// counts per process; production points every worker at one Redis.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Off by default so `make run` works over plain http; set 1 behind TLS.
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE"), default=False),
        # How many reverse proxies in front of the app to believe (X-Forwarded-For/-Proto).
        "TRUSTED_PROXY_HOPS": int(env.get("TRUSTED_PROXY_HOPS", "0")),
        "DATABASE_CONNECT_TIMEOUT": int(env.get("DATABASE_CONNECT_TIMEOUT", "5")),
        # A streaming replica for reports and exports (tracker/read_replica.py); unset: none.
        # One that does not answer within the timeout is skipped for the retry period.
        "READ_DATABASE_URL": normalise_database_url(env.get("READ_DATABASE_URL", "")),
        "READ_DATABASE_CONNECT_TIMEOUT": int(env.get("READ_DATABASE_CONNECT_TIMEOUT", "2")),
        "READ_DATABASE_RETRY_SECONDS": float(env.get("READ_DATABASE_RETRY_SECONDS", "30")),
        # Cases one representative may raise, and cases naming one raiser address, per 24 hours.
        "CASE_LIMIT_PER_USER_PER_DAY": int(env.get("CASE_LIMIT_PER_USER_PER_DAY", "30")),
        "CASE_LIMIT_PER_ADDRESS_PER_DAY": int(env.get("CASE_LIMIT_PER_ADDRESS_PER_DAY", "5")),
        # Accounts: how long invitation and reset links live, and how often resets may be asked.
        "INVITATION_LIFETIME_HOURS": float(env.get("INVITATION_LIFETIME_HOURS", "72")),
        "PASSWORD_RESET_LIFETIME_HOURS": float(env.get("PASSWORD_RESET_LIFETIME_HOURS", "1")),
        "PASSWORD_RESET_RATE_LIMIT": env.get("PASSWORD_RESET_RATE_LIMIT", "5 per hour"),
        "PASSWORD_RESET_PER_ADDRESS_PER_HOUR": int(
            env.get("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", "3")
        ),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024))),
        # Spreadsheet imports (web upload and API): the largest file, the most rows in one.
        "IMPORT_MAX_BYTES": int(env.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024))),
        "IMPORT_MAX_ROWS": int(env.get("IMPORT_MAX_ROWS", "50000")),
        # Not from the environment: only test settings may choose the "cheapest" hashing.
        "PASSWORD_HASH_PROFILE": "production",
        "STATUS_RATE_LIMIT": env.get("STATUS_RATE_LIMIT", "20 per minute"),
        # Concerns raised on /raise without an account, per client address.
        "RAISE_RATE_LIMIT": env.get("RAISE_RATE_LIMIT", "5 per hour"),
        # Where `flask demo` keeps the demo users' password, so a second run can print it again.
        "DEMO_PASSWORD_FILE": env.get("DEMO_PASSWORD_FILE")
        or str(Path(instance_path) / "demo-password"),
    }


def engine_options(database_uri: str, connect_timeout: int = 5) -> dict[str, Any]:
    """Pool and connection options per backend: a busy timeout for SQLite, more for a server."""
    if database_uri.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    # A connect timeout makes an unreachable server answer 503 fast instead of hanging; the
    # ping before reuse replaces connections broken by a database restart. No server-side
    # prepared statements (psycopg prepares a query after 5 runs by default): PgBouncer in
    # transaction pooling (before 1.21, Debian's 1.18) hands each transaction any server
    # connection, where the statement "does not exist" (docs/deployment.md).
    return {
        "pool_pre_ping": True,
        "pool_size": 10,
        "max_overflow": 10,
        "connect_args": {"connect_timeout": connect_timeout, "prepare_threshold": None},
    }
