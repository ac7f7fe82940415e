"""The delegates list in pages (issue 15), at 375 px: a filter chosen in the form (HTMX),
then "Next" in the pager: page 2 keeps the filter, shows the next rows stacked (engineer
N's `table.stack`), the totals of every filtered row, nothing scrolls sideways, and axe
finds nothing."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import insert

from ima_portal.assembly.models import Registration
from ima_portal.domain.assembly import Participation
from ima_portal.extensions import db

from .pages import axe_violations, loaded
from .pages import sign_in as _sign_in
from .test_sign_in import _artifact

pytestmark = pytest.mark.browser


def test_page_2_keeps_the_filter_and_stacks_its_rows_at_375(live_server, browser, make):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    assembly = make.assembly()
    org = make.organization(chapter, "Filipino Workers Center")
    sec = make.user("secretariat", chapter=chapter, name="Maria Santos")
    row = {"assembly_id": assembly.id, "organization_id": org.id, "chapter_id": chapter.id,
           "participation": Participation.NON_VOTING, "arrival": date(2022, 11, 29),
           "departure": date(2022, 12, 4)}
    db.session.execute(insert(Registration), [
        row | {"full_name": f"Delegate {i:03d}", "interpretation": "es" if i % 2 else "fr"}
        for i in range(130)])
    db.session.commit()
    context = browser.new_context(viewport={"width": 375, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, live_server.base_url, sec.email, make.PASSWORD, sec.name)
        page.goto(live_server.base_url + "/assemblies/5/delegates/")
        count = page.locator('[data-count="registrations"]')
        expect(count).to_contain_text("130 registrations")
        page.locator("details.filter-fold > summary").click()  # folded on a phone
        page.get_by_role("combobox", name="Interpretation").select_option("es")
        expect(count).to_contain_text("65 registrations")
        expect(count).to_contain_text("fees due: US$16,250")
        rows = page.locator("table.delegates tbody tr")
        expect(rows).to_have_count(50)
        page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
        loaded(page, re.escape("/assemblies/5/delegates/?") + ".*page=2.*")
        assert "interpretation=es" in page.url
        expect(rows).to_have_count(15)
        expect(rows.first).to_contain_text("Delegate 101")
        expect(count).to_contain_text("65 registrations")
        expect(page.get_by_text("Page 2 of 2")).to_be_visible()
        # Stacked: each cell on its own line, labelled.
        assert rows.first.evaluate("e => getComputedStyle(e).display") == "block"
        cell = rows.first.locator('td[data-label="Organization"]')
        assert "Organization" in cell.evaluate(
            "e => getComputedStyle(e, '::before').content")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert axe_violations(page) == []
        page.screenshot(path=_artifact("delegates-page-2-375.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=_artifact("delegates-page-2-1280.png"), full_page=True)
    finally:
        context.close()
