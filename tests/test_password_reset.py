"""A forgotten password, reset by a mailed link (issue 14): single use, expiring, the
newest link only, no account revealed, every session ended, throttled."""
from __future__ import annotations

import email
import re
from datetime import timedelta
from email import policy
from pathlib import Path

from sqlalchemy import select

from ima_portal.auth.models import PasswordReset

from .conftest import Auth

NEW = "a long new passphrase for the portal"


def mails(app) -> list:
    folder = Path(app.config["MAIL_FOLDER"])
    if not folder.exists():
        return []
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted(folder.iterdir())]


def _link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+(/password/reset/\S+)", body).group(1)


def _ask(client, address):
    return client.post("/password/forgot", data={"email": address})


def test_the_link_resets_the_password_once_and_ends_every_session(app, client, db, make):
    user = make.user(email="ana@example.org")
    elsewhere = app.test_client()
    Auth(elsewhere).login(user, remember="y")
    before = len(mails(app))
    page = _ask(client, "ANA@example.org")
    assert "If an account has the address" in page.get_data(as_text=True)
    sent = mails(app)[before:]
    assert [m["To"] for m in sent] == ["ana@example.org"]
    link = _link(sent[0])
    assert client.get(link).status_code == 200
    weak = client.post(link, data={"new_password": "short", "confirm": "short"})
    assert weak.status_code == 422  # the password rule, beside the field
    done = client.post(link, data={"new_password": NEW, "confirm": NEW})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert client.get(link).status_code == 404  # used up
    assert elsewhere.get("/").status_code == 302  # the other device was signed out
    assert Auth(app.test_client()).login(user, NEW).status_code == 302
    assert Auth(app.test_client()).login(user).status_code == 401  # the old one is gone


def test_no_account_is_revealed(app, client, make):
    make.user(email="known@example.org")
    before = len(mails(app))
    known = _ask(client, "known@example.org").get_data(as_text=True)
    unknown = _ask(client, "nobody@example.org").get_data(as_text=True)
    # the address typed, and the CSRF tokens (signed with the time: they differ by the
    # second) set aside, the two pages are the same
    strip = lambda html: re.sub(r"\S+@example\.org|(?i:csrf)[^>]*", "", html)  # noqa: E731
    assert strip(known) == strip(unknown)
    assert len(mails(app)) == before + 1


def test_only_the_newest_link_works_and_a_link_expires(app, client, db, make):
    user = make.user()
    _ask(client, user.email)
    _ask(client, user.email)
    first, second = [_link(m) for m in mails(app)[-2:]]
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    reset = db.session.scalars(select(PasswordReset).order_by(PasswordReset.id.desc())).first()
    reset.expires_at = reset.created_at - timedelta(seconds=1)
    db.session.commit()
    assert client.get(second).status_code == 404
    assert "Ask for a new link" in client.get(second).get_data(as_text=True)


def test_the_token_is_kept_only_as_a_hash(app, client, db, make):
    user = make.user()
    _ask(client, user.email)
    token = _link(mails(app)[-1]).rsplit("/", 1)[1]
    stored = db.session.scalar(select(PasswordReset.token_hash))
    assert token not in stored and len(stored) == 64


def test_requests_are_throttled(app, client, make):
    user = make.user()
    answers = [_ask(client, user.email).status_code
               for _ in range(app.config["LOGIN_THROTTLE_PER_ACCOUNT"] + 1)]
    assert answers[-1] == 429
    assert answers[0] == 200


def test_a_deactivated_account_gets_no_link(app, client, make):
    user = make.user(active=False)
    before = len(mails(app))
    assert _ask(client, user.email).status_code == 200
    assert len(mails(app)) == before


def test_the_sign_in_page_offers_it(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)
