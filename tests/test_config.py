import stat

import pytest
from sqlalchemy import text

from ima_portal import create_app
from ima_portal.config import ConfigError, database_url, from_environment


def test_production_refuses_to_start_without_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        from_environment(str(tmp_path), {"IMA_ENV": "production"})


def test_production_is_the_default_environment(tmp_path):
    with pytest.raises(ConfigError):
        from_environment(str(tmp_path), {})


def test_production_refuses_a_short_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="too short"):
        from_environment(str(tmp_path), {"IMA_ENV": "production", "SECRET_KEY": "abc"})


def test_create_app_stops_in_production_without_secret_key(tmp_path):
    with pytest.raises(ConfigError):
        create_app(environ={"IMA_ENV": "production"})


def test_development_generates_a_key_once_and_keeps_it_private(tmp_path):
    first = from_environment(str(tmp_path), {"IMA_ENV": "development"})["SECRET_KEY"]
    second = from_environment(str(tmp_path), {"IMA_ENV": "development"})["SECRET_KEY"]
    assert first == second and len(first) >= 64
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    other = tmp_path / "other"
    assert from_environment(str(other), {"IMA_ENV": "development"})["SECRET_KEY"] != first


def test_cookies_are_secure_in_production_only(tmp_path):
    prod = from_environment(str(tmp_path), {"IMA_ENV": "production", "SECRET_KEY": "x" * 40,
                                            "PORTAL_URL": "https://portal.example.org"})
    dev = from_environment(str(tmp_path), {"IMA_ENV": "development"})
    for cfg in (prod, dev):
        assert cfg["SESSION_COOKIE_HTTPONLY"] and cfg["REMEMBER_COOKIE_HTTPONLY"]
        assert cfg["SESSION_COOKIE_SAMESITE"] == cfg["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert prod["SESSION_COOKIE_SECURE"] and prod["REMEMBER_COOKIE_SECURE"]
    assert not dev["SESSION_COOKIE_SECURE"] and not dev["REMEMBER_COOKIE_SECURE"]


def test_database_url_defaults_to_sqlite_in_instance_and_switches_to_psycopg(tmp_path):
    assert database_url(None, str(tmp_path)) == f"sqlite:///{tmp_path}/ima_portal.sqlite3"
    assert database_url("postgres://u:p@h/db", "x") == "postgresql+psycopg://u:p@h/db"
    assert database_url("postgresql://u:p@h/db", "x") == "postgresql+psycopg://u:p@h/db"


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="IMA_ENV"):
        from_environment(str(tmp_path), {"IMA_ENV": "staging"})


def test_sqlite_has_foreign_keys_wal_and_busy_timeout(sqlite_url):
    from ima_portal.extensions import db

    from .conftest import make_app
    app = make_app(sqlite_url)
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert conn.execute(text("PRAGMA mmap_size")).scalar() == 256 * 1024 * 1024


def test_production_needs_the_portals_public_address(tmp_path):
    """Mails and printed statements link to PORTAL_URL, never to a request's Host."""
    with pytest.raises(ConfigError, match="PORTAL_URL is not set"):
        from_environment(str(tmp_path), {"IMA_ENV": "production", "SECRET_KEY": "x" * 40})
    with pytest.raises(ConfigError, match="must start with https://"):
        from_environment(str(tmp_path), {"IMA_ENV": "development", "PORTAL_URL": "portal.org"})
    config = from_environment(str(tmp_path), {"IMA_ENV": "production", "SECRET_KEY": "x" * 40,
                                              "PORTAL_URL": "https://portal.example.org/"})
    assert config["PORTAL_URL"] == "https://portal.example.org"
