"""A person signs up for an info session on the chapter's public page, on a phone (375 px),
without an account: the browser's own time zone is preselected by the page's script and
the session times are told in it (and in the session's zone), a mistake is shown beside
its field with what was typed kept, and the confirmation tells the time in their zone. The
page never scrolls sideways."""
from __future__ import annotations

from datetime import date, time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ima_portal.extensions import db
from ima_portal.info_sessions import operations
from ima_portal.info_sessions.models import InfoSessionRegistration

from .pages import loaded
from .test_sign_in import _artifact

pytestmark = pytest.mark.browser

# A winter Wednesday: 6-7 pm in Los Angeles is 9-10 pm in New York.
WEDNESDAY = date(2027, 1, 13)


@pytest.fixture
def signup_url(live_server, make):
    usa = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    sec = make.user(chapter=usa, name="Maria Santos")
    operations.schedule_sessions(
        sec, usa, day=WEDNESDAY, start=time(18), end=time(19),
        timezone="America/Los_Angeles", weeks=2, languages=["en", "es"],
        call_link="https://meet.example.org/ima-usa-info", title="Info session")
    link = operations.signup_link(sec, usa)
    db.session.commit()
    return f"{live_server.base_url}/join/{link.token}"


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_someone_signs_up_on_a_phone_told_the_time_in_their_own_zone(browser, signup_url):
    context = browser.new_context(viewport={"width": 375, "height": 800},
                                  timezone_id="America/New_York", locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(signup_url)
        page.wait_for_load_state()
        # The script picks the browser's zone and the times are refreshed for it.
        expect(page.locator("#tz")).to_have_value("America/New_York")
        first = page.locator("#session-choices label.choice").first
        expect(first).to_contain_text("Wednesday, January 13, 2027 · 9:00\u202fPM – 10:00\u202fPM")
        expect(first).to_contain_text("6:00\u202fPM – 7:00\u202fPM (America/Los_Angeles)")
        _no_sideways_scroll(page)

        first.click()
        page.get_by_label("Your name").fill("Rosa Cruz")
        page.get_by_label("E-mail").fill("rosa.cruz@example")
        page.get_by_label("Organization").fill("Migrante Bay Area")
        page.get_by_label("Interpretation wanted").select_option("es")
        page.get_by_role("button", name="Sign up").click()
        expect(page.locator("#email-feedback")).to_contain_text("such as name@example.org")
        expect(page.get_by_label("Organization")).to_have_value("Migrante Bay Area")
        expect(page.locator("#tz")).to_have_value("America/New_York")
        _no_sideways_scroll(page)

        page.get_by_label("E-mail").fill("rosa.cruz@example.org")
        page.get_by_role("button", name="Sign up").click()
        loaded(page, urlsplit(signup_url).path + "/registered")
        expect(page.get_by_role("heading", name="You are registered")).to_be_visible()
        expect(page.locator(".when-big")).to_contain_text(
            "Wednesday, January 13, 2027 · 9:00\u202fPM – 10:00\u202fPM")
        expect(page.locator("main")).to_contain_text("Interpretation into Español")
        _no_sideways_scroll(page)
        page.screenshot(path=_artifact("info-session-signed-up-375.png"), full_page=True)
    finally:
        context.close()
    reg = db.session.scalar(select(InfoSessionRegistration))
    assert (reg.name, reg.timezone, reg.interpretation) == ("Rosa Cruz", "America/New_York",
                                                            "es")
