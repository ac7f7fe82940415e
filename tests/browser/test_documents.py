"""A statement's PDF, through the pages: the chair signs a chapter's statement off in the
queue, anyone who may read it downloads the signed PDF from the statement's page, and a
member of the public holding the printed copy checks its verification code at
/verify/<code> (no login) and finds the same SHA-256 as the portal and the paper show.
A draft prints with DRAFT and no verification code."""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .pages import nav as _nav
from .pages import sign_in as _sign_in
from .test_sign_in import _artifact

pytestmark = pytest.mark.browser

SHA256 = re.compile(r"^[0-9a-f]{64}$")
CODE = re.compile(r"\b([A-Z0-9]{5}-[A-Z0-9]{5})\b")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as printed: no 0/O, no 1/I

HEADLINE = "Solidarity with the caravan"
BODY = ("We stand with **every migrant worker** on May Day.\n\n"
        "- Café workers, *niñas* and garçons alike\n"
        "- Solidarité sans frontières")
ACCENTED = ("Café", "niñas", "garçons", "Solidarité", "frontières")
REFERENCE = "Joanna Concepción"
CHAIR = "Eni Lestari"






def _download_pdf(page, statement_url, name, path):
    """From the statement's page: "Download the PDF", saved to `path`; returns its text
    with the PDF's lines as extracted (pypdf)."""
    page.goto(statement_url)
    # A first export renders the PDF (fonts decoded once per process): slower than a
    # click on a busy machine, so this one waits longer than the default.
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=name).click(timeout=60_000)
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".pdf")
    download.save_as(path)
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-"
    reader = PdfReader(path)
    return "\n".join(p.extract_text() or "" for p in reader.pages)


def _words(text: str) -> str:
    """The text with every run of whitespace (line breaks included) read as one space."""
    return re.sub(r"\s+", " ", text)


def _printed_sha256(text: str) -> str:
    """The "SHA-256 <64 hex>" line of the sign-off block, wherever the hash broke over
    lines: all whitespace removed before searching."""
    found = re.search(r"SHA-256([0-9a-f]{64})", re.sub(r"\s+", "", text))
    assert found, f"no SHA-256 in the PDF:\n{text}"
    return found.group(1)


def _mistyped(code: str) -> str:
    """The code with its last character misread: another code of the same form."""
    last = code[-1]
    other = CODE_ALPHABET[(CODE_ALPHABET.index(last) + 1) % len(CODE_ALPHABET)]
    return code[:-1] + other


def test_signed_pdf_is_verified_by_a_reader_of_the_printed_copy(live_server, browser, page,
                                                                make, tmp_path):
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    secretariat = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    chair = make.user("chair", name=CHAIR, email="chair@example.org")
    statement = make.statement(secretariat, chapter=chapter, state="submitted",
                               headline=HEADLINE, body=BODY, reference_name=REFERENCE,
                               reference_title="IMA-USA secretary general",
                               hashtags="#MayDay2025")
    base = live_server.base_url
    statement_url = f"{base}/statements/{statement.id}"

    # 1. The chair signs it off in the queue.
    _sign_in(page, base, chair.email, make.PASSWORD, CHAIR)
    _nav(page, "Sign-off queue", "/statements/queue")
    item = page.locator(f"#statement-{statement.id}")
    expect(item.get_by_role("heading")).to_have_text(HEADLINE)
    item.get_by_role("button", name="Approve and sign off").click()
    confirm = item.locator(".sign-off-confirm")  # the second step names what is signed
    expect(confirm.locator("code.hash")).to_have_text(SHA256)
    confirm.get_by_role("button", name="Sign off").click()
    expect(item.locator(".decided")).to_contain_text("Approved and signed off")
    expect(item.locator(".decided code.hash")).to_have_text(SHA256)
    queue_sha = item.locator(".decided code.hash").inner_text()

    # 2. The statement's page shows the sign-off; its PDF carries it.
    page.goto(statement_url)
    expect(page.locator(".statement-head .state")).to_have_text("Approved")
    sign_off = page.get_by_role("region", name="Sign-off")
    expect(sign_off).to_contain_text(f"Signed off by {CHAIR}")
    expect(sign_off.locator("code.hash")).to_have_text(SHA256)
    page_sha = sign_off.locator("code.hash").inner_text()
    assert page_sha == queue_sha

    pdf_path = tmp_path / "signed.pdf"
    text = _download_pdf(page, statement_url, "Download the PDF", pdf_path)
    (tmp_path / "signed.txt").write_text(text)
    words = _words(text)
    assert HEADLINE in words
    for word in ACCENTED:
        assert word in text, f"{word!r} not in the PDF's text:\n{text}"
    assert f"Reference: {REFERENCE}" in words
    assert f"Signed off by {CHAIR}" in words
    assert "DRAFT" not in text
    codes = set(CODE.findall(text))
    assert len(codes) == 1, f"one verification code expected, found {codes}:\n{text}"
    code = codes.pop()
    assert f"Verification code: {code}" in words
    assert re.search(r"Check this copy at https?://\S+/verify/" + code, words)
    printed_sha = _printed_sha256(text)
    assert printed_sha == page_sha
    with open(_artifact("statement-signed.pdf"), "wb") as f:
        f.write(pdf_path.read_bytes())

    # 3. A member of the public, not signed in, checks the code read off the paper.
    public = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = public.new_page()
    reader.set_default_timeout(10_000)
    try:
        response = reader.goto(f"{base}/verify/{code}")
        assert response is not None and response.status == 200
        expect(reader).to_have_url(f"{base}/verify/{code}")  # no detour to the login page
        expect(reader.get_by_role("heading", name="Check a printed statement")).to_be_visible()
        expect(reader.get_by_role("region", name="Verification")).to_contain_text(
            "This code belongs to a statement the chair signed off.")
        result = reader.locator("dl.verify")
        expect(result.locator(".verify-headline")).to_have_text(HEADLINE)
        signed_by = result.locator("dt", has_text="Signed off by").locator(
            "xpath=following-sibling::dd[1]")
        expect(signed_by).to_contain_text(CHAIR)
        expect(result).to_contain_text(code)
        verify_hash = result.locator("code.hash")
        expect(verify_hash).to_have_text(SHA256)
        assert verify_hash.inner_text() == page_sha == printed_sha
        reader.screenshot(path=_artifact("verify-signed.png"), full_page=True)

        # 4. A misread code: said plainly, with a 404.
        reader.goto(f"{base}/verify")
        wrong = _mistyped(code)
        reader.get_by_label("Verification code").fill(wrong)
        with reader.expect_response(re.compile(r"/verify/[^/?]+$")) as answer:
            reader.get_by_role("button", name="Check").click()
        assert answer.value.status == 404
        expect(reader.get_by_role("alert")).to_contain_text(
            f"No signed-off statement has the code “{wrong}”")
        expect(reader.locator("dl.verify")).to_have_count(0)
        expect(reader.get_by_label("Verification code")).to_have_value(wrong)
        reader.screenshot(path=_artifact("verify-unknown-code.png"), full_page=True)
    finally:
        public.close()


def test_draft_pdf_prints_draft_and_no_verification_code(live_server, page, make, tmp_path):
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    secretariat = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    statement = make.statement(secretariat, chapter=chapter, headline=HEADLINE, body=BODY,
                               reference_name=REFERENCE)
    base = live_server.base_url
    _sign_in(page, base, secretariat.email, make.PASSWORD, "Maria Santos")

    pdf_path = tmp_path / "draft.pdf"
    text = _download_pdf(page, f"{base}/statements/{statement.id}",
                         "Download the PDF (draft)", pdf_path)
    words = _words(text)
    assert HEADLINE in words
    for word in ACCENTED:
        assert word in text, f"{word!r} not in the PDF's text:\n{text}"
    assert f"Reference: {REFERENCE}" in words
    assert "DRAFT" in text
    assert CODE.search(text) is None
    with open(_artifact("statement-draft.pdf"), "wb") as f:
        f.write(pdf_path.read_bytes())
    assert "Signed off by" not in words
    assert "SHA-256" not in text


def test_printed_link_to_verify_is_not_taken_from_a_forged_host(live_server, page, make):
    """A signed PDF is rendered once and kept: the "Check this copy at <link>" printed on
    it must not come from the Host header of whoever exported it first. A reader who
    forges the header (here "verify.evil.example") must not make every later copy send
    readers of paper to another site."""
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    secretariat = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    statement = make.statement(secretariat, chapter=chapter, state="approved",
                               headline=HEADLINE, body=BODY)
    base = live_server.base_url
    _sign_in(page, base, secretariat.email, make.PASSWORD, "Maria Santos")
    pdf_url = f"{base}/statements/{statement.id}.pdf"

    page.request.get(pdf_url, headers={"Host": "verify.evil.example"})  # refused or not
    answer = page.request.get(pdf_url)
    assert answer.ok
    text = "\n".join(p.extract_text() or ""
                     for p in PdfReader(io.BytesIO(answer.body())).pages)
    code = CODE.search(text).group(1)
    assert "evil.example" not in text
    assert re.search(r"https?://\S+/verify/" + code, text)
