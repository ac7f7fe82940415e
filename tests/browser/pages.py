"""Steps every browser test takes: sign in, follow the main menu, wait for a page."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect


def sign_in(page, base, email, password, name):
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {name}")).to_be_visible()


def loaded(page, path):
    """Waits for `path` and for the page to have loaded (its HTMX set up: a click before
    that is a plain link or form, without JavaScript)."""
    expect(page).to_have_url(re.compile(r"^https?://[^/]+" + path + "$"))
    page.wait_for_load_state()


def nav(page, name, path):
    """Follows a link of the main menu to `path` and waits until the page has loaded
    (on a narrow screen the menu is folded behind its "Menu" button: opened first)."""
    # Whether the menu is folded is the stylesheet's to say: asked once it has loaded
    # (before, the "Menu" button shows for a moment even on a wide screen).
    page.wait_for_load_state("load")
    menu = page.locator("details.site-menu > summary")
    if menu.count() and menu.is_visible() and \
            page.locator("details.site-menu").get_attribute("open") is None:
        menu.click()
    page.locator(".main-nav").get_by_role("link", name=name, exact=True).click()
    loaded(page, path)


AXE = (Path(__file__).resolve().parent / "vendor" / "axe-core-4.10.2" / "axe.min.js")


def axe_violations(page, context=None) -> list[str]:
    """Runs axe-core in `page` (or on the element matching the CSS selector `context`) and
    answers one line per violation: rule, impact, and the first offending elements. The
    page's browser context needs `bypass_csp=True` (the portal's policy forbids inline
    scripts)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async (context) => (await axe.run(context || document,
               {resultTypes: ['violations']})).violations.map(v =>
               v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(
                   n => n.target.join(' ')).join(' | '))""", context)
    return list(found)
