"""Two-factor sign-in (issue 14): TOTP from an authenticator app with recovery codes,
required for the chair and the global secretariat where configured, offered to all."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from ima_portal.auth.models import RecoveryCode, User
from ima_portal.db_types import utcnow
from ima_portal.domain import second_factor

from .conftest import Auth


def _enrol(client, db, user) -> tuple[pyotp.TOTP, list[str]]:
    page = client.get("/account/two-factor")
    assert page.status_code == 200 and "<svg" in page.get_data(as_text=True)
    db.session.refresh(user)
    totp = pyotp.TOTP(user.totp_secret)
    assert user.totp_secret in page.get_data(as_text=True)  # the key to type by hand
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                      r'"X-CSRFToken": "([^"]+)"', page.get_data(as_text=True))
    done = client.post("/account/two-factor", csrf=False,
                       data={"code": totp.now(), "csrf_token": token.group(1) or token.group(2)})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = re.findall(r"<code>([2-9A-Z]{5}-[2-9A-Z]{5})</code>", done.get_data(as_text=True))
    assert len(codes) == second_factor.RECOVERY_CODES
    return totp, codes


def _next_code(totp: pyotp.TOTP) -> str:
    """The code of the time step after this one (accepted: a phone's clock may be half a
    minute ahead), never the one used at enrolment (each step is used once)."""
    return totp.at(utcnow() + timedelta(seconds=totp.interval))


def test_enrolment_then_each_sign_in_asks_for_a_code(app, client, db, make, auth):
    user = make.user()
    auth.login(user)
    totp, _codes = _enrol(client, db, user)
    auth.logout()
    first = auth.login(user)
    assert first.status_code == 302 and first.headers["Location"] == "/login/code"
    assert client.get("/").status_code == 302  # the password alone signs no one in
    wrong = client.post("/login/code", data={"code": "000000"})
    assert wrong.status_code == 401 and "This code is not right" in wrong.get_data(as_text=True)
    ok = client.post("/login/code", data={"code": _next_code(totp)})
    assert ok.status_code == 302 and ok.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_code_is_used_once(app, client, db, make, auth):
    user = make.user()
    auth.login(user)
    totp, _codes = _enrol(client, db, user)
    auth.logout()
    code = _next_code(totp)
    auth.login(user)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    other = app.test_client()
    Auth(other).login(user)
    replay = other.post("/login/code", data={"code": code})
    assert replay.status_code == 401
    assert other.get("/").status_code == 302


def test_a_recovery_code_signs_in_once(app, client, db, make, auth):
    user = make.user()
    auth.login(user)
    _totp, codes = _enrol(client, db, user)
    auth.logout()
    auth.login(user)
    ok = client.post("/login/code", data={"code": codes[0].lower().replace("-", " ")},
                     follow_redirects=True)
    assert "You used a recovery code; 9 are left." in ok.get_data(as_text=True)
    auth.logout()
    auth.login(user)
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 401
    # only hashes are kept
    hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert codes[1] not in hashes and len(hashes) == 10


def test_wrong_codes_count_towards_the_accounts_throttle(app, client, db, make, auth):
    user = make.user()
    auth.login(user)
    _enrol(client, db, user)
    auth.logout()
    auth.login(user)
    answers = [client.post("/login/code", data={"code": "123456"}).status_code
               for _ in range(app.config["LOGIN_THROTTLE_PER_ACCOUNT"] + 1)]
    assert answers[:-1] == [401] * app.config["LOGIN_THROTTLE_PER_ACCOUNT"]
    assert answers[-1] == 429


def test_the_second_step_expires(app, client, db, make, auth, monkeypatch):
    user = make.user()
    auth.login(user)
    totp, _codes = _enrol(client, db, user)
    auth.logout()
    auth.login(user)
    with client.session_transaction() as session:
        pending = dict(session["second_factor"])
        pending["at"] -= 6 * 60
        session["second_factor"] = pending
    late = client.post("/login/code", data={"code": _next_code(totp)})
    assert late.status_code == 302 and late.headers["Location"] == "/login"


@pytest.mark.parametrize("role", ["chair", "admin"])
def test_roles_that_must_use_it_set_it_up_before_any_page(app, client, db, make, auth, role,
                                                          monkeypatch):
    monkeypatch.setitem(app.config, "SECOND_FACTOR_ROLES", "chair,admin")
    user = make.user(role)
    auth.login(user)
    for path in ("/", "/statements/", "/organizations/"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == \
            "/account/two-factor", path
    assert "Your role requires two-factor sign-in" in client.get(
        "/account/two-factor").get_data(as_text=True)
    _enrol(client, db, user)
    assert client.get("/").status_code == 200
    # and may not turn it off
    off = client.post("/account/two-factor/off", data={"password": make.PASSWORD})
    assert off.status_code == 422 and "requires two-factor" in off.get_data(as_text=True)
    db.session.refresh(user)
    assert user.has_second_factor


def test_a_secretariat_may_turn_it_off_with_the_password(app, client, db, make, auth):
    user = make.user()
    auth.login(user)
    _enrol(client, db, user)
    wrong = client.post("/account/two-factor/off", data={"password": "not it at all"})
    assert wrong.status_code == 422
    assert client.post("/account/two-factor/off",
                       data={"password": make.PASSWORD}).status_code == 302
    db.session.refresh(user)
    assert not user.has_second_factor and user.totp_secret is None
    auth.logout()
    assert auth.login(user).headers["Location"] == "/"


def test_the_global_secretariat_turns_it_off_for_a_lost_phone(app, client, db, make, auth,
                                                              as_user):
    user = make.user()
    auth.login(user)
    _enrol(client, db, user)
    admin = as_user(make.user("admin"))
    card = admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Turn two-factor sign-in off" in card
    admin.post(f"/admin/users/{user.id}/second-factor/off")
    db.session.refresh(user)
    assert not user.has_second_factor
    assert client.get("/").status_code == 302  # their sessions ended
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.used_at.is_(None))) is None


def test_enrolment_refuses_a_wrong_code_and_keeps_it_off(client, db, make, auth):
    user = make.user()
    auth.login(user)
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": "12345x"})
    assert response.status_code == 422
    db.session.refresh(user)
    assert not user.has_second_factor
    assert db.session.get(User, user.id).totp_enabled_at is None


def test_domain_rules():
    assert second_factor.required_roles(" chair , admin ") == {"chair", "admin"}
    with pytest.raises(ValueError):
        second_factor.required_roles("chair,boss")
    assert second_factor.normalize_code("7kq2m-x9trb ") == "7KQ2MX9TRB"
    assert second_factor.step_is_new(5, None) and second_factor.step_is_new(6, 5)
    assert not second_factor.step_is_new(5, 5) and not second_factor.step_is_new(4, 5)
    code = second_factor.new_recovery_code()
    assert re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", code) and not set(code) & set("01OIL")
