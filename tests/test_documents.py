"""Printed statements: the PDF's text read back (pypdf), its metadata and fonts, the
restricted URL fetcher, the store of signed PDFs, the public verification page, batch
exports, and who may print what. On SQLite and PostgreSQL."""
from __future__ import annotations

import io
import re
import socket
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from ima_portal.documents.models import StoredDocument
from ima_portal.documents.pdf import STATIC_ORIGIN, PortalFetcher, render_pdf, static_url
from ima_portal.statements.models import SignOff
from tests.conftest import Auth

BODY = ("Nous, travailleuses migrantes, exigeons la régularisation : ça suffit !\n\n"
        "Las trabajadoras del hogar piden justicia; los niños y las niñas también.\n\n"
        "- Bahasa: kami menuntut hak yang sama\n- Français: égalité des droits")


@pytest.fixture
def people(make):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    other = make.chapter("IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    return {"chapter": chapter, "sec": make.user("secretariat", chapter=chapter),
            "other": make.user("secretariat", chapter=other),
            "chair": make.user("chair", name="Ana Reyes"),
            "admin": make.user("admin", name="Li Wen")}




def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fonts_of(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


# ---- the statement PDF -------------------------------------------------------------------------

def test_an_approved_statement_prints_with_its_sign_off_and_code(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="approved",
                        chair=people["chair"], headline="Régularisation pour toutes et tous !",
                        body=BODY, reference_name="Ana Reyes")
    response = as_user(people["sec"]).get(f"/statements/{st.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    sign_off = db.session.scalar(select(SignOff))
    assert "Régularisation pour toutes et tous !" in text
    for words in ("travailleuses", "régularisation", "ça suffit", "niñas", "égalité"):
        assert words in text, words
    assert "Reference: Ana Reyes, IMA chairperson" in text
    assert "Signed off by Ana Reyes" in text
    assert sign_off.code_display in text and re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}",
                                                          sign_off.code_display)
    assert f"/verify/{sign_off.code_display}" in text
    assert sign_off.content_sha256 in flat(text)
    assert "DRAFT" not in text
    assert "Page 1 of 1" in text


def test_anything_not_approved_prints_as_a_draft_without_a_code(people, as_user, make):
    for state in ("draft", "submitted", "changes_requested"):
        st = make.statement(people["sec"], chapter=people["chapter"], state=state,
                            chair=people["chair"], body=BODY)
        text = pdf_text(as_user(people["sec"]).get(f"/statements/{st.id}.pdf").data)
        assert "DRAFT" in text and "Not signed off by the chair" in text, state
        assert "Verification code" not in text and "/verify/" not in text, state
        assert "travailleuses" in text and "Reference: Ana Reyes" in text


def test_an_edit_after_approval_prints_as_a_draft_again(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="published",
                        chair=people["chair"])
    client = as_user(people["sec"])
    client.post(f"/statements/{st.id}/edit", data={
        "base_revision": str(st.current_revision_id), "headline": "A new headline",
        "body": "Changed.", "occasion": "other", "reference_name": "Ana Reyes",
        "reference_title": "IMA chairperson"})
    text = pdf_text(client.get(f"/statements/{st.id}.pdf").data)
    assert "A new headline" in text and "DRAFT" in text and "Signed off" not in text


def test_the_pdf_carries_title_author_language_and_only_bundled_fonts(people, as_user, make):
    st = make.statement(people["admin"], language="es", state="approved",
                        chair=people["chair"], headline="¡Alto a las deportaciones!",
                        body=BODY, reference_title="presidenta de la IMA")
    data = as_user(people["admin"]).get(f"/statements/{st.id}.pdf").data
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "¡Alto a las deportaciones!"
    assert reader.metadata.author == "International Migrants Alliance"
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert fonts_of(data) and all("Noto" in name for name in fonts_of(data))
    text = pdf_text(data)
    assert "Referencia: Ana Reyes, presidenta de la IMA" in text
    assert "Aprobado por Ana Reyes" in text and "Página 1 de 1" in text


@pytest.mark.parametrize("paper,size", [("A4", (595, 842)), ("Letter", (612, 792))])
def test_paper_size_is_a_choice_with_a_default_the_global_secretariat_sets(
        people, as_user, make, app, paper, size):
    st = make.statement(people["admin"], state="approved", chair=people["chair"])
    client = as_user(people["admin"])

    def page_size(data):
        box = PdfReader(io.BytesIO(data)).pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    assert page_size(client.get(f"/statements/{st.id}.pdf?paper={paper}").data) == size
    client.post("/statements/settings", data={"reference_name": "Ana Reyes",
                                              "reference_title": "IMA chairperson",
                                              "paper_size": paper})
    assert page_size(client.get(f"/statements/{st.id}.pdf").data) == size


def test_a_translation_prints_in_its_language_with_its_siblings(people, as_user, make, db):
    from ima_portal.domain.statements import Action
    from ima_portal.statements import operations, queries
    original = make.statement(people["admin"], state="approved", chair=people["chair"])
    spanish = operations.create_translation(people["admin"], original, "es")
    operations.transition(people["admin"], spanish, Action.SUBMIT)
    operations.transition(people["chair"], spanish, Action.APPROVE,
                        revision_id=spanish.current_revision_id)
    operations.create_translation(people["admin"], original, "fr")  # a draft: no link
    db.session.commit()
    data = as_user(people["admin"]).get(f"/statements/{spanish.id}.pdf").data
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "es"
    text = pdf_text(data)
    assert "Traducción: English" in text and "Français" not in text  # drafts are not named
    english_code = queries.sign_off_of(original.current).code_display
    links = [a["/A"]["/URI"] for page in PdfReader(io.BytesIO(data)).pages
             for a in (page.get("/Annots") or []) if "/A" in a.get_object()]
    assert any(f"/verify/{english_code}" in str(uri) for uri in links)


# ---- the fetcher -------------------------------------------------------------------------------

PIXEL = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
         "awAAAABJRU5ErkJggg==")
HOSTILE_HTML = f"""<html lang="en"><head><title>t</title>
<style>@import url("http://evil.example/x.css"); @import url("file:///etc/passwd");</style>
<link rel="stylesheet" href="http://evil.example/y.css"></head><body>
<p>Text</p>
<img src="http://evil.example/pixel.png"><img src="https://evil.example/pixel.png">
<img src="file:///etc/passwd"><img src="{static_url('../app.py')}">
<img src="{STATIC_ORIGIN}/static/img/logo.svg?x=1">
<img src="{static_url('img/logo.svg')}">
<img src="data:image/png;base64,{PIXEL}">
</body></html>"""


def test_the_fetcher_refuses_svg_passed_off_as_a_picture_and_encoded_dots(app):
    import base64
    fake = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg" width="400" '
                            b'height="40"><text y="20">HIDDEN CLAUSE</text></svg>').decode()
    html = (f'<html><body><p>Text</p><img src="data:image/png;base64,{fake}">'
            f'<img src="data:image/svg+xml;base64,{fake}">'
            f'<img src="{STATIC_ORIGIN}/static/%2e%2e/app.py"></body></html>')
    fetcher = PortalFetcher(app.static_folder)
    data = render_pdf(html, app.static_folder, fetcher=fetcher)
    assert "HIDDEN CLAUSE" not in pdf_text(data)
    assert len(fetcher.refused) == 3


def test_the_fetcher_refuses_the_network_files_and_everything_outside_static(app,
                                                                           monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the documents service tried to reach the network")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    fetcher = PortalFetcher(app.static_folder)
    data = render_pdf(HOSTILE_HTML, app.static_folder, fetcher=fetcher)
    assert data.startswith(b"%PDF")
    assert set(fetcher.refused) == {
        "http://evil.example/x.css", "file:///etc/passwd", "http://evil.example/y.css",
        "http://evil.example/pixel.png", "https://evil.example/pixel.png",
        f"{STATIC_ORIGIN}/static/../app.py", f"{STATIC_ORIGIN}/static/img/logo.svg?x=1"}


def test_a_hostile_statement_body_fetches_nothing_but_static_files(people, as_user, make, app,
                                                                  monkeypatch):
    fetched = []
    original_fetch = PortalFetcher.fetch

    def recording_fetch(self, url, headers=None):
        fetched.append(url)
        return original_fetch(self, url, headers)
    monkeypatch.setattr(PortalFetcher, "fetch", recording_fetch)
    body = ('<img src="http://evil.example/a.png"> ![x](http://evil.example/b.png) '
            '![y](file:///etc/passwd) <style>@import url(http://evil.example/c.css);</style> '
            '<link rel=stylesheet href="http://evil.example/d.css">\n\nStill printed.')
    st = make.statement(people["sec"], chapter=people["chapter"], body=body)
    response = as_user(people["sec"]).get(f"/statements/{st.id}.pdf")
    assert response.status_code == 200 and "Still printed." in pdf_text(response.data)
    assert fetched and all(u.startswith(f"{STATIC_ORIGIN}/static/") for u in fetched)


# ---- the store ---------------------------------------------------------------------------------

def test_a_signed_pdf_is_rendered_once_and_then_served_from_the_store(people, as_user, make, db):
    st = make.statement(people["admin"], state="approved", chair=people["chair"])
    client = as_user(people["admin"])
    first = client.get(f"/statements/{st.id}.pdf?paper=A4")
    second = client.get(f"/statements/{st.id}.pdf?paper=A4")
    assert first.headers["X-Document-Source"] == "rendered"
    assert second.headers["X-Document-Source"] == "store"
    assert first.data == second.data
    assert db.session.scalar(select(func.count()).select_from(StoredDocument)) == 1
    client.get(f"/statements/{st.id}.pdf?paper=Letter")  # another paper, another PDF
    assert db.session.scalar(select(func.count()).select_from(StoredDocument)) == 2


def test_drafts_are_never_kept(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"])
    client = as_user(people["sec"])
    for _ in range(2):
        assert client.get(f"/statements/{st.id}.pdf").headers["X-Document-Source"] == "rendered"
    assert db.session.scalar(select(func.count()).select_from(StoredDocument)) == 0


# ---- verification ------------------------------------------------------------------------------

def test_anyone_can_check_a_printed_copy_by_its_code(people, make, app, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="approved",
                        chair=people["chair"], headline="Landed status now!")
    sign_off = db.session.scalar(select(SignOff))
    public = app.test_client()  # not signed in
    for code in (sign_off.code_display, sign_off.verification_code.lower(),
                 f" {sign_off.code_display[:3]} {sign_off.code_display[3:]} "):
        page = public.get(f"/verify/{code}")
        assert page.status_code == 200, code
        assert "Landed status now!" in page.text and "Ana Reyes" in page.text
        assert sign_off.content_sha256 in page.text
    assert public.get("/verify?code=" + sign_off.code_display).status_code == 302
    missing = public.get("/verify/AAAAA-BBBBB")
    assert missing.status_code == 404
    assert "No signed-off statement has the code" in missing.text
    # Edited since: the code still speaks for the signed text, and says so.
    sec = app.test_client()
    Auth(sec).login(people["sec"])
    sec.post(f"/statements/{st.id}/edit", data={
        "base_revision": str(st.current_revision_id), "headline": "Landed status now!",
        "body": "A later draft.", "occasion": "other", "reference_name": "Ana Reyes",
        "reference_title": "IMA chairperson"})
    page = public.get(f"/verify/{sign_off.code_display}")
    assert "Landed status now!" in page.text and sign_off.content_sha256 in page.text
    assert "A later draft." not in page.text and "edited" not in page.text  # nothing leaks


def test_guessing_codes_is_throttled_per_address_and_kept_across_app_servers(people, make,
                                                                            app, db):
    """Issue 14: /verify had no rate limit. Codes that match nothing count per address
    (in the database, so every app server sees them); a real code is never a miss."""
    make.statement(people["sec"], chapter=people["chapter"], state="approved",
                   chair=people["chair"], headline="Landed status now!")
    sign_off = db.session.scalar(select(SignOff))
    limit = app.config["VERIFY_THROTTLE_PER_ADDRESS"]
    public = app.test_client()
    for _ in range(3):
        assert public.get(f"/verify/{sign_off.code_display}").status_code == 200
    answers = [public.get(f"/verify/GUESS-{n:05d}").status_code for n in range(limit)]
    assert answers == [404] * limit
    blocked = public.get("/verify/GUESS-99999")
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "Too many codes that match nothing" in blocked.text
    # even a real code waits now: a guesser cannot tell a hit from the wait
    assert public.get(f"/verify/{sign_off.code_display}").status_code == 429
    # another address is not held up
    other = public.get(f"/verify/{sign_off.code_display}",
                       environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 200


# ---- batch export ------------------------------------------------------------------------------

def test_a_batch_export_renders_a_zip_with_progress(people, as_user, make, app):
    signed = make.statement(people["sec"], chapter=people["chapter"], state="approved",
                            chair=people["chair"], headline="Signed one")
    draft = make.statement(people["sec"], chapter=people["chapter"], headline="Draft one")
    foreign = make.statement(people["other"], chapter=people["other"].chapter)
    client = as_user(people["sec"])
    response = client.post("/statements/export", data={
        "ids": [str(signed.id), str(draft.id), str(foreign.id)], "paper": "Letter"})
    assert response.status_code == 303
    progress_url = response.headers["Location"]  # the job ran after the commit (immediate)
    progress = client.hx_get(progress_url)
    assert 'data-state="done"' in progress.text and "hx-trigger" not in progress.text
    assert "2 statements on Letter" in progress.text  # the other chapter's is not there
    download = client.get(progress_url + "/download")
    assert download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    names = archive.namelist()
    assert len(names) == 2 and all(n.endswith("-en.pdf") for n in names)
    texts = [pdf_text(archive.read(n)) for n in names]
    assert any("Signed one" in t and "Verification code" in t for t in texts)
    assert any("Draft one" in t and "DRAFT" in t for t in texts)
    # Another user cannot see the job or its ZIP.
    other = as_user(people["other"])
    assert other.get(progress_url).status_code == 404
    assert other.get(progress_url + "/download").status_code == 404


def test_an_export_of_nothing_says_what_to_do(people, as_user):
    response = as_user(people["sec"]).post("/statements/export", data={"paper": "A4"},
                                           follow_redirects=True)
    assert "Tick the statements to export" in response.text


# ---- scope -------------------------------------------------------------------------------------

def test_another_chapters_statement_cannot_be_printed(people, as_user, make):
    st = make.statement(people["sec"], chapter=people["chapter"])
    assert as_user(people["other"]).get(f"/statements/{st.id}.pdf").status_code == 404


def test_the_statement_page_prints_like_the_pdf(people, as_user, make, db):
    """The print stylesheet shows the letterhead, and the sign-off with its code, or the
    DRAFT marking; it hides the portal around the statement."""
    signed = make.statement(people["sec"], chapter=people["chapter"], state="approved",
                            chair=people["chair"])
    draft = make.statement(people["sec"], chapter=people["chapter"])
    client = as_user(people["sec"])
    code = db.session.scalar(select(SignOff)).code_display
    page = client.get(f"/statements/{signed.id}").text
    block = page[page.index('class="print-only print-sign-off"'):]
    assert "Signed off by" in block and code in block and f"/verify/{code}" in block
    assert "print-watermark" not in page and 'class="print-only print-letterhead"' in page
    assert 'class="print-only print-watermark"' in client.get(f"/statements/{draft.id}").text
    css = client.get("/static/css/portal.css").text
    assert "@media print" in css and ".print-only { display: block; }" in css


def test_a_withdrawn_statement_prints_as_withdrawn_never_as_signed(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="published",
                        chair=people["chair"])
    client = as_user(people["sec"])
    client.post(f"/statements/{st.id}/actions/withdraw", data={"text": "Superseded."})
    text = pdf_text(client.get(f"/statements/{st.id}.pdf").data)
    assert "DRAFT · Withdrawn" in text and "Signed off by" not in text
    page = client.get(f"/statements/{st.id}").text
    assert 'class="print-only print-watermark"' in page and "print-sign-off" not in page


def test_every_page_of_a_draft_carries_the_watermark(people, as_user, make):
    long_body = "\n\n".join(f"Paragraph {n}: " + "migrants organize " * 60 for n in range(12))
    st = make.statement(people["sec"], chapter=people["chapter"], body=long_body)
    data = as_user(people["sec"]).get(f"/statements/{st.id}.pdf").data
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    assert all("DRAFT" in page.extract_text() for page in pages)


def test_a_change_of_letterhead_makes_a_new_pdf(people, as_user, make, db):
    from ima_portal.chapters.queries import alliance
    st = make.statement(people["admin"], state="approved", chair=people["chair"])
    client = as_user(people["admin"])
    assert client.get(f"/statements/{st.id}.pdf").headers["X-Document-Source"] == "rendered"
    alliance().secretariat_city = "Kowloon"
    db.session.commit()
    again = client.get(f"/statements/{st.id}.pdf")
    assert again.headers["X-Document-Source"] == "rendered" and "Kowloon" in pdf_text(again.data)


def test_one_export_at_a_time_per_person(people, as_user, make, app, db):
    from ima_portal.documents.models import ExportJob
    st = make.statement(people["sec"], chapter=people["chapter"])
    db.session.add(ExportJob(user_id=people["sec"].id, paper_size="A4", total=1,
                             statement_ids=str(st.id), state="running"))
    db.session.commit()
    response = as_user(people["sec"]).post("/statements/export",
                                           data={"ids": [str(st.id)], "paper": "A4"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/exports/1")
    assert db.session.scalar(select(func.count()).select_from(ExportJob)) == 1
