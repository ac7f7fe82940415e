"""The chair's queue at 375 px: the chair's earlier comment beside what changed since;
"Request changes" with an empty comment shows the error by the comment field and the
comparison stays; "Approve and sign off" leads to a confirmation naming the headline and
the SHA-256, "Back" returns with the comment typed, "Sign off" signs that text. axe-core
finds nothing on the queue or the confirmation, and neither scrolls sideways."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ima_portal.extensions import db
from ima_portal.statements import operations
from ima_portal.statements.content import revision_values
from ima_portal.statements.models import Statement

from .pages import axe_violations
from .pages import nav as _nav
from .pages import sign_in as _sign_in
from .test_sign_in import _artifact

pytestmark = pytest.mark.browser

SHA256 = re.compile(r"^[0-9a-f]{64}$")
PORTAL_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "portal.js"


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_chair_requests_changes_then_signs_off_through_the_confirmation(
        live_server, browser, make):
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    sec = make.user(chapter=chapter, name="Maria Santos")
    chair = make.user("chair", name="Eni Lestari", email="chair@example.org")
    st = make.statement(sec, chapter=chapter, state="changes_requested", chair=chair,
                        headline="Workers of the world, unite for migrants",
                        hashtags="#MayDay #IMA")
    values = revision_values(st.current)
    values["headline"] = "Workers of the world, stand with the caravan"
    assert operations.save(sec, st, values, base_revision_id=st.current_revision_id).saved
    assert operations.submit(sec, st)
    db.session.commit()

    context = browser.new_context(viewport={"width": 375, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, live_server.base_url, chair.email, make.PASSWORD, "Eni Lestari")
        page.goto(live_server.base_url + "/statements/queue")
        item = page.locator(f"#statement-{st.id}")
        since = item.locator(".since")
        expect(since.get_by_role("heading", name="What changed since you sent back "
                                                  "revision 1")).to_be_visible()
        expect(since.locator(".earlier-comment blockquote")).to_have_text("Shorter, please.")
        headline_diff = since.locator(".since-diff > dl.diff dt", has_text="Headline").locator(
            "xpath=following-sibling::dd[1]")
        assert " ".join(headline_diff.locator("del").all_inner_texts()).split() == \
            ["unite", "for", "migrants"]
        assert " ".join(headline_diff.locator("ins").all_inner_texts()).split() == \
            ["stand", "with", "the", "caravan"]
        folded = since.locator("details.unchanged-fields")
        expect(folded.locator("summary")).to_contain_text("Hashtags")
        expect(folded.locator("dd", has_text="#MayDay #IMA")).to_be_hidden()  # folded
        assert axe_violations(page) == []
        assert _width(page) <= 375
        page.screenshot(path=_artifact("queue-375.png"), full_page=True)

        # "Request changes" with no comment: the error by the field, the diff stays.
        page.evaluate("window.notReloaded = true")
        item.get_by_role("button", name="Request changes").click()
        comment = item.get_by_label("Comment to the authors")
        expect(item.locator(f"#decision-feedback-{st.id}")).to_contain_text(
            "Say what should change")
        expect(comment).to_have_attribute("aria-invalid", "true")
        expect(comment).to_have_attribute("aria-describedby", f"decision-feedback-{st.id}")
        # Marked to take focus after the swap (portal.js turns data-focus into
        # data-focused once it has moved focus there).
        assert comment.evaluate("e => e.hasAttribute('data-focus') || "
                                "e.hasAttribute('data-focused')")
        expect(headline_diff.locator("ins").first).to_be_visible()  # not collapsed
        expect(since.locator(".earlier-comment")).to_be_visible()
        assert page.evaluate("window.notReloaded") is True
        if "data-focus" in PORTAL_JS.read_text(encoding="utf-8"):  # the focus convention
            expect(comment).to_be_focused()
        assert axe_violations(page) == []
        page.screenshot(path=_artifact("queue-comment-required-375.png"), full_page=True)

        # "Approve and sign off": the confirmation names the headline and the SHA-256.
        comment.fill("Thank you: the caravan is named now.")
        item.get_by_role("button", name="Approve and sign off").click()
        confirm = item.locator(".sign-off-confirm")
        expect(confirm.get_by_role("heading", name="Sign off this statement?")).to_be_visible()
        expect(confirm.locator("dl.signing")).to_contain_text(
            "Workers of the world, stand with the caravan")
        shown = confirm.locator("code.hash")
        expect(shown).to_have_text(SHA256)
        expected = db.session.get(Statement, st.id).current.content_sha256
        assert shown.inner_text() == expected
        expect(confirm.locator("blockquote")).to_have_text(
            "Thank you: the caravan is named now.")
        expect(headline_diff.locator("ins").first).to_be_visible()  # still beside it
        assert axe_violations(page) == []
        assert _width(page) <= 375
        page.screenshot(path=_artifact("queue-sign-off-confirm-375.png"), full_page=True)

        # "Back": the queue's form again, with the comment as typed; then once more.
        confirm.get_by_role("button", name="Back").click()
        expect(item.get_by_label("Comment to the authors")).to_have_value(
            "Thank you: the caravan is named now.")
        expect(item.locator(".sign-off-confirm")).to_have_count(0)
        item.get_by_role("button", name="Approve and sign off").click()
        confirm = item.locator(".sign-off-confirm")
        confirm.get_by_role("button", name="Sign off").click()
        expect(item.locator(".decided")).to_contain_text("Approved and signed off")
        expect(item.locator(".decided code.hash")).to_have_text(expected)
        assert page.evaluate("window.notReloaded") is True
        db.session.expire_all()
        signed = db.session.get(Statement, st.id)
        assert signed.state.value == "approved"
        _nav(page, "Statements", "/statements/")
        page.goto(live_server.base_url + f"/statements/{st.id}")
        sign_off = page.get_by_role("region", name="Sign-off")
        expect(sign_off.locator("code.hash")).to_have_text(expected)
    finally:
        context.close()
