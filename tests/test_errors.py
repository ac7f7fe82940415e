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
