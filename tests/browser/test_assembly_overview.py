"""A chapter secretariat opens their chapter's assembly page from the menu: the delegates
counted by participation and state, the fees, the solidarity fund's progress bar with its
text, and what needs doing; following the "awaiting confirmation" item lands on the
delegates list filtered to the pending registrations. At 375 px the page does not scroll
sideways (the counts table scrolls in its own region)."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from ima_portal.assembly import fees
from ima_portal.assembly.models import Registration
from ima_portal.domain.assembly import Participation, RegistrationState
from ima_portal.extensions import db

from .pages import loaded, sign_in
from .test_sign_in import _artifact

pytestmark = pytest.mark.browser


def _add(assembly, org, name, **fields) -> Registration:
    values = {"participation": Participation.NON_VOTING, "arrival": date(2022, 11, 29),
              "departure": date(2022, 12, 4)}
    values.update(fields)
    reg = Registration(assembly_id=assembly.id, organization_id=org.id,
                       chapter_id=org.chapter_id, full_name=name, **values)
    db.session.add(reg)
    db.session.commit()
    return reg


def test_secretariat_reads_their_chapter_page_and_follows_a_to_do(live_server, page, make):
    base = live_server.base_url
    assembly = make.assembly()
    chapter = make.chapter("IMA-USA", name="IMA USA")
    secretariat = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    paid = make.organization(chapter, "Filipino Workers Center")
    make.payment(paid, 200)
    other = make.organization(chapter, "Domestic Workers United")
    _add(assembly, other, "Grace Mwangi")
    _add(assembly, other, "Rosa Magbanua", participation=Participation.OBSERVER)
    _add(assembly, other, "Carmen Lopez", state=RegistrationState.CONFIRMED)
    _, fund = fees.save_fund(secretariat, chapter, assembly, 6000_00)
    fees.receive(secretariat, fund, 1500_00, date(2022, 10, 1), "Solidarity dinner", False)
    db.session.commit()

    sign_in(page, base, secretariat.email, make.PASSWORD, "Maria Santos")
    page.locator(".main-nav").get_by_role("link", name="Assembly", exact=True).click()
    loaded(page, "/assemblies/5/chapters/IMA-USA/")
    expect(page.get_by_role("heading", name="IMA USA at the 5th Global Assembly")) \
        .to_be_visible()

    # The counts, each a link to the list.
    expect(page.locator('[data-count="non_voting-pending"]')).to_have_text("1")
    expect(page.locator('[data-count="observer-pending"]')).to_have_text("1")
    expect(page.locator('[data-count="non_voting-confirmed"]')).to_have_text("1")
    expect(page.locator('[data-count="all-pending"]')).to_have_text("2")
    expect(page.get_by_text("3 registrations pending or confirmed.")).to_be_visible()
    # The fees (three international participants at US$250, nothing paid yet).
    expect(page.locator('[data-fee="due"]')).to_have_text("US$750")
    expect(page.locator('[data-fee="still_due"]')).to_have_text("US$750")
    # The fund: a bar and its words.
    expect(page.locator("[data-fund-text]")).to_contain_text("US$1,500 of US$6,000 (25 %)")
    bar = page.get_by_role("progressbar", name="US$1,500 of US$6,000 received")
    expect(bar).to_have_attribute("value", "25")
    # What needs doing: the vote Filipino Workers Center would miss, the fees (the deadline
    # is ten days away), the two pending registrations.
    todo = page.get_by_role("region", name="What needs doing")
    expect(todo.locator('[data-todo="no_voting_delegate"]')).to_contain_text(
        "Filipino Workers Center may vote but has no voting delegate registered.")
    expect(todo.locator('[data-todo="fee_due"]')).to_have_count(3)
    pending = todo.locator('[data-todo="pending"]')
    expect(pending).to_contain_text("2 registrations await confirmation: Grace Mwangi, "
                                    "Rosa Magbanua.")
    page.screenshot(path=_artifact("assembly-chapter-page-1280.png"), full_page=True)

    # At 375 px nothing scrolls sideways but the table's own region.
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=_artifact("assembly-chapter-page-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Following the pending item: the delegates list, pending ones only.
    pending.get_by_role("link", name="Confirm them in the delegates list").click()
    loaded(page, re.escape("/assemblies/5/delegates/?state=pending&chapter_id=")
           + str(chapter.id))
    expect(page.get_by_role("combobox", name="State")).to_have_value("pending")
    rows = page.locator("table.delegates tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Grace Mwangi")).to_have_count(1)
    expect(rows.filter(has_text="Carmen Lopez")).to_have_count(0)
