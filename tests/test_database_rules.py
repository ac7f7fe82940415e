"""Rules that protect data are database constraints too (SQLite and PostgreSQL)."""
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from ima_portal.auth.models import User
from ima_portal.chapters.models import Chapter


def _insert_user(db, **overrides):
    values = {"email": "x@example.org", "name": "X", "password_hash": "h", "role": "chair",
              "chapter_id": None, "active": True, "timezone": "UTC",
              "must_change_password": False, "session_token": "t",
              "created_at": datetime(2026, 1, 1)}
    values.update(overrides)
    db.session.execute(text(
        "INSERT INTO users (email, name, password_hash, role, chapter_id, active, timezone, "
        "must_change_password, session_token, created_at) VALUES (:email, :name, "
        ":password_hash, :role, :chapter_id, :active, :timezone, :must_change_password, "
        ":session_token, :created_at)"), values)
    db.session.flush()


@pytest.mark.parametrize("overrides", [
    {"role": "secretariat", "chapter_id": None},   # a secretariat has a chapter
    {"email": "Mixed@Example.org"},                 # e-mails are stored lower-case
    {"role": "treasurer"},                          # only the known roles
    {"role": "chair", "chapter_id": 99999},         # the chapter exists (foreign key)
])
def test_the_database_refuses(db, overrides):
    with pytest.raises(IntegrityError):
        _insert_user(db, **overrides)
    db.session.rollback()


def test_two_accounts_never_share_an_email(db, make):
    make.user(email="same@example.org")
    with pytest.raises(IntegrityError):
        _insert_user(db, email="same@example.org")
    db.session.rollback()


def test_chapter_codes_are_unique_whatever_the_case(db, make):
    make.chapter("IMA-USA")
    db.session.add(Chapter(code="ima-usa", name="Another", country="US",
                           region=make.region()))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_times_come_back_in_utc_whatever_zone_went_in(db, make):
    user = make.user()
    manila = timezone(timedelta(hours=8))
    user.last_login_at = datetime(2026, 11, 24, 20, 0, tzinfo=manila)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(User, user.id).last_login_at
    assert stored == datetime(2026, 11, 24, 12, 0, tzinfo=UTC) and stored.tzinfo == UTC


def test_naive_times_are_refused(db, make):
    user = make.user()
    user.last_login_at = datetime(2026, 11, 24, 12, 0)
    with pytest.raises(StatementError):
        db.session.flush()
    db.session.rollback()


def test_the_seven_regions_are_there_from_the_first_migration(db):
    names = db.session.execute(text("SELECT name FROM regions ORDER BY id")).scalars().all()
    assert names == ["Asia", "Oceania", "Latin America", "North America", "Africa",
                     "Middle East", "Europe"]
