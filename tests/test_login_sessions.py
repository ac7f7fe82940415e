"""Sessions end on the server (issue 14): a cookie copied before the logout no longer
signs anyone in; one may sign out everywhere else; old-shape cookies are refused."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ima_portal.auth.models import LoginSession
from ima_portal.auth.operations import LAST_SEEN_EVERY
from ima_portal.db_types import utcnow

from .conftest import Auth


def _copy_cookies(source, target) -> None:
    for name in ("ima_session", "ima_remember"):
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def test_a_session_cookie_copied_before_logout_no_longer_signs_in(app, client, make, auth):
    user = make.user()
    auth.login(user)
    thief = app.test_client()
    _copy_cookies(client, thief)
    assert thief.get("/").status_code == 200  # the copy works while the session lives
    auth.logout()
    assert thief.get("/").status_code == 302
    assert thief.get("/").headers["Location"].startswith("/login")


def test_a_remember_cookie_copied_before_logout_no_longer_signs_in(app, client, make, auth):
    user = make.user()
    auth.login(user, remember="y")
    thief = app.test_client()
    _copy_cookies(client, thief)
    thief.delete_cookie("ima_session")
    assert thief.get("/").status_code == 200
    auth.logout()
    fresh = app.test_client()
    _copy_cookies(thief, fresh)
    assert fresh.get("/").status_code == 302


def test_logout_ends_only_this_browsers_session(app, make, db):
    user = make.user()
    laptop, phone = app.test_client(), app.test_client()
    Auth(laptop).login(user)
    Auth(phone).login(user)
    Auth(laptop).logout()
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 200
    rows = db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)
                              .order_by(LoginSession.id)).all()
    assert [r.ended_at is not None for r in rows] == [True, False]


def test_sign_out_everywhere_else_keeps_this_browser(app, make):
    user = make.user()
    laptop, phone, tablet = app.test_client(), app.test_client(), app.test_client()
    for browser in (laptop, phone, tablet):
        Auth(browser).login(user, remember="y")
    page = laptop.get("/account").get_data(as_text=True)
    assert "Where you are signed in" in page and "this browser" in page
    done = laptop.post("/account/sessions/end-others", follow_redirects=True)
    assert "Signed out of 2 other sessions." in done.get_data(as_text=True)
    assert laptop.get("/").status_code == 200
    for browser in (phone, tablet):
        browser.delete_cookie("ima_session")  # the remember cookie alone is refused too
        assert browser.get("/").status_code == 302


def test_the_database_keeps_only_a_hash_of_the_sign_in_token(client, make, auth, db):
    user = make.user()
    auth.login(user)
    row = db.session.scalar(select(LoginSession).where(LoginSession.user_id == user.id))
    cookie_value = client.get_cookie("ima_session").value
    assert len(row.token_hash) == 64 and row.token_hash not in cookie_value


def test_a_cookie_of_the_former_shape_or_forged_signs_nobody_in(app, make):
    user = make.user()
    from ima_portal.auth.queries import user_for_cookie
    with app.app_context():
        for forged in (f"{user.id}:{user.session_token}", f"{user.id}:{user.session_token}:x",
                       "99999999999:a:b", "１:a:b", "", "::", f"{user.id}::"):
            assert user_for_cookie(forged) is None, forged


def test_last_seen_is_written_at_most_every_few_minutes(client, make, auth, db):
    user = make.user()
    auth.login(user)
    row = db.session.scalar(select(LoginSession).where(LoginSession.user_id == user.id))
    first_seen = row.last_seen_at
    client.get("/")
    db.session.refresh(row)
    assert row.last_seen_at == first_seen  # a read stays a read
    row.last_seen_at = utcnow() - LAST_SEEN_EVERY - timedelta(seconds=1)
    db.session.commit()
    client.get("/")
    db.session.refresh(row)
    assert row.last_seen_at > utcnow() - timedelta(minutes=1)
