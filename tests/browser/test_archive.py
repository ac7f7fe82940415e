"""The public archive read as the public reads it (issue 16): without signing in, in a
browser set to Français and then to Bahasa Indonesia, at 375 px; a reader finds a
statement by a word, reads it with its verification code and follows the translation link
to the Spanish text."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..test_archive import _publish_translation
from .pages import axe_violations
from .test_languages import translator
from .test_sign_in import _artifact

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang,browser_locale", [("fr", "fr-FR"), ("id", "id-ID")])
def test_reading_the_archive_without_signing_in(live_server, browser, make, lang,
                                                browser_locale):
    tr = translator(lang)
    author = make.user("admin")
    original = make.statement(author, state="published", headline="Migrants are not commodities!",
                              body="We salute the migrants of the world.")
    make.statement(author, state="published", headline="Stop forced migration")
    make.statement(author, headline="A draft nobody may read")
    spanish = _publish_translation(make, make.db, original, "es",
                                   "¡Los migrantes no somos mercancías!",
                                   body="Saludamos a los migrantes del mundo.")
    context = browser.new_context(viewport={"width": 375, "height": 800},
                                  locale=browser_locale, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.base_url + "/archive/")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            tr("Statements of the alliance"))
        expect(page.get_by_text("A draft nobody may read")).to_have_count(0)
        page.get_by_label(tr("Words")).fill("commodities")
        page.get_by_role("button", name=tr("Search")).click()
        expect(page.get_by_role("status")).to_contain_text("1")
        page.get_by_role("link", name="Migrants are not commodities!").click()
        expect(page.get_by_role("heading", name="Migrants are not commodities!")).to_be_visible()
        expect(page.get_by_role("heading", name=tr("Signed and published"))).to_be_visible()
        code = original.sign_offs[-1].code_display
        expect(page.get_by_text(code)).to_be_visible()
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=_artifact(f"archive-{lang}-375.png"), full_page=True)
        page.get_by_role("link", name="Español").click()
        expect(page).to_have_url(re.compile(rf"/archive/statements/{spanish.id}$"))
        expect(page.get_by_role("heading", name="¡Los migrantes no somos mercancías!")
               ).to_be_visible()
        expect(page.locator("article.statement")).to_have_attribute("lang", "es")
        expect(page.locator("html")).to_have_attribute("lang", lang)  # the page's own words
    finally:
        context.close()
