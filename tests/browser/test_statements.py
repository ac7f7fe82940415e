"""A chapter's statement from draft to the chair's sign-off, through the pages: the
secretariat drafts it, the editor autosaves and previews as they type, the chair sends it
back with a comment, the secretariat changes it and submits it again, and the chair
compares it word by word and signs it off (the SHA-256 of the signed text on the page).
Two smaller tests pin what the editor must also do: "Save and close" right after typing
saves once, and an autosave that refuses a field marks that field invalid."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from .pages import loaded as _loaded
from .pages import nav as _nav
from .pages import sign_in as _sign_in
from .test_sign_in import _artifact

pytestmark = pytest.mark.browser

AUTOSAVE = 10_000  # the editor saves 3 s after typing stops; leave room for a slow machine
SHA256 = re.compile(r"^[0-9a-f]{64}$")








HEADLINE = "Workers of the world, unite for migrants"
BODY = ("We stand with **every migrant worker** on May Day.\n\n"
        "- Café workers, *niñas* and garçons alike\n- Farmworkers in the fields")


def _draft(page, headline, body, hashtags, reference):
    """From the Statements page: "Draft a statement", fill it in, "Save the draft"."""
    _nav(page, "Statements", "/statements/")
    expect(page.get_by_role("heading", name="Statements", exact=True)).to_be_visible()
    page.get_by_role("button", name="Draft a statement").click()  # a link styled as one
    expect(page.get_by_role("heading", name="Draft a statement")).to_be_visible()
    page.get_by_role("textbox", name="Headline", exact=True).fill(headline)
    page.get_by_role("textbox", name="Body", exact=True).fill(body)
    page.get_by_label("Hashtags").fill(hashtags)
    page.get_by_role("textbox", name="Reference: name").fill(reference)
    page.get_by_role("button", name="Save the draft").click()
    _loaded(page, r"/statements/\d+/edit")  # the editor


def _statement_id(page) -> int:
    return int(re.search(r"/statements/(\d+)/edit$", page.url).group(1))


def test_statement_from_draft_to_sign_off(live_server, browser, page, make):
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    secretariat = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    chair = make.user("chair", name="Eni Lestari", email="chair@example.org")
    base = live_server.base_url

    # 1. The secretariat drafts a statement.
    _sign_in(page, base, secretariat.email, make.PASSWORD, "Maria Santos")
    _draft(page, HEADLINE, BODY, "#MayDay2025", reference="Eni Lestari")
    statement_id = _statement_id(page)
    editor_url = f"{base}/statements/{statement_id}/edit"
    statement_url = f"{base}/statements/{statement_id}"
    expect(page.get_by_role("heading", name="Edit the statement")).to_be_visible()
    preview = page.locator("#preview")
    expect(preview.locator("strong")).to_have_text("every migrant worker")
    expect(preview.locator("em")).to_have_text("niñas")
    expect(preview.locator("li").first).to_contain_text("Café workers, niñas and garçons")
    expect(preview.locator(".hashtags")).to_have_text("#MayDay2025")

    # 2. In the editor: typing autosaves (no page load) and the preview follows.
    save_status = page.locator("#save-status")
    body = page.get_by_role("textbox", name="Body", exact=True)
    page.evaluate("window.notReloaded = true")  # gone if the page loads again
    body.click()
    body.press("Control+End")
    body.press_sequentially("\n\nJunk the war: *solidarité* sans frontières.", delay=20)
    expect(save_status).to_contain_text(re.compile(r"Saved at .+ · revision 2"),
                                        timeout=AUTOSAVE)
    expect(preview.locator(".body")).to_contain_text("Junk the war: solidarité sans frontières.")
    expect(preview.locator("em", has_text="solidarité")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True  # saved in place, no page load
    assert page.url == editor_url

    hashtags = page.get_by_label("Hashtags")
    hashtags.fill("#MayDay2025 #bad-tag!")
    hashtags.press("Tab")  # leaving the field sends the form at once
    feedback = page.locator("#hashtags-feedback")
    expect(feedback).to_contain_text("Not a hashtag: #bad-tag!", timeout=AUTOSAVE)
    expect(save_status).to_contain_text("Not saved")
    expect(hashtags).to_have_value("#MayDay2025 #bad-tag!")
    expect(body).to_have_value(re.compile(r"Junk the war: \*solidarité\* sans frontières\.$"))
    page.screenshot(path=_artifact("statement-editor-invalid-hashtag.png"), full_page=True)

    hashtags.fill("#MayDay2025")
    hashtags.press("Tab")
    expect(feedback).not_to_contain_text("Not a hashtag", timeout=AUTOSAVE)
    expect(save_status).to_contain_text("All changes saved")
    assert page.evaluate("window.notReloaded") is True

    # 3. Save and close, then submit to the chair.
    page.get_by_role("button", name="Save and close").click()
    expect(page).to_have_url(statement_url)
    page.get_by_role("button", name="Submit to the chair").click()
    expect(page).to_have_url(statement_url)
    expect(page.locator(".statement-head .state")).to_have_text("Submitted to the chair")
    expect(page.get_by_role("button", name="Edit", exact=True)).to_have_count(0)

    # 4. The chair asks for changes: a comment is required.
    chair_context = browser.new_context(viewport={"width": 1280, "height": 900})
    chair_page = chair_context.new_page()
    chair_page.set_default_timeout(10_000)
    try:
        _sign_in(chair_page, base, chair.email, make.PASSWORD, "Eni Lestari")
        _nav(chair_page, "Sign-off queue", "/statements/queue")
        item = chair_page.locator(f"#statement-{statement_id}")
        expect(item.get_by_role("heading")).to_have_text(HEADLINE)
        chair_page.evaluate("window.notReloaded = true")
        item.get_by_role("button", name="Request changes").click()
        decision_feedback = item.locator(f"#decision-feedback-{statement_id}")
        expect(decision_feedback).to_contain_text("Say what should change")
        expect(item.get_by_role("button", name="Approve and sign off")).to_be_visible()
        chair_page.screenshot(path=_artifact("statement-queue-comment-required.png"),
                              full_page=True)
        comment = "Please name the caravan in the headline, and check the date."
        item.get_by_label("Comment to the authors").fill(comment)
        item.get_by_role("button", name="Request changes").click()
        expect(item.locator(".decided")).to_have_text("Sent back for changes")
        expect(item.get_by_role("button", name="Approve and sign off")).to_have_count(0)
        assert chair_page.evaluate("window.notReloaded") is True  # replaced in place

        # 5. The secretariat reads the comment, changes the headline, submits again.
        page.goto(statement_url)
        expect(page.locator(".statement-head .state")).to_have_text("Changes requested")
        comments = page.get_by_role("region", name="Comments")
        expect(comments.locator(".comment")).to_have_count(1)
        expect(comments.locator(".comment")).to_contain_text("Eni Lestari")
        expect(comments.locator(".comment-body")).to_have_text(comment)
        page.screenshot(path=_artifact("statement-changes-requested.png"), full_page=True)
        page.get_by_role("button", name="Edit", exact=True).click()
        _loaded(page, f"/statements/{statement_id}/edit")
        headline = page.get_by_role("textbox", name="Headline", exact=True)
        headline.fill("Workers of the world, stand with the caravan")
        # Leaving the field autosaves; wait for it before "Save and close" (clicking at
        # once races the autosave: see test_save_and_close_right_after_typing_saves_once).
        headline.press("Tab")
        expect(page.locator("#save-status")).to_contain_text(
            re.compile(r"Saved at .+ · revision 3"), timeout=AUTOSAVE)
        expect(page.locator("#statement-state")).to_have_text("Draft")
        page.get_by_role("button", name="Save and close").click()
        expect(page).to_have_url(statement_url)
        expect(page.locator(".statement-page .headline")).to_have_text(
            "Workers of the world, stand with the caravan")
        page.get_by_role("button", name="Submit to the chair").click()
        expect(page.locator(".statement-head .state")).to_have_text("Submitted to the chair")

        # 6. The chair compares, word by word, and signs it off.
        _nav(chair_page, "Sign-off queue", "/statements/queue")
        item = chair_page.locator(f"#statement-{statement_id}")
        expect(item.get_by_role("heading", level=2)).to_have_text(
            "Workers of the world, stand with the caravan")
        chair_page.evaluate("window.notReloaded = true")
        # What changed since the chair sent it back is shown beside the chair's comment.
        comparison = item.locator(".since")
        expect(comparison.get_by_role(
            "heading", name="What changed since you sent back revision 2")).to_be_visible()
        expect(comparison.locator(".earlier-comment blockquote")).to_have_text(comment)
        headline_diff = comparison.locator(".since-diff > dl.diff dt",
                                           has_text=re.compile(r"^Headline")).locator(
            "xpath=following-sibling::dd[1]")
        expect(headline_diff).to_contain_text("Workers of the world,")
        expect(headline_diff.locator("del").first).to_be_visible()
        removed = " ".join(headline_diff.locator("del").all_inner_texts()).split()
        added = " ".join(headline_diff.locator("ins").all_inner_texts()).split()
        assert removed == ["unite", "for", "migrants"]
        assert added == ["stand", "with", "the", "caravan"]
        chair_page.screenshot(path=_artifact("statement-queue-compare.png"), full_page=True)

        # Signing off takes two steps: the confirmation names the headline and the hash.
        item.get_by_role("button", name="Approve and sign off").click()
        confirm = item.locator(".sign-off-confirm")
        expect(confirm.locator("dl.signing")).to_contain_text(
            "Workers of the world, stand with the caravan")
        expect(confirm.locator("code.hash")).to_have_text(SHA256)
        confirmed = confirm.locator("code.hash").inner_text()
        confirm.get_by_role("button", name="Sign off").click()
        expect(item.locator(".decided")).to_contain_text("Approved and signed off")
        queue_hash = item.locator(".decided code.hash")
        expect(queue_hash).to_have_text(SHA256)
        sha = queue_hash.inner_text()
        assert sha == confirmed  # what was signed is what the confirmation named
        expect(chair_page.locator("#queue-count")).to_have_text(
            "0 statements wait for the chair")  # the count follows, out of band
        assert chair_page.evaluate("window.notReloaded") is True  # all of it in place
        assert chair_page.url == base + "/statements/queue"
        chair_page.screenshot(path=_artifact("statement-queue-approved.png"), full_page=True)

        # 7. The statement page shows the sign-off and the same hash, to both.
        chair_page.goto(statement_url)
        sign_off = chair_page.get_by_role("region", name="Sign-off")
        expect(sign_off).to_contain_text("Signed off by Eni Lestari")
        expect(sign_off.locator("code.hash")).to_have_text(sha)
        expect(chair_page.locator(".statement-head .state")).to_have_text("Approved")
    except Exception:
        chair_page.screenshot(path=_artifact("statement-chair-at-failure.png"), full_page=True)
        raise
    finally:
        chair_context.close()

    page.goto(statement_url)
    expect(page.locator(".statement-head .state")).to_have_text("Approved")
    sign_off = page.get_by_role("region", name="Sign-off")
    expect(sign_off).to_contain_text("Signed off by Eni Lestari")
    expect(sign_off.locator("code.hash")).to_have_text(sha)
    page.screenshot(path=_artifact("statement-signed-off.png"), full_page=True)


def test_save_and_close_right_after_typing_saves_once(live_server, page, make):
    """The writer changes the headline and at once clicks "Save and close": leaving the
    field sends an autosave, and the button sends the form. When the autosave's answer
    is slow to come back (here held 1 s, as on a slow connection), the form still
    carries the revision the editor opened with; the writer must not be told that
    "someone else" saved, nor find a conflict revision of their own in the history."""
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    user = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    base = live_server.base_url
    _sign_in(page, base, user.email, make.PASSWORD, "Maria Santos")
    _draft(page, HEADLINE, BODY, "#MayDay2025", reference="Eni Lestari")
    expect(page.get_by_role("heading", name="Edit the statement")).to_be_visible()
    statement_id = _statement_id(page)
    editor_url = f"{base}/statements/{statement_id}/edit"

    pending = {"sent": 0, "answered": 0}

    def slow_autosave(route):
        request = route.request
        if request.method == "POST" and request.headers.get("hx-request") == "true":
            pending["sent"] += 1
            response = route.fetch()  # the server saves now...
            pending["answered"] += 1
            page.wait_for_timeout(1_000)  # ...its answer reaches the browser later
            try:
                route.fulfill(response=response)
            except PlaywrightError:  # the page has moved on and dropped the request
                pass
            return
        while pending["answered"] < pending["sent"]:  # the network keeps their order
            page.wait_for_timeout(20)
        route.continue_()

    page.route(editor_url, slow_autosave)
    new_headline = "Workers of the world, stand with the caravan"
    page.get_by_role("textbox", name="Headline", exact=True).fill(new_headline)
    page.get_by_role("button", name="Save and close").click()

    expect(page).to_have_url(f"{base}/statements/{statement_id}")
    page.unroute(editor_url)
    expect(page.locator(".statement-page .headline")).to_have_text(new_headline)
    history = page.locator("section.history")
    expect(history).not_to_contain_text("not applied (conflict)")
    expect(history.locator("tbody tr")).to_have_count(2)


def test_autosave_marks_the_field_it_refuses(live_server, page, make):
    """An autosave that finds a bad hashtag shows why beside the field and marks the
    field invalid (aria-invalid), as leaving a field does on the new-statement page."""
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    user = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    base = live_server.base_url
    _sign_in(page, base, user.email, make.PASSWORD, "Maria Santos")
    _draft(page, HEADLINE, BODY, "#MayDay2025", reference="Eni Lestari")
    expect(page.get_by_role("heading", name="Edit the statement")).to_be_visible()

    hashtags = page.get_by_label("Hashtags")
    hashtags.fill("#MayDay2025 #bad-tag!")
    hashtags.press("Tab")
    expect(page.locator("#hashtags-feedback")).to_contain_text("Not a hashtag: #bad-tag!",
                                                               timeout=AUTOSAVE)
    expect(page.locator("#save-status")).to_contain_text("Not saved")
    expect(hashtags).to_have_attribute("aria-invalid", "true")

    hashtags.fill("#MayDay2025")
    hashtags.press("Tab")
    expect(page.locator("#save-status")).to_contain_text("All changes saved",
                                                         timeout=AUTOSAVE)
    expect(hashtags).not_to_have_attribute("aria-invalid", "true")
