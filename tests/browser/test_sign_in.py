"""A chapter secretariat signs in, sees the home page and signs out; a wrong password is
refused with a clear message. Playwright drives Debian's /usr/bin/chromium."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_secretariat_signs_in_sees_home_and_signs_out(live_server, page, make):
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    user = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    base = live_server.base_url

    page.goto(base + "/")
    expect(page).to_have_url(base + "/login?next=/")
    page.get_by_label("E-mail").fill("maria@example.org")
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Welcome, Maria Santos")).to_be_visible()
    expect(page.locator('[data-count="team"]')).to_have_text("1")
    expect(page.get_by_role("link", name="My chapter")).to_be_visible()
    expect(page.get_by_role("link", name="Accounts")).to_have_count(0)
    page.screenshot(path=_artifact("secretariat-home.png"), full_page=True)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(base + "/login")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto(base + "/")
    expect(page).to_have_url(base + "/login?next=/")
    assert user.email == "maria@example.org"


def test_wrong_password_shows_a_clear_error_and_keeps_the_email(live_server, page, make):
    make.user(email="maria@example.org")
    base = live_server.base_url
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill("maria@example.org")
    page.get_by_label("Password").fill("not my password at all")
    page.get_by_role("button", name="Sign in").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The e-mail address or the password is not right")
    expect(page.get_by_label("E-mail")).to_have_value("maria@example.org")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page).to_have_url(base + "/login")
    page.screenshot(path=_artifact("wrong-password.png"), full_page=True)


def test_admin_sees_inline_validation_without_losing_input(live_server, page, make):
    admin = make.user("admin", email="admin@example.org")
    make.user(email="taken@example.org")
    base = live_server.base_url
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(base + "/admin/users/new")
    page.get_by_label("Full name").fill("Joel Okafor")
    page.get_by_label("E-mail").fill("taken@example.org")
    page.get_by_label("Temporary password").fill("half typed")  # focus leaves the e-mail
    feedback = page.locator("#email-feedback")
    expect(feedback).to_contain_text("Another account already uses this e-mail address.")
    expect(page.get_by_label("E-mail")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Full name")).to_have_value("Joel Okafor")
    expect(page.get_by_label("Temporary password")).to_have_value("half typed")
    page.screenshot(path=_artifact("inline-validation.png"), full_page=True)


def _artifact(name: str) -> str:
    import os
    os.makedirs("test-artifacts", exist_ok=True)
    return os.path.join("test-artifacts", name)
