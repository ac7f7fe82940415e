"""A chapter secretariat registers delegates for the 5th Global Assembly through the pages:
choosing the organization refreshes the participation choices in place with the reason
(an organization that owes dues is told how much, with a link to record the payment; an
associate member is told it does not vote), the dates warn about the nights the fee does
not cover, a voting delegate is registered for an organization in good standing, and a
second voting delegate for the same organization is refused beside the choice without
losing what was typed."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .pages import loaded as _loaded
from .pages import sign_in as _sign_in
from .test_sign_in import _artifact

pytestmark = pytest.mark.browser






@pytest.fixture
def assembly(make):
    """The 5th Global Assembly, registration open, in the live server's database."""
    return make.assembly()


def _choice(page, value):
    """One participation choice (its radio, its name and its reason)."""
    return page.locator("#participation-field .choice-row").filter(
        has=page.locator(f'input[name="participation"][value="{value}"]'))


def _register_form(page):
    """From the delegates list: the "Register a delegate" tab, then the empty form."""
    page.get_by_role("navigation", name="Assembly").get_by_role(
        "link", name="Register a delegate").click()
    _loaded(page, "/assemblies/5/delegates/new")
    expect(page.get_by_role("heading", name="Register a delegate")).to_be_visible()
    expect(page.locator("#participation-field")).to_contain_text("Choose the organization first")


def test_secretariat_registers_a_voting_delegate_and_sees_the_vote_refused(
        live_server, page, make, assembly):
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    secretariat = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    paid = make.organization(chapter, "Filipino Workers Center")
    make.payment(paid, 200)
    owing = make.organization(chapter, "Farmworkers Support Network")
    make.payment(owing, 50)
    associate = make.organization(chapter, "Friends of Migrants Church Network",
                                  membership="associate")
    make.payment(associate, 200)
    make.payment(make.organization(chapter, "Domestic Workers United"), 200)
    base = live_server.base_url

    # 1. Sign in; "Assembly" in the menu leads to the chapter's page of the 5th assembly,
    #    its "Delegates" tab to the delegates.
    _sign_in(page, base, secretariat.email, make.PASSWORD, "Maria Santos")
    page.locator(".main-nav").get_by_role("link", name="Assembly", exact=True).click()
    _loaded(page, "/assemblies/5/chapters/IMA-USA/")
    page.get_by_role("navigation", name="Assembly").get_by_role(
        "link", name="Delegates", exact=True).click()
    _loaded(page, "/assemblies/5/delegates/")
    expect(page.get_by_role("heading", name="5th Global Assembly")).to_be_visible()
    _register_form(page)

    organization = page.get_by_role("combobox", name="Organization")
    voting = page.get_by_role("radio", name=re.compile(r"^Voting delegate"))
    page.evaluate("window.notReloaded = true")  # gone if the page loads again

    # 2. An organization that owes dues: no vote, how much it owes, where to pay.
    organization.select_option(label="Farmworkers Support Network")
    expect(voting).to_be_disabled()
    owing_choice = _choice(page, "voting")
    expect(owing_choice.locator(".why-not")).to_contain_text("Owes US$150 for 2020-2022")
    record = owing_choice.get_by_role("link", name="Record the payment")
    expect(record).to_have_attribute(
        "href", re.compile(rf"^(https?://[^/]+)?/organizations/{owing.id}(#dues-section)?$"))
    expect(page.get_by_role("radio", name=re.compile(r"^Non-voting delegate"))).to_be_enabled()
    assert page.evaluate("window.notReloaded") is True  # refreshed in place

    # 3. An organization in good standing: the vote is open; register its delegate.
    organization.select_option(label="Filipino Workers Center")
    expect(voting).to_be_enabled()
    expect(_choice(page, "voting").locator(".why")).to_contain_text(
        "regular member in good standing")
    expect(_choice(page, "voting").get_by_role("link", name="Record the payment")) \
        .to_have_count(0)
    voting.check()
    page.get_by_label("Full name").fill("Luz Dimasalang")
    dates_check = page.locator("#dates-check")
    arrival = page.get_by_label("Arrival")
    expect(arrival).to_have_value("2022-11-29")  # the recommended day, to start with
    arrival.fill("2022-11-26")
    expect(dates_check).to_contain_text("2 nights not covered by the fee")
    assert page.evaluate("window.notReloaded") is True
    expect(voting).to_be_checked()  # nothing refreshed away the choice
    page.get_by_role("button", name="Register", exact=True).click()

    _loaded(page, "/assemblies/5/delegates/")
    expect(page.locator("#messages")).to_contain_text(
        "Luz Dimasalang is registered (pending confirmation).")
    row = page.locator("table.delegates tbody tr").filter(has_text="Luz Dimasalang")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Filipino Workers Center")
    expect(row.locator("td").nth(3)).to_contain_text("Voting delegate")
    expect(row.locator(".state")).to_have_text("Pending")

    # 4. A second voting delegate for the same organization is refused as soon as the
    #    organization is chosen, naming the first; an error on submit keeps what was typed.
    _register_form(page)
    page.evaluate("window.notReloaded = true")
    organization.select_option(label="Filipino Workers Center")
    expect(voting).to_be_disabled()
    expect(_choice(page, "voting").locator(".why-not")).to_contain_text(
        "Filipino Workers Center already has a voting delegate for this assembly: "
        "Luz Dimasalang")
    assert page.evaluate("window.notReloaded") is True
    page.get_by_label("Full name").fill("Rosa Magbanua")
    page.get_by_label("Arrival").fill("2022-11-27")
    expect(dates_check).to_contain_text("1 night not covered by the fee")
    page.get_by_role("button", name="Register", exact=True).click()  # no choice made

    feedback = page.get_by_role("group", name="Takes part as").locator(
        "#participation-feedback")
    expect(feedback).to_contain_text("Choose how this person takes part.")
    expect(page.get_by_label("Full name")).to_have_value("Rosa Magbanua")
    expect(page.get_by_label("Arrival")).to_have_value("2022-11-27")
    expect(dates_check).to_contain_text("1 night not covered by the fee")
    expect(organization).to_have_value(str(paid.id))
    expect(_choice(page, "voting").locator(".why-not")).to_contain_text(
        "already has a voting delegate")
    expect(page.locator("table.delegates")).to_have_count(0)  # still the form
    page.screenshot(path=_artifact("assembly-second-voting-delegate-refused.png"),
                    full_page=True)

    # 5. An associate member: it takes part, it does not vote, and the form says why.
    page.wait_for_load_state()
    page.evaluate("window.notReloaded = true")
    organization.select_option(label="Friends of Migrants Church Network")
    expect(_choice(page, "voting").locator(".why-not")).to_have_text(
        re.compile(r"Associate members take part but do not vote\."))
    expect(voting).to_be_disabled()
    expect(_choice(page, "voting").get_by_role("link", name="Record the payment")) \
        .to_have_count(0)
    expect(page.get_by_role("radio", name=re.compile(r"^Non-voting delegate"))).to_be_enabled()
    expect(page.get_by_label("Full name")).to_have_value("Rosa Magbanua")
    assert page.evaluate("window.notReloaded") is True
    page.screenshot(path=_artifact("assembly-associate-no-vote.png"), full_page=True)
    # A choice the organization may not take is never left chosen (greyed out, it would
    # not be sent): choose the paid-up organization's vote... then the associate.
    organization.select_option(label="Domestic Workers United")
    expect(voting).to_be_enabled()
    voting.check()
    organization.select_option(label="Friends of Migrants Church Network")
    expect(voting).to_be_disabled()
    expect(voting).not_to_be_checked(timeout=2_000)
