"""Every kind of PDF the portal prints is tagged (PDF/UA-1: `pdfinfo` says "Tagged: yes")
with its language (/Lang: the statement's own for a statement, the reader's for the
others), a title and only embedded fonts; the voting roll says when it was made ("as of",
in the reader's zone); the letter, certificate, roll, badges and logistics sheets read
back in French, their words as the app's catalogue translates them (`force_locale`), with
"Page x of y" footers. On SQLite and PostgreSQL."""
from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
import unicodedata
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, gettext, ngettext
from pypdf import PdfReader

from ima_portal.assembly.models import Registration
from ima_portal.documents.pages import counter_content, css_string
from ima_portal.domain.assembly import Participation, RegistrationState
from ima_portal.domain.letters import DocumentKind
from ima_portal.letters.models import IssuedDocument
from ima_portal.web import assembly_name

from .letters_helpers import LETTER_FORM, build_world, register

BASE = "/assemblies/5"
REPORTS = ("arrivals", "rooming", "interpretation", "needs")
needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None or
                                   shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdfinfo, pdftotext) not installed")


# ---- reading a PDF back ------------------------------------------------------------------------

def pdfinfo(data: bytes) -> dict[str, str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        out = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True,
                             check=True).stdout
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in out.splitlines())}


def pdffonts(data: bytes) -> list[list[str]]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        out = subprocess.run(["pdffonts", handle.name], capture_output=True, text=True,
                             check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def pdftotext(data: bytes) -> str:
    """The text, its white space made single spaces (poppler's reading, page by page)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", handle.name, "-"],
                             capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", out))


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def pages_text(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFC", page.extract_text()))
            for page in reader.pages]


def lang_of(data: bytes) -> str:
    return str(PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"])


# ---- the documents -----------------------------------------------------------------------------

@pytest.fixture
def world(make, db):
    w = build_world(make, db)
    workers = w["ana"].organization
    make.payment(workers, 200)  # in good standing: its voting delegate is on the roll
    voter = Registration(assembly_id=w["assembly"].id, organization_id=workers.id,
                         chapter_id=workers.chapter_id, full_name="Luz Dimasalang",
                         participation=Participation.VOTING, arrival=w["ana"].arrival,
                         departure=w["ana"].departure, international=True,
                         state=RegistrationState.CONFIRMED, interpretation="es",
                         dietary="vegetarian")
    db.session.add(voter)
    db.session.commit()
    w["luz"] = voter
    return w


def reader(world, db, language: str | None, zone: str = "UTC"):
    """The global secretariat member who prints, in `language` (None: English, the default)
    and time zone `zone`."""
    admin = world["admin"]
    admin.language, admin.timezone = language, zone
    db.session.commit()
    return admin


def print_all(world, as_user, db, make, language: str | None) -> dict[str, bytes]:
    """One PDF of each kind, printed by the global secretariat in `language`: the kinds'
    names -> the PDF."""
    admin = reader(world, db, language)
    client = as_user(admin)
    pdfs: dict[str, bytes] = {}
    statement = make.statement(admin, language="es", state="approved", chair=world["chair"],
                               headline="¡Alto a las deportaciones!")
    pdfs["statement"] = ok(client.get(f"/statements/{statement.id}.pdf"))
    pdfs["voting roll"] = ok(client.get(f"{BASE}/voting-roll.pdf"))
    pdfs["badges"] = ok(client.get(f"{BASE}/chapters/IMA-USA/badges.pdf"))
    sec = as_user(world["sec"])
    assert sec.post(f"{BASE}/delegates/{world['ana'].id}/letter",
                    data=LETTER_FORM).status_code == 303
    letter = db.session.query(IssuedDocument).filter_by(kind=DocumentKind.LETTER).one()
    assert client.post(f"{BASE}/letters/{letter.id}/issue").status_code == 303
    pdfs["letter"] = ok(client.get(f"{BASE}/letters/{letter.id}.pdf"))
    client.post(f"{BASE}/certificates/issue", data={"reg_id": world["ana"].id})
    certificate = db.session.query(IssuedDocument).filter_by(
        kind=DocumentKind.CERTIFICATE).one()
    pdfs["certificate"] = ok(client.get(f"{BASE}/certificates/{certificate.id}.pdf"))
    for report in REPORTS:
        pdfs[f"logistics {report}"] = ok(client.get(f"{BASE}/logistics/{report}.pdf"))
    return pdfs


def ok(response) -> bytes:
    assert response.status_code == 200 and response.mimetype == "application/pdf", \
        response.get_data(as_text=True)[:300]
    return response.data


KINDS = ("statement", "voting roll", "badges", "letter", "certificate",
         *(f"logistics {report}" for report in REPORTS))


@needs_poppler
@pytest.mark.parametrize("language", [None, "fr"])
def test_every_kind_of_pdf_is_tagged_with_its_language_title_and_embedded_fonts(
        world, as_user, db, make, language, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdfs = print_all(world, as_user, db, make, language)
    assert set(pdfs) == set(KINDS)
    # WeasyPrint logs what a tagged PDF lacks (a picture without alt text, no language).
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    for kind, data in pdfs.items():
        info = pdfinfo(data)
        assert info["Tagged"] == "yes", (kind, info)
        assert info.get("Title"), (kind, info)
        expected = "es" if kind == "statement" else (language or "en")
        assert lang_of(data) == expected, kind
        fonts = pdffonts(data)
        assert fonts, kind
        # pdffonts' "emb" column (the third from the end of each row, before "sub uni").
        assert all(row[-5] == "yes" for row in fonts), (kind, fonts)
        assert all("Noto" in row[0] for row in fonts), (kind, fonts)
        root = PdfReader(io.BytesIO(data)).trailer["/Root"]
        assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root, kind
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], kind


def test_a_tagged_statement_is_still_the_same_bytes_every_time(world, as_user, db, make):
    """A signed statement's PDF is kept and served from the store; rendered again (a new
    store) it is the same file, byte for byte: its SHA-256 does not drift."""
    from ima_portal.documents.models import StoredDocument
    admin = reader(world, db, None)
    client = as_user(admin)
    statement = make.statement(admin, state="approved", chair=world["chair"])
    first = client.get(f"/statements/{statement.id}.pdf")
    assert first.headers["X-Document-Source"] == "rendered"
    assert client.get(f"/statements/{statement.id}.pdf").headers["X-Document-Source"] == "store"
    db.session.query(StoredDocument).delete()
    db.session.commit()
    again = client.get(f"/statements/{statement.id}.pdf")
    assert again.headers["X-Document-Source"] == "rendered" and again.data == first.data


@needs_poppler
@pytest.mark.parametrize("language", [None, "fr"])
def test_the_voting_roll_says_when_it_was_made_in_the_readers_zone(world, as_user, db, app,
                                                                   language):
    """"As of" the moment it was made, in the portal's one style for a moment (`web.when`:
    the day, the time without seconds) in the reader's language and zone, the zone named."""
    admin = reader(world, db, language, zone="Asia/Manila")
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    data = ok(as_user(admin).get(f"{BASE}/voting-roll.pdf"))
    after = datetime.now(UTC)
    text = pdftotext(data)
    with app.test_request_context(), force_locale(language or "en"):
        sentence = gettext("As of %(when)s (%(zone)s)", when="\ue000", zone="Asia/Manila")
        head, _, tail = sentence.partition("\ue000")
        shown = {re.sub(r"\s+", " ", in_manila(moment, language or "en"))
                 for moment in _minutes(before, after)}
        footer = gettext("Page %(page)s of %(pages)s", page=1, pages=1)
    found = re.search(re.escape(head) + r"(.+?)" + re.escape(tail), text)
    assert found, text
    assert found.group(1) in shown, (found.group(1), shown)
    assert "Luz Dimasalang" in text and footer in text


def in_manila(moment: datetime, locale: str) -> str:
    """`web.when` in Manila: the language's medium date-time pattern, joining the medium
    day and the short time."""
    from zoneinfo import ZoneInfo

    from babel.dates import format_date, format_time, get_datetime_format
    local = moment.astimezone(ZoneInfo("Asia/Manila"))
    return (get_datetime_format("medium", locale=locale)
            .replace("{1}", format_date(local.date(), "medium", locale=locale))
            .replace("{0}", format_time(local, "short", locale=locale)))


def _minutes(start: datetime, end: datetime):
    moment = start
    while moment <= end:
        yield moment
        moment = datetime.fromtimestamp(moment.timestamp() + 60, UTC)


@needs_poppler
def test_the_non_statement_pdfs_read_back_in_french_with_their_page_footers(
        world, as_user, db, make, app):
    """Each label as the catalogue translates it (under fr) and "Page x of y" in French;
    the badges run to two pages (nine badges, eight to a page)."""
    for n in range(6):
        register(db, world["assembly"], world["ana"].organization, f"Extra Delegate {n}")
    pdfs = print_all(world, as_user, db, make, "fr")

    with app.test_request_context(), force_locale("fr"):
        assembly = assembly_name(world["assembly"])  # "5e Assemblée mondiale"

        def page(n: int, of: int) -> str:
            return gettext("Page %(page)s of %(pages)s", page=n, pages=of)

        words = {
            "voting roll": [gettext("Voting roll · %(name)s", name=assembly),
                            gettext("Chapter"), gettext("Organization"),
                            gettext("Voting delegate"), gettext("State"),
                            gettext("Standing"), gettext("Confirmed"),
                            ngettext("%(num)d entitled voting delegate",
                                     "%(num)d entitled voting delegates", 1)],
            "badges": [gettext("Voting delegate").upper()],
            "letter": [gettext("To the consular officer concerned,"),
                       gettext("Name as in the passport"), gettext("Nationality"),
                       gettext("Passport number"), gettext("Date of birth"),
                       gettext("Registered through"), gettext("Dates of stay"),
                       gettext("Yours sincerely,"), gettext("Verification code"),
                       gettext("International secretariat")],
            "certificate": [gettext("Verification code"), gettext("Global secretariat"),
                            gettext("International secretariat"), gettext(
                "This certifies that %(name)s, of %(organization)s (%(chapter)s), took part "
                "as a delegate in the %(assembly)s, held in %(city)s, %(country)s, from "
                "%(first)s to %(last)s.", name="Ana Reyes",
                organization="Migrant Workers United", chapter="IMA USA",
                assembly=assembly, city="Bangkok", country="Thailand",
                first=long_day(2022, 11, 30), last=long_day(2022, 12, 3))],
            "logistics arrivals": [gettext("Arrivals and departures"), gettext("Day"),
                                   gettext("Arriving"), gettext("Leaving")],
            "logistics rooming": [gettext("Rooming list"), gettext("Night of"),
                                  gettext("Fee covers it"), gettext("Guests"),
                                  gettext("Check-in"), gettext("Check-out"),
                                  gettext("Nights not covered")],
            "logistics interpretation": [gettext("Interpretation"), gettext("Language")],
            "logistics needs": [gettext("Dietary and access needs"),
                                gettext("Dietary needs"), gettext("Access needs"),
                                gettext("Need, as typed")],
        }
        title = gettext("Certificate of attendance")
        assert page(1, 1) == "Page 1 sur 1"  # in the catalogue already
    for kind, expected in words.items():
        # Headings in capitals (CSS text-transform); letter-spaced words read back with
        # spaces in them: compared without case and white space.
        text = flat(pdftotext(pdfs[kind]))
        for word in expected:
            assert flat(word) in text, (kind, word, text[:1500])
    assert flat(title) in flat(pdftotext(pdfs["certificate"]))
    # Each page of each (but the certificate: one page by design) carries its number.
    assert len(pages_text(pdfs["badges"])) == 2  # nine badges, eight to a page
    for kind in words:
        pages = pages_text(pdfs[kind])
        with app.test_request_context(), force_locale("fr"):
            footers = [page(n, len(pages)) for n in range(1, len(pages) + 1)]
        for text, footer in zip(pages, footers, strict=True):
            assert (footer in text) is (kind != "certificate"), (kind, footer, text[-300:])


def long_day(year: int, month: int, day: int) -> str:
    """A day as letters and certificates print it, in the current language."""
    from datetime import date

    from flask_babel import format_date
    return format_date(date(year, month, day), "d MMMM y")


def test_the_english_pdfs_carry_the_new_sentences(world, as_user, db, make):
    """English (the msgids themselves): the certificate's one sentence, the roll's "as of",
    the letter's footer."""
    pdfs = print_all(world, as_user, db, make, None)
    certificate = " ".join(pages_text(pdfs["certificate"]))
    assert ("This certifies that Ana Reyes, of Migrant Workers United (IMA USA), took part as "
            "a delegate in the 5th Global Assembly, held in Bangkok, Thailand, from "
            "30 November 2022 to 3 December 2022.") in certificate
    assert "As of " in " ".join(pages_text(pdfs["voting roll"]))
    assert "Page 1 of 1" in " ".join(pages_text(pdfs["letter"]))


# ---- the footer's CSS ----------------------------------------------------------------------------

def test_the_page_footer_is_the_translated_sentence_with_css_counters():
    assert counter_content("Page \ue000 of \ue001") == \
        '"Page " counter(page) " of " counter(pages)'
    assert counter_content("\ue000 / \ue001") == 'counter(page) " / " counter(pages)'
    assert counter_content("Hal. \ue000 dari \ue001") == \
        '"Hal. " counter(page) " dari " counter(pages)'
    # Nothing a translation holds can end the CSS string or the <style> element.
    assert css_string('a "b" \\ </style>') == '"a \\22 b\\22  \\5c  \\3c /style\\3e "'
