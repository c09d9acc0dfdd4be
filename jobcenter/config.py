"""Configuration read from the environment, so one build runs anywhere."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("JOBCENTER_INSTANCE_DIR", Path.cwd() / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the driver "postgres"; we use psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return f"sqlite:///{INSTANCE_DIR / 'jobcenter.sqlite3'}"


class Config:
    """Production defaults; every value can be overridden by an environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Public address used in e-mailed links (password reset, sign-in links, feeds).
    BASE_URL = os.environ.get("JOBCENTER_BASE_URL", "http://127.0.0.1:5000")

    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "12")))

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    BABEL_DEFAULT_LOCALE = "fi"
    BABEL_DEFAULT_TIMEZONE = "Europe/Helsinki"
    LANGUAGES = ("fi", "sv", "en")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Jobcenter <jobcenter@localhost>")
    # Send outbox mail right after the request commits (the scheduler retries failures).
    MAIL_SEND_AFTER_REQUEST = _bool("MAIL_SEND_AFTER_REQUEST", True)

    PASSWORD_RESET_HOURS = int(os.environ.get("PASSWORD_RESET_HOURS", "2"))
    SIGN_IN_LINK_DAYS = int(os.environ.get("SIGN_IN_LINK_DAYS", "14"))

    # The scheduler process (`flask jobcenter scheduler`).
    SHIFT_HORIZON_WEEKS = int(os.environ.get("SHIFT_HORIZON_WEEKS", "8"))
    SCHEDULER_LEASE_SECONDS = int(os.environ.get("SCHEDULER_LEASE_SECONDS", "60"))
    SCHEDULER_POLL_SECONDS = float(os.environ.get("SCHEDULER_POLL_SECONDS", "15"))
    SCHEDULER_OUTBOX_SECONDS = int(os.environ.get("SCHEDULER_OUTBOX_SECONDS", "60"))
    SCHEDULER_REMINDER_SECONDS = int(os.environ.get("SCHEDULER_REMINDER_SECONDS", "900"))
    # Seconds the exact optimiser may spend on a planning-board run (the greedy answer
    # is there at once; the optimiser improves and proves it within this limit).
    MATCHING_TIME_LIMIT = float(os.environ.get("MATCHING_TIME_LIMIT", "60"))
    # How long each worker may reuse the manager's dashboard figures (new hour rows show
    # at once; in-place edits within this time). 0 turns the cache off.
    DASHBOARD_CACHE_SECONDS = float(os.environ.get("DASHBOARD_CACHE_SECONDS", "60"))

    # Attendance longer than the shift by more than this needs a reason in the note.
    ATTENDANCE_TOLERANCE_MINUTES = int(os.environ.get("ATTENDANCE_TOLERANCE_MINUTES", "30"))

    API_PAGE_SIZE = 50
    API_MAX_PAGE_SIZE = 200


class DevelopmentConfig(Config):
    """The demo on http://127.0.0.1:5000: plain HTTP, so cookies cannot be Secure-only."""

    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    MAIL_SEND_AFTER_REQUEST = _bool("MAIL_SEND_AFTER_REQUEST", False)


class TestConfig(Config):
    TESTING = True
    DASHBOARD_CACHE_SECONDS = 0.0
    SECRET_KEY = "test-secret-key"  # noqa: S105
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MAIL_SEND_AFTER_REQUEST = False
    SQLALCHEMY_DATABASE_URI = (os.environ.get("DATABASE_URL") and _database_url()) or "sqlite://"
