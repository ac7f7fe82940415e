"""The portal in Bahasa Indonesia and in Français (issue 12), as a browser set to that
language sees it: the sign-in, the dues check and the registration of a delegate. The
words expected are read from the catalogue itself, so the test follows the translators'
choices and fails on any English left on these paths."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from .pages import loaded
from .test_sign_in import _artifact

pytestmark = pytest.mark.browser

TRANSLATIONS = Path(__file__).resolve().parents[2] / "ima_portal" / "translations"


def translator(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)

    def tr(message: str, **params) -> str:
        found = catalog.get(message)
        assert found is not None and found.string, message
        text = found.string if isinstance(found.string, str) else found.string[0]
        return text % params if params else text
    return tr


@pytest.mark.parametrize("lang,browser_locale", [("id", "id-ID"), ("fr", "fr-FR")])
def test_sign_in_dues_check_and_registration_in_the_browsers_language(
        live_server, browser, make, lang, browser_locale):
    tr = translator(lang)
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    user = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    make.payment(make.organization(chapter, "Filipino Workers Center"), 200)
    make.organization(chapter, "Farmworkers Support Network")
    make.assembly()
    base = live_server.base_url
    context = browser.new_context(viewport={"width": 375, "height": 800},
                                  locale=browser_locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        # 1. Sign in: the page is in the browser's language, its lang attribute follows.
        page.goto(base + "/login")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        page.get_by_label(tr("E-mail")).fill(user.email)
        page.get_by_label(tr("Password")).fill("not the password at all")
        page.get_by_role("button", name=tr("Sign in"), exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text(tr(
            "The e-mail address or the password is not right. Check both and try again."))
        page.get_by_label(tr("Password")).fill(make.PASSWORD)
        page.get_by_role("button", name=tr("Sign in"), exact=True).click()
        expect(page.get_by_role("heading", name=tr("Welcome, %(name)s", name="Maria Santos"))
               ).to_be_visible()

        # 2. The dues check answers as one types, in the same language.
        page.goto(base + "/dues-check")
        page.get_by_placeholder(tr("Organization or country")).press_sequentially(
            "work", delay=30)
        cards = page.get_by_test_id("standing-card")
        expect(cards).to_have_count(2)
        expect(cards.filter(has_text="Filipino Workers Center")).to_contain_text(
            tr("May vote"))

        # 3. Registering a delegate: the form, and its refusal beside the field.
        page.goto(base + "/assemblies/5/delegates/new")
        loaded(page, "/assemblies/5/delegates/new")
        expect(page.locator("#participation-field")).to_contain_text(
            tr("Choose the organization first: the choices depend on its membership and "
               "dues."))
        page.get_by_role("combobox", name=tr("Organization")).select_option(
            label="Filipino Workers Center")
        voting = page.get_by_role("radio", name=re.compile("^" + re.escape(
            tr("Voting delegate"))))
        expect(voting).to_be_enabled()
        voting.check()
        page.get_by_role("button", name=tr("Register")).click()
        expect(page.locator("#full_name-feedback")).to_contain_text(
            tr("Enter the delegate's full name."))
        expect(page.get_by_role("combobox", name=tr("Organization"))).to_have_value(
            re.compile(r"\d+"))  # what was chosen is kept
        page.screenshot(path=_artifact(f"register-{lang}-375.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
