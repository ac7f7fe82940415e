"""Signing in and out: messages, throttling, cookies, CSRF, sessions that end."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ima_portal.auth.models import LoginFailure
from ima_portal.db_types import utcnow

from .conftest import Auth

BAD = "The e-mail address or the password is not right"


def test_sign_in_and_out(client, make, auth):
    user = make.user(name="Maria Santos")
    response = auth.login(user)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert "Welcome, Maria Santos" in home.get_data(as_text=True)
    out = auth.logout()
    assert out.status_code == 302 and out.headers["Location"] == "/login"
    assert client.get("/").headers["Location"].startswith("/login")


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make, auth):
    user = make.user()
    wrong = auth.login(user, "not the password at all")
    unknown = auth.login("nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        assert BAD in response.get_data(as_text=True)
    # The typed e-mail is kept; the password is not echoed back.
    assert f'value="{user.email}"' in wrong.get_data(as_text=True)
    assert "not the password at all" not in wrong.get_data(as_text=True)


def test_email_is_matched_whatever_its_case_and_spaces(client, make, auth):
    user = make.user(email="maria@example.org")
    assert auth.login("  Maria@Example.ORG ", make.PASSWORD).status_code == 302
    assert user.email == "maria@example.org"


def test_empty_fields_are_marked_beside_each_field(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    # Beside each field and in the error summary above the form: what to type.
    assert html.count("Enter the e-mail address you sign in with.") == 2
    assert html.count("Enter your password.") == 2
    assert 'aria-invalid="true"' in html


def test_deactivated_account_cannot_sign_in(client, make, auth):
    user = make.user(active=False)
    response = auth.login(user)
    assert response.status_code == 401
    assert "deactivated" in response.get_data(as_text=True)


def test_account_is_throttled_after_five_failures_with_a_clear_message(client, make, auth):
    user = make.user()
    for _ in range(5):
        assert auth.login(user, "wrong password 123").status_code == 401
    response = auth.login(user)  # even the right password waits
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Too many failed sign-in attempts" in html and "wait 15 minutes and try again" in html


def test_unknown_email_is_throttled_the_same_way(client, auth):
    for _ in range(5):
        auth.login("ghost@example.org", "wrong password 123")
    response = auth.login("ghost@example.org", "wrong password 123")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)


def test_address_is_throttled_across_accounts(client, app, make, auth):
    app.config["LOGIN_THROTTLE_PER_ADDRESS"] = 6
    for n in range(6):
        auth.login(f"guess{n}@example.org", "wrong password 123")
    user = make.user()
    assert auth.login(user).status_code == 429


def test_a_success_clears_the_account_count_but_old_failures_still_show(client, db, make, auth):
    user = make.user()
    for _ in range(4):
        auth.login(user, "wrong password 123")
    assert auth.login(user).status_code == 302
    auth.logout()
    for _ in range(4):
        assert auth.login(user, "wrong password 123").status_code == 401
    assert auth.login(user).status_code == 302
    failures = db.session.scalar(select(func.count()).select_from(LoginFailure)
                                 .where(LoginFailure.kind == "account"))
    assert failures == 8


def test_failures_older_than_a_day_are_forgotten(client, db, make, auth):
    old = utcnow() - timedelta(days=2)
    db.session.add(LoginFailure(kind="account", key="x@example.org", at=old))
    db.session.commit()
    auth.login("someone@example.org", "wrong password 123")
    keys = db.session.scalars(select(LoginFailure.key)).all()
    assert "x@example.org" not in keys


def test_remember_me_sets_a_long_lived_httponly_lax_cookie(client, make, auth):
    user = make.user()
    response = auth.login(user, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("ima_remember="))
    session = next(c for c in cookies if c.startswith("ima_session="))
    for cookie in (remember, session):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # testing serves plain http
    assert "Expires=" in remember


def test_remember_cookie_signs_in_again_after_the_session_is_gone(client, make, auth):
    user = make.user()
    auth.login(user, remember="y")
    client.delete_cookie("ima_session")
    assert client.get("/").status_code == 200


def test_form_without_csrf_token_is_refused_and_shown_again_with_what_was_typed(client, make):
    user = make.user()
    response = client.post("/login", data={"email": user.email, "password": make.PASSWORD,
                                           "csrf_token": "stale"}, csrf=False)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This form had expired. Your entries are kept below" in html
    assert f'value="{user.email}"' in html
    assert client.get("/").status_code == 302  # not signed in


def test_action_without_csrf_token_is_refused(client, login_as):
    login_as()
    response = client.post("/logout", csrf=False)
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200  # still signed in


def _remembered_only(app, make, user):
    """A browser restarted after "keep me signed in": only the remember cookie is left."""
    browser = app.test_client()
    Auth(browser).login(user, remember="y")
    browser.delete_cookie("ima_session")
    assert browser.get("/").status_code == 200
    return browser


@pytest.mark.parametrize("change", ["deactivate", "role", "reset"])
def test_admin_changes_end_the_accounts_sessions_and_remember_cookies(app, client, make,
                                                                       login_as, change):
    user = make.user()
    session_browser = app.test_client()
    Auth(session_browser).login(user)
    remembered = _remembered_only(app, make, user)
    login_as("admin")
    if change == "deactivate":
        client.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    elif change == "role":
        client.post(f"/admin/users/{user.id}/edit", data={
            "name": user.name, "email": user.email, "role": "chair", "chapter_id": "",
            "timezone": "UTC"})
    else:
        client.post(f"/admin/users/{user.id}/reset-password")
    for browser in (session_browser, remembered):
        assert browser.get("/").status_code == 302, change


def test_remember_me_survives_a_password_change(app, make):
    user = make.user()
    browser = app.test_client()
    Auth(browser).login(user, remember="y")
    new = "a brand new passphrase"
    response = browser.post("/account", data={"current_password": make.PASSWORD,
                                              "new_password": new, "confirm": new})
    assert response.status_code == 302
    browser.delete_cookie("ima_session")
    assert browser.get("/").status_code == 200


def test_remembered_session_confirms_the_password_before_admin_pages(app, make):
    admin = make.user("admin")
    browser = _remembered_only(app, make, admin)
    response = browser.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/reauthenticate?next=/admin/users")
    assert browser.get("/chapters/new").status_code == 302
    wrong = browser.post("/reauthenticate?next=/admin/users", data={"password": "nope nope"})
    assert wrong.status_code == 401
    ok = browser.post("/reauthenticate?next=/admin/users", data={"password": make.PASSWORD})
    assert ok.headers["Location"] == "/admin/users"
    assert browser.get("/admin/users").status_code == 200


def test_next_goes_back_to_the_page_asked_for_but_never_off_site(client, make, auth):
    user = make.user()
    first = client.get("/chapters/")
    assert first.headers["Location"] == "/login?next=/chapters/"
    response = client.post("/login?next=/account", data={"email": user.email,
                                                          "password": make.PASSWORD})
    assert response.headers["Location"] == "/account"
    auth.logout()
    for evil in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post("/login", query_string={"next": evil},
                               data={"email": user.email, "password": make.PASSWORD})
        assert response.headers["Location"] == "/", evil
        auth.logout()


def test_a_temporary_password_must_be_changed_first(client, db, make, auth):
    user = make.user(must_change_password=True, email="temp@example.org")
    auth.login(user)
    assert client.get("/").headers["Location"] == "/account"
    assert client.get("/chapters/").headers["Location"] == "/account"
    bad = client.post("/account", data={"current_password": make.PASSWORD,
                                        "new_password": "short", "confirm": "short"})
    assert bad.status_code == 422 and "at least 12 characters" in bad.get_data(as_text=True)
    new = "a long new passphrase here"
    ok = client.post("/account", data={"current_password": make.PASSWORD,
                                       "new_password": new, "confirm": new})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200  # this device stays signed in
    auth.logout()
    assert auth.login(user, new).status_code == 302


def test_change_password_checks_the_current_one(client, login_as):
    login_as()
    response = client.post("/account", data={"current_password": "not it at all",
                                             "new_password": "another long passphrase",
                                             "confirm": "another long passphrase"})
    assert response.status_code == 422
    assert "not your current password" in response.get_data(as_text=True)


def test_passwords_are_stored_hashed_with_scrypt(db, make):
    user = make.user(password="a very secret phrase")
    assert user.password_hash.startswith("scrypt:")
    assert "a very secret phrase" not in user.password_hash
