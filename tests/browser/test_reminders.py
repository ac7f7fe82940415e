"""Turning the reminder digests off on the account page (issue 16): the answer is the
page's message, which takes focus and is in view, on a phone too."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .pages import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_turning_reminders_off_lands_on_its_message(live_server, browser, make):
    user = make.user(name="Maria Santos", email="maria@example.org")
    context = browser.new_context(viewport={"width": 375, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server.base_url, user.email, make.PASSWORD, "Maria Santos")
        page.goto(live_server.base_url + "/account")
        page.get_by_role("button", name="Turn reminders off").click()
        message = page.get_by_role("status").filter(has_text="Reminders by e-mail are off")
        expect(message).to_be_focused()
        expect(message).to_be_in_viewport()
        expect(page.get_by_role("button", name="Turn reminders on")).to_be_visible()
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
