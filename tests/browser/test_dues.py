"""A secretariat records a payment from the organization's page and watches the standing
card change in place; the dues check answers as the user types."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from .test_sign_in import _artifact

pytestmark = pytest.mark.browser


def _sign_in(page, base, email, password):
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome", exact=False)).to_be_visible()


def test_recording_a_payment_changes_the_standing_card(live_server, page, make):
    chapter = make.chapter("IMA-USA")
    user = make.user(chapter=chapter, email="maria@example.org")
    org = make.organization(chapter, "Caravan Solidarity Network", joined_on=date(2021, 3, 1))
    base = live_server.base_url
    _sign_in(page, base, user.email, make.PASSWORD)

    page.goto(f"{base}/organizations/{org.id}")
    card = page.get_by_test_id("standing-card")
    expect(card).to_contain_text("Owes US$100")
    expect(card).to_contain_text("May not vote")

    page.get_by_text("Record a payment").click()
    page.locator("#amount").fill("100")
    page.get_by_label("Payer's reference").fill("PAYPAL-7788")
    page.get_by_role("button", name="Record the payment").click()

    expect(card).to_contain_text("Good standing")
    expect(card).to_contain_text("May vote")
    expect(page.get_by_role("status")).to_contain_text("Payment of US$100 recorded.")
    expect(page.locator(".ledger")).to_contain_text("PAYPAL-7788")
    assert page.url == f"{base}/organizations/{org.id}"  # no page load, no navigation
    page.screenshot(path=_artifact("payment-recorded.png"), full_page=True)


def test_dues_check_answers_as_the_user_types(live_server, page, make):
    chapter = make.chapter("IMA-USA")
    user = make.user(chapter=chapter, email="maria@example.org")
    make.payment(make.organization(chapter, "Filipino Workers Center"), 200)
    make.organization(chapter, "Farmworkers Support Network")
    base = live_server.base_url
    _sign_in(page, base, user.email, make.PASSWORD)
    page.goto(base + "/dues-check")
    page.get_by_placeholder("Organization or country").press_sequentially("work", delay=30)
    cards = page.get_by_test_id("standing-card")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="Filipino Workers Center")).to_contain_text("May vote")
    expect(cards.filter(has_text="Farmworkers")).to_contain_text("Owes US$200 for 2019-2022")
    page.get_by_placeholder("Organization or country").press_sequentially(" filipino")
    expect(cards).to_have_count(0)
    page.screenshot(path=_artifact("dues-check.png"), full_page=True)
