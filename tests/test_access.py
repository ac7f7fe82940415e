"""The authorization layer: anonymous visitors, roles, and the chapter scope."""
from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from ima_portal.auth.access import is_public_endpoint

from .conftest import make_app

# The only endpoints an anonymous visitor may reach.
# The verification of a printed statement is public by design (issue 5): a reader of paper
# has no account.
PUBLIC = {"auth.login", "main.healthz", "static", "statements.verify", "statements.verify_form"}
# The second step of a sign-in: the password was right, the code is still to come.
PUBLIC |= {"auth.second_step"}
# A forgotten password: the request (answered alike for any address) and the mailed link.
PUBLIC |= {"auth.forgot_password", "auth.reset_password"}
# The language switcher works before signing in too (the sign-in page has it).
PUBLIC |= {"main.language"}
# An info session's sign-up is public by design (issue 11): anyone with the chapter's link
# signs up without an account; an unknown link answers 404.
PUBLIC |= {"info_sessions.signup", "info_sessions.signed_up"}
# The archive of published statements and its feeds (issue 16): tests/test_archive.py
# checks that nothing unsigned or unpublished is in them.
PUBLIC |= {"statements.archive", "statements.archived", "statements.archived_pdf",
           "statements.feed"}


def _url_map_requests(app):
    """Every (endpoint, method, url) of the app, with 1 for each id in the path."""
    for rule in app.url_map.iter_rules():
        args = {name: 1 if isinstance(rule._converters[name], IntegerConverter)
                else "x" for name in rule.arguments if name not in (rule.defaults or {})}
        with app.test_request_context():
            from flask import url_for
            url = url_for(rule.endpoint, **args)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def test_public_endpoints_are_exactly_the_known_ones(app):
    public = {rule.endpoint for rule in app.url_map.iter_rules()
              if _is_public(app, rule.endpoint)}
    assert public == PUBLIC


def _is_public(app, endpoint):
    with app.test_request_context():
        return is_public_endpoint(endpoint)


def test_every_other_endpoint_refuses_an_anonymous_visitor(app, client):
    checked = 0
    for endpoint, method, url in _url_map_requests(app):
        if endpoint in PUBLIC:
            continue
        # With a valid CSRF token, so that the login check itself is what refuses.
        kwargs = {"data": {}} if method == "POST" else {}
        response = client.open(url, method=method, **kwargs) if method != "POST" \
            else client.post(url, data={})
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert response.headers["Location"].startswith("/login"), (endpoint, method)
        hx = client.open(url, method=method, headers={"HX-Request": "true"}) \
            if method != "POST" else client.post(url, data={}, htmx=True)
        assert hx.status_code == 401 and hx.headers["HX-Redirect"].startswith("/login")
        checked += 1
    assert checked >= 10


def test_a_new_view_is_closed_unless_marked_public(sqlite_url):
    app = make_app(sqlite_url)

    @app.route("/forgot-to-protect")
    def forgot():
        return "secret"

    response = app.test_client().get("/forgot-to-protect")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


ADMIN_ONLY = ["/admin/users", "/admin/users/new", "/admin/activity", "/chapters/new"]


@pytest.mark.parametrize("role", ["secretariat", "chair"])
def test_admin_pages_refuse_other_roles(client, make, login_as, role):
    login_as(role)
    other = make.user("admin")
    chapter = make.chapter()
    urls = ADMIN_ONLY + [f"/admin/users/{other.id}", f"/admin/users/{other.id}/edit",
                         f"/chapters/{chapter.id}/edit"]
    for url in urls:
        assert client.get(url).status_code == 403, url
    for url in (f"/admin/users/{other.id}/active", f"/admin/users/{other.id}/reset-password"):
        assert client.post(url, data={"active": "0"}).status_code == 403, url
    assert client.get("/admin/users", headers={"HX-Request": "true"}).headers["HX-Retarget"] \
        == "#messages"


def test_admin_reaches_admin_pages(client, login_as):
    login_as("admin")
    for url in ADMIN_ONLY:
        assert client.get(url).status_code == 200, url


def test_secretariat_sees_only_its_own_chapter(client, make, login_as):
    own = make.chapter("IMA-USA", name="IMA USA")
    other = make.chapter("IMA-Canada", name="IMA Canada")
    login_as("secretariat", chapter=own)
    assert client.get(f"/chapters/{own.id}").status_code == 200
    foreign = client.get(f"/chapters/{other.id}")
    assert foreign.status_code == 404
    assert "IMA Canada" not in foreign.get_data(as_text=True)
    listing = client.get("/chapters/")
    assert listing.headers["Location"] == f"/chapters/{own.id}"


def test_chair_reads_every_chapter_but_does_not_edit(client, make, login_as):
    a, b = make.chapter(), make.chapter()
    login_as("chair")
    listing = client.get("/chapters/").get_data(as_text=True)
    assert a.code in listing and b.code in listing
    assert client.get(f"/chapters/{b.id}").status_code == 200
    assert client.get(f"/chapters/{b.id}/edit").status_code == 403
