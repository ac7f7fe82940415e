"""Malformed input gets a clear 4xx, never a 500 (issue 14, item 4).

Generated, not listed: the routes come from the app's URL map and the form fields from
the pages themselves. On the demo data, signed in as the global secretariat and as a
chapter secretariat, the test
  - asks every route with an `<int:…>` part for ids beyond the databases' INTEGER,
  - crawls the pages reachable from the home page (one page per endpoint), and
  - sends every form found (one per endpoint) and every list's filters three times: with
    a huge number, a NUL byte and an overlong text in every field.
Each answer must be below 500; the huge ids must be 404.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import IntegerConverter

from ima_portal import demo
from ima_portal.extensions import db as _db

from .conftest import Auth

HUGE = "9" * 20
# "²" is a digit to str.isdigit() but not to int(): a check by isdigit() alone fails on it.
NASTY = {"huge number": HUGE, "NUL byte": "a\x00b", "overlong text": "x" * 200_000,
         "non-ASCII digit": "²"}
SKIP_PREFIXES = ("/static/", "/logout")
CSRF_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')  # in every page's <body hx-headers>
# A page for the signed-in only, quick to render (the home page takes 3-4 times as long):
# asked after each POST to know we are still signed in, and for the next POST's token.
SIGNED_IN_PAGE = "/dues-check"


class _Forms(HTMLParser):
    """The links and the forms of a page (action, method, field names and kinds)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append({"action": a.get("action") or "", "method":
                               (a.get("method") or "get").lower(), "fields": {}})
        elif tag in ("input", "select", "textarea") and self.forms and a.get("name"):
            kind = a.get("type", tag).lower()
            if kind not in ("submit", "button", "image", "reset", "file"):
                self.forms[-1]["fields"][a["name"]] = kind


def _endpoint(app, path: str, method: str) -> str | None:
    try:
        endpoint, _args = app.url_map.bind("localhost").match(path, method=method)
    except (NotFound, MethodNotAllowed):
        return None
    return endpoint


def _crawl(app, client, start: str = "/", limit: int = 120):
    """Pages reachable from `start`, one per endpoint; returns {path: parsed page}."""
    seen_endpoints: set[str] = set()
    pages: dict[str, _Forms] = {}
    queue = [start]
    while queue and len(pages) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc or parts.scheme or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIP_PREFIXES):
            continue
        endpoint = _endpoint(app, parts.path, "GET")
        if endpoint is None or endpoint in seen_endpoints:
            continue
        seen_endpoints.add(endpoint)
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if not response.content_type.startswith("text/html"):
            continue
        parsed = _Forms()
        parsed.feed(response.get_data(as_text=True))
        pages[url] = parsed
        queue.extend(urljoin(url, link) for link in parsed.links)
    return pages


def _signed_in(app, email: str, password: str):
    client = app.test_client()
    response = Auth(client).login(email, password)
    assert response.status_code == 302, email
    return client


@pytest.fixture
def demo_logins(app, db):
    logins = demo.seed()
    _db.session.commit()
    return {login.email: login.password for login in logins}


@pytest.mark.parametrize("email", ["admin@example.org", "secretariat.usa@example.org"])
def test_every_route_and_form_answers_malformed_input_with_a_4xx(app, demo_logins, email,
                                                                  monkeypatch):
    # an error becomes the 500 page a user would see (collected below), not a traceback
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    client = _signed_in(app, email, demo_logins[email])
    assert client.get(SIGNED_IN_PAGE).status_code == 200
    assert app.test_client().get(SIGNED_IN_PAGE).status_code == 302  # signed out: sign in
    problems: list[str] = []

    # 1. every <int:…> beyond the databases' INTEGER: 404, as a missing record
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        ints = [name for name, conv in rule._converters.items()
                if isinstance(conv, IntegerConverter)]
        if not ints:
            continue
        values = {name: 1 for name in rule.arguments}
        values.update({name: "x" for name, conv in rule._converters.items()
                       if not isinstance(conv, IntegerConverter)})
        for name in ints:
            for big in (2**31, 2**40):
                # the int written at its place: built with a marker, then replaced
                marker = 7_654_321
                built = rule.build({**values, name: marker})[1].replace(str(marker), str(big))
                response = client.get(built)
                if response.status_code != 404:
                    problems.append(f"GET {built}: {response.status_code} (expected 404)")

    # 2. the pages a user reaches, their filters and forms, with each nasty value
    pages = _crawl(app, client)
    token = client.csrf_token()
    assert len(pages) >= 10, sorted(pages)
    posted: set[str] = set()
    for url, page in pages.items():
        for form in page.forms:
            action = urljoin(url, form["action"] or url)
            path = urlsplit(action).path
            if path.startswith(SKIP_PREFIXES):
                continue
            fields = {k: v for k, v in form["fields"].items() if k != "csrf_token"}
            if form["method"] == "get":
                for label, value in NASTY.items():
                    query = urlencode({k: value for k in fields} or {"q": value})
                    response = client.get(f"{path}?{query}")
                    if response.status_code >= 500:
                        problems.append(f"GET {path} with a {label}: {response.status_code}")
                continue
            endpoint = _endpoint(app, path, "POST")
            if endpoint is None or endpoint in posted:
                continue
            posted.add(endpoint)
            for label, value in NASTY.items():
                # the form's CSRF token sent as the page would (taken from the page asked
                # below rather than from an extra request before each POST)
                response = client.post(path, csrf=False,
                                       data={**{k: value for k in fields}, "csrf_token": token})
                if response.status_code >= 500:
                    problems.append(f"POST {path} ({endpoint}) with a {label}: "
                                    f"{response.status_code}")
                if b"security token" in response.data:  # refused before the form was read
                    problems.append(f"POST {path} ({endpoint}) with a {label}: CSRF refusal")
                # a refused sign-in or a 4xx must not have signed us out
                check = client.get(SIGNED_IN_PAGE)
                if check.status_code != 200:
                    client = _signed_in(app, email, demo_logins[email])
                    token = client.csrf_token()
                else:
                    token = CSRF_TOKEN.search(check.get_data(as_text=True)).group(1)
    assert len(posted) >= 5, sorted(posted)
    assert problems == [], "\n".join(problems)


def test_a_nul_byte_in_the_sign_in_email_is_a_400_before_any_query(client):
    response = client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400


def test_a_page_and_its_fragment_tell_caches_they_differ(client, login_as):
    login_as()
    for response in (client.get("/"), client.hx_get("/")):
        assert "HX-Request" in response.headers.get("Vary", "")
