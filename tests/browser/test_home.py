"""Each role's home at 375 px leads with what needs doing, and axe-core finds nothing on
it; the "Not allowed" page has its heading and a way on."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from ima_portal.db_types import utcnow
from ima_portal.domain.assembly import RegistrationState

from ..letters_helpers import register
from .pages import axe_violations
from .pages import sign_in as _sign_in
from .test_sign_in import _artifact

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", ["secretariat", "chair", "admin"])
def test_each_home_leads_with_what_needs_doing(live_server, browser, make, role):
    from ima_portal.extensions import db
    usa = make.chapter("IMA-USA", name="IMA USA")
    assembly = make.assembly(registration_deadline=utcnow() + timedelta(days=5))
    org = make.organization(usa, "Farmworkers Owing Here")
    make.payment(org, 50, reference="home-1")
    register(db, assembly, org, "Pat Pending", state=RegistrationState.PENDING)
    sec = make.user("secretariat", chapter=usa, name="Maria Santos")
    make.statement(sec, chapter=usa, state="submitted", headline="Waiting for the chair")
    user = {"secretariat": sec, "chair": make.user("chair", name="Eni Lestari"),
            "admin": make.user("admin", name="Li Wen")}[role]
    context = browser.new_context(viewport={"width": 375, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, live_server.base_url, user.email, make.PASSWORD, user.name)
        if role == "chair":
            waiting = page.get_by_role("region", name="Waiting for your sign-off")
            card = waiting.locator(".waiting-card")
            expect(card.get_by_role("heading")).to_have_text("Waiting for the chair")
            expect(card).to_contain_text("IMA USA")
            statement_id = card.get_attribute("data-statement")
            card.get_by_role("button", name="Review “Waiting for the chair”").click()
            expect(page).to_have_url(f"{live_server.base_url}/statements/queue#statement-"
                                     f"{statement_id}")
            expect(page.get_by_role("heading", name="Sign-off queue")).to_be_visible()
            page.go_back()
        else:
            todo = page.get_by_role("region", name="What needs doing")
            first = todo.locator(".todo-item").first
            expect(first).to_contain_text("Soon:")  # the deadline is near: it leads
            expect(first).to_contain_text("Registration for 5th Global Assembly closes")
            expect(todo.locator('[data-todo="pending"]')).to_contain_text(
                "1 delegate registration awaits confirmation.")
            todo.get_by_role("link", name="Confirm the registrations").click()
            expect(page).to_have_url(f"{live_server.base_url}/assemblies/5/delegates/"
                                     "?state=pending")
            page.go_back()
        page.wait_for_load_state()
        assert axe_violations(page) == []
        page.screenshot(path=_artifact(f"home-{role}-375.png"), full_page=True)
        if role == "chair":  # the others' homes hold tables (engineer N's scroll boxes)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_not_allowed_has_a_heading_and_a_way_on(live_server, browser, make):
    sec = make.user("secretariat", name="Maria Santos")
    context = browser.new_context(viewport={"width": 375, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, live_server.base_url, sec.email, make.PASSWORD, "Maria Santos")
        page.goto(live_server.base_url + "/admin/users",
                  referer=live_server.base_url + "/organizations/")  # as from a link
        expect(page.get_by_role("heading", level=1, name="Not allowed")).to_be_visible()
        ways = page.get_by_role("navigation", name="Ways on")
        ways.get_by_role("link", name="Back to the page you came from").click()
        expect(page).to_have_url(live_server.base_url + "/organizations/")
        page.go_back()
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
