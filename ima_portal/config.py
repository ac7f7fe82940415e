"""Configuration, read from the environment in one place.

`IMA_ENV` chooses the environment: `production` (the default, so a forgotten variable
never weakens a live server), `development` (what `make run` sets) or `testing`.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

ENVIRONMENTS = ("production", "development", "testing")
SECRET_KEY_FILE = "secret_key"


class ConfigError(RuntimeError):
    """The environment does not allow the portal to start; the message says why."""


def database_url(raw: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL: `DATABASE_URL` when set (PostgreSQL through psycopg 3),
    otherwise SQLite in the instance folder."""
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "ima_portal.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def secret_key(env: str, environ: Mapping[str, str], instance_path: str) -> str:
    """`SECRET_KEY` from the environment. In development (and tests) one is generated
    the first time and kept in the instance folder; in production its absence is fatal."""
    key = environ.get("SECRET_KEY", "").strip()
    if key:
        if env == "production" and len(key) < 32:
            raise ConfigError("SECRET_KEY is too short: use at least 32 random characters, "
                              "for example the output of `python -c 'import secrets; "
                              "print(secrets.token_hex(32))'`.")
        return key
    if env == "production":
        raise ConfigError("SECRET_KEY is not set. The portal will not start in production "
                          "without it: set SECRET_KEY to a long random value (for example "
                          "`python -c 'import secrets; print(secrets.token_hex(32))'`), the "
                          "same on every app server. For a local trial, set "
                          "IMA_ENV=development instead.")
    path = Path(instance_path) / SECRET_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Created with 0600 so that only the portal's own user can read it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def from_environment(instance_path: str, environ: Mapping[str, str] | None = None) -> dict:
    """Every setting of the portal, as a dict for `app.config.update`."""
    environ = os.environ if environ is None else environ
    env = environ.get("IMA_ENV", "production").strip().lower()
    if env not in ENVIRONMENTS:
        raise ConfigError(f"IMA_ENV={env!r} is not one of {', '.join(ENVIRONMENTS)}.")
    production = env == "production"
    return {
        "IMA_ENV": env,
        "TESTING": env == "testing",
        "SECRET_KEY": secret_key(env, environ, instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(environ.get("DATABASE_URL"), instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Cookies: never readable by scripts, not sent on cross-site POSTs; Secure in
        # production (development serves plain http on 127.0.0.1).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "ima_session",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "REMEMBER_COOKIE_NAME": "ima_remember",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_REFRESH_EACH_REQUEST": False,
        # The CSRF token lives as long as the session: a long draft is not lost to it.
        "WTF_CSRF_TIME_LIMIT": None,
        # Checked by auth.access.protect_csrf (every POST) or by the form itself.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_SSL_STRICT": production,
        # Sign-in throttling (state in the database, so it holds across app servers).
        "LOGIN_THROTTLE_WINDOW": timedelta(
            minutes=int(environ.get("LOGIN_THROTTLE_MINUTES", "15"))),
        "LOGIN_THROTTLE_PER_ACCOUNT": int(environ.get("LOGIN_THROTTLE_PER_ACCOUNT", "5")),
        "LOGIN_THROTTLE_PER_ADDRESS": int(environ.get("LOGIN_THROTTLE_PER_ADDRESS", "20")),
        # /verify: codes that match nothing, per address, before it waits (guessing codes).
        "VERIFY_THROTTLE_PER_ADDRESS": int(environ.get("VERIFY_THROTTLE_PER_ADDRESS", "20")),
        "VERIFY_THROTTLE_WINDOW": timedelta(minutes=15),
        # Roles whose accounts must use two-factor sign-in before any page (production:
        # the chair and the global secretariat); everyone may add it on the account page.
        "SECOND_FACTOR_ROLES": environ.get("SECOND_FACTOR_ROLES",
                                           "chair,admin" if production else ""),
        # Number of reverse proxies in front of the portal whose X-Forwarded-* to trust.
        "TRUSTED_PROXIES": int(environ.get("TRUSTED_PROXIES", "0")),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        # The interface's languages (a catalogue each in ima_portal/translations/).
        "LANGUAGES": [code.strip() for code in environ.get(
            "LANGUAGES", "en,id,es,fr").split(",") if code.strip()],
        "PAGE_SIZE": 25,
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,  # uploads (CSV imports)
        **mail_settings(instance_path, environ),
        **jobs_settings(instance_path, environ),
        "PORTAL_URL": portal_url(env, environ),
        # Visa letters' passport data is erased this many days after the assembly's last day.
        "PASSPORT_DATA_KEEP_DAYS": int(environ.get("PASSPORT_DATA_KEEP_DAYS", "90")),
    }


def mail_settings(instance_path: str, environ: Mapping[str, str]) -> dict:
    """Flask-Mail. Without MAIL_SERVER no mail leaves the machine: each message is written
    as an .eml file to MAIL_FOLDER (default instance/mail/), where a new user reads it."""
    server = environ.get("MAIL_SERVER", "").strip()
    return {
        "MAIL_SERVER": server or "localhost",
        "MAIL_PORT": int(environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": environ.get("MAIL_USE_TLS", "true").lower() in ("1", "true", "yes"),
        "MAIL_USE_SSL": environ.get("MAIL_USE_SSL", "").lower() in ("1", "true", "yes"),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": environ.get("MAIL_DEFAULT_SENDER",
                                           "IMA portal <portal@localhost>"),
        "MAIL_SUPPRESS_SEND": not server,
        "MAIL_FOLDER": environ.get("MAIL_FOLDER") or (
            "" if server else os.path.join(instance_path, "mail")),
    }


def jobs_settings(instance_path: str, environ: Mapping[str, str]) -> dict:
    """The job queue (huey) shared by the app servers and the worker: Redis when
    REDIS_URL is set (production, CI), otherwise a SQLite file in the instance folder.
    JOBS_IMMEDIATE runs each job at once in the process that hands it over (the tests)."""
    return {
        "REDIS_URL": environ.get("REDIS_URL", "").strip(),
        "JOBS_SQLITE": environ.get("JOBS_SQLITE") or os.path.join(instance_path,
                                                                  "jobs.sqlite3"),
        "JOBS_QUEUE": environ.get("JOBS_QUEUE", "").strip() or "ima-portal",
        "JOBS_IMMEDIATE": environ.get("JOBS_IMMEDIATE", "").lower() in ("1", "true", "yes"),
        # Finished batch exports (ZIPs), written by the worker, served by the app servers.
        "EXPORT_FOLDER": environ.get("EXPORT_FOLDER") or os.path.join(instance_path,
                                                                      "exports"),
    }


def portal_url(env: str, environ: Mapping[str, str]) -> str:
    """The portal's public address: links in mails and on printed statements (the
    verification link) are made on it, never on the Host a request names."""
    url = environ.get("PORTAL_URL", "").strip().rstrip("/")
    if url:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"PORTAL_URL={url!r} must start with https:// (or http://).")
        return url
    if env == "production":
        raise ConfigError("PORTAL_URL is not set. Set it to the portal's public address, "
                          "such as https://portal.example.org: mails and printed statements "
                          "link to it.")
    return "http://127.0.0.1:5000"
