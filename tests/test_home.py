import re


def count(html: str, name: str) -> str:
    return re.search(rf'data-count="{name}">([^<]+)<', html).group(1).strip()


def test_global_secretariat_home_counts_what_exists(client, make, login_as):
    login_as("admin")
    make.chapter("IMA-USA")
    make.chapter("IMA-Kenya", region="africa")
    make.user(name="Sec One")  # makes a third chapter
    make.user(active=False)    # a fourth chapter, an inactive secretariat
    client.post("/logout")
    client.post("/login", data={"email": "nobody@example.org", "password": "nope nope"})
    login_as("admin")
    html = client.get("/").get_data(as_text=True)
    assert count(html, "chapters") == "4"
    assert count(html, "regions-with-chapters") == "2 / 7"
    assert count(html, "secretariat-accounts") == "1"
    assert count(html, "failed-logins") == "1"
    assert "Recent activity" in html


def test_chair_home_has_no_admin_figures(client, make, login_as):
    login_as("chair")
    make.chapter()
    html = client.get("/").get_data(as_text=True)
    assert count(html, "chapters") == "1"
    assert 'data-count="failed-logins"' not in html and "Recent activity" not in html


def test_secretariat_home_shows_its_own_team_only(client, make, login_as):
    usa, canada = make.chapter("IMA-USA"), make.chapter("IMA-Canada")
    make.user(chapter=usa, name="Colleague Here")
    make.user(chapter=canada, name="Someone Elsewhere")
    login_as("secretariat", chapter=usa, name="Me Myself")
    html = client.get("/").get_data(as_text=True)
    assert count(html, "team") == "2"
    assert "Colleague Here" in html and "Someone Elsewhere" not in html
    assert "IMA-USA" in html


def test_navigation_follows_the_role(client, login_as):
    login_as("secretariat")
    html = client.get("/").get_data(as_text=True)
    assert "My chapter" in html and "Accounts" not in html
