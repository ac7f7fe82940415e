from .conftest import make_app


def test_404_is_a_friendly_page(client, login_as):
    login_as()
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Not found" in html and "Go to the home page" in html and "<nav" in html


def test_404_to_htmx_is_a_fragment_for_the_message_area(client, login_as):
    login_as()
    response = client.hx_get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#messages"
    assert "<html" not in response.get_data(as_text=True)


def test_500_is_friendly_and_rolls_back(sqlite_url):
    app = make_app(sqlite_url, PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    from ima_portal.auth.access import public
    app.view_functions["boom"] = public(app.view_functions["boom"])
    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    hx = client.get("/boom", headers={"HX-Request": "true"})
    assert hx.status_code == 500 and hx.headers["HX-Retarget"] == "#messages"


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_every_error_page_has_a_heading_and_a_way_on(client, login_as):
    """"Not allowed" (and every error page) says what happened in an h1, and offers the
    home page and, when the user came from a page of the portal, the way back to it."""
    login_as("secretariat")
    response = client.get("/admin/users", headers={"Referer": "http://localhost/organizations/"})
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "<h1>Not allowed</h1>" in html
    assert '<a href="/organizations/">Back to the page you came from</a>' in html
    assert "Go to the home page" in html and 'href="/account"' in html
    for address, referrer in (("/no-such-page", "https://elsewhere.example/x"),
                              ("/no-such-page", "http://localhost/no-such-page")):
        html = client.get(address, headers={"Referer": referrer}).get_data(as_text=True)
        assert "<h1>Not found</h1>" in html and "Go to the home page" in html
        assert "Back to the page you came from" not in html  # not ours, or this very page
    # In the message area (HTMX) it stays a section of the page: an h2.
    fragment = client.hx_get("/no-such-page").get_data(as_text=True)
    assert "<h2>Not found</h2>" in fragment and "<h1" not in fragment
