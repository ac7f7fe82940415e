"""Keyboard only (issue 13): a chapter secretariat records a dues payment and registers a
delegate using nothing but the keyboard (Tab, Shift+Tab, Enter, Space, arrow keys,
typing). After each step the test checks where focus is (document.activeElement) and
that what the user must read next is in view; axe-core checks the states reached (a form
with errors, a success) at 1280 and 375 px."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from .pages import axe_violations, loaded
from .test_sign_in import _artifact

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 375}


def focused(page) -> dict:
    """What has focus: tag, id, classes, type, its text and whether it is in view."""
    return page.evaluate("""() => {
        const a = document.activeElement;
        const box = a.getBoundingClientRect();
        return {tag: a.tagName.toLowerCase(), id: a.id || "", cls: a.className || "",
                type: a.type || "", name: a.name || "",
                text: (a.innerText || a.value || "").replace(/\\s+/g, " ").trim(),
                described: (a.getAttribute("aria-describedby") || "").split(/\\s+/)
                    .map(id => document.getElementById(id)).filter(Boolean)
                    .map(e => e.innerText.replace(/\\s+/g, " ").trim()).join(" "),
                inView: box.bottom > 0 && box.top < window.innerHeight &&
                        box.top >= 0 && box.height > 0};
    }""")


def tab_to(page, matches, *, limit=80, back=False) -> dict:
    """Presses Tab (or Shift+Tab) until the focused element matches; fails after `limit`."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        if matches(now):
            return now
    raise AssertionError(f"never reached by Tab; last focus: {focused(page)}")


FOUND = []


def no_violations(page, name):
    found = axe_violations(page)
    page.screenshot(path=_artifact(f"keyboard-{name}.png"), full_page=False)
    FOUND.extend(f"{name}: {v}" for v in found)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_payment_and_a_registration_by_keyboard_only(live_server, browser, make, width):
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    user = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    owing = make.organization(chapter, "Farmworkers Support Network",
                              joined_on=date(2021, 3, 1))
    make.assembly()
    base = live_server.base_url
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        # 1. Sign in: the e-mail field has focus; type, Tab, type, Enter.
        page.goto(base + "/login")
        page.wait_for_load_state()
        assert focused(page)["id"] == "email"
        page.keyboard.type(user.email)
        page.keyboard.press("Tab")
        assert focused(page)["id"] == "password"
        page.keyboard.type(make.PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Welcome, Maria Santos")).to_be_visible()

        # 2. The organization's page: Tab to "Record a payment", Enter opens the form;
        #    Tab to the amount and send it empty (Enter).
        page.goto(f"{base}/organizations/{owing.id}")
        page.wait_for_load_state()
        tab_to(page, lambda f: f["tag"] == "summary" and f["text"] == "Record a payment")
        page.keyboard.press("Enter")
        tab_to(page, lambda f: f["id"] == "amount")
        page.keyboard.press("Enter")
        # Refused: focus on the error summary, in view, which says what to type.
        expect(page.locator(".error-summary")).to_be_focused()
        now = focused(page)
        assert now["inView"], now
        assert "There is 1 problem to fix" in now["text"]
        assert "Amount: Enter the amount paid, such as 50 or 50.00." in now["text"]
        no_violations(page, f"payment-refused-{width}")
        # Its link leads to the field (Tab, Enter); type the amount and send it.
        link = tab_to(page, lambda f: f["tag"] == "a")
        assert link["text"].startswith("Amount:")
        page.keyboard.press("Enter")
        now = focused(page)
        assert now["id"] == "amount" and now["inView"], now
        page.keyboard.type("100")
        page.keyboard.press("Enter")
        # Recorded: focus on the message, in view; the standing card has changed.
        message = page.locator("#messages .flash-success")
        expect(message).to_have_text("Payment of US$100 recorded.")
        expect(message).to_be_focused()
        assert focused(page)["inView"]
        expect(page.get_by_test_id("standing-card")).to_contain_text("Good standing")
        no_violations(page, f"payment-recorded-{width}")

        # 3. Register a delegate: Tab to the organization, choose it by typing.
        page.goto(f"{base}/assemblies/5/delegates/new")
        loaded(page, "/assemblies/5/delegates/new")
        tab_to(page, lambda f: f["id"] == "organization_id")
        page.keyboard.type("Farm")
        # The choices are refreshed in place and the change is announced politely.
        expect(page.locator("#participation-status")).to_have_text(
            re.compile(r"The choices changed for Farmworkers Support Network\."))
        # Every way of taking part is reachable; Tab reaches the group's first radio.
        voting = tab_to(page, lambda f: f["name"] == "participation")
        assert voting["id"] == "participation-0"
        # Refuse nothing silently: the reason of a refused way is read with it (none here:
        # paid up, so the vote is open and says why).
        assert "regular member in good standing" in voting["described"]
        # Send the form without a name and without a choice: Tab to "Register", Enter.
        tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Register")
        page.keyboard.press("Enter")
        loaded(page, "/assemblies/5/delegates/new")
        expect(page).to_have_title(re.compile(r"^Error: Register a delegate"))
        summary = page.locator(".error-summary")
        expect(summary).to_be_focused()
        now = focused(page)
        assert now["inView"] and "There are 2 problems to fix" in now["text"], now
        no_violations(page, f"registration-refused-{width}")
        # The summary's first link leads to the group: the arrow key chooses a way.
        link = tab_to(page, lambda f: f["tag"] == "a")
        assert link["text"] == "Takes part as: Choose how this person takes part."
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "participation-0"
        page.keyboard.press("ArrowDown")
        now = focused(page)
        assert now["id"] == "participation-1" and now["inView"], now
        expect(page.get_by_role("radio", name="Non-voting delegate")).to_be_checked()
        # Tab on to the full name (the radio group is one stop), type it, send with Enter.
        now = tab_to(page, lambda f: f["id"] == "full_name", limit=10)
        assert now["inView"] and "Enter the delegate's full name." in now["described"], now
        page.keyboard.type("Luz Dimasalang")
        page.keyboard.press("Enter")
        loaded(page, "/assemblies/5/delegates/")
        message = page.locator("#messages .flash-success")
        expect(message).to_have_text("Luz Dimasalang is registered (pending confirmation).")
        expect(message).to_be_focused()
        assert focused(page)["inView"]
        expect(page).not_to_have_title(re.compile("^Error"))
        no_violations(page, f"registered-{width}")
        assert FOUND == []
    finally:
        context.close()


def test_a_refused_way_of_taking_part_is_reached_with_its_reason(live_server, browser, make):
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    user = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    owing = make.organization(chapter, "Farmworkers Support Network")
    make.payment(owing, 50)
    make.assembly()
    base = live_server.base_url
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(base + "/login")
        page.wait_for_load_state()
        page.keyboard.type(user.email)
        page.keyboard.press("Tab")
        page.keyboard.type(make.PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Welcome, Maria Santos")).to_be_visible()
        page.goto(f"{base}/assemblies/5/delegates/new")
        loaded(page, "/assemblies/5/delegates/new")
        tab_to(page, lambda f: f["id"] == "organization_id")
        page.keyboard.type("Farm")
        expect(page.locator("#participation-status")).to_have_text(re.compile(
            r"^The choices changed for Farmworkers Support Network\. Not open: Voting delegate, "))
        # Tab reaches the refused vote (not skipped) and its reason is read with it.
        voting = tab_to(page, lambda f: f["name"] == "participation")
        assert voting["id"] == "participation-0"
        assert page.locator("#participation-0").get_attribute("aria-disabled") == "true"
        assert "Owes US$150 for 2020-2022" in voting["described"], voting
        assert "Record the payment" in voting["described"]
        # The link that mends it is the next stop.
        link = tab_to(page, lambda f: True, limit=1)
        assert link["tag"] == "a" and link["text"] == "Record the payment"
        no_violations(page, "participation-refused")
    finally:
        context.close()
