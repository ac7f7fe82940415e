"""Every name prints as typed: a statement holding names in each script the alliance's
members write is exported as PDF, its text read back (pypdf) carries each name, and every
font embedded in it is a bundled one. On SQLite and PostgreSQL."""
from __future__ import annotations

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from ima_portal.documents.pdf import BundledFonts, font_faces, fonts_stylesheet

# Read back exactly (pypdf gives these in logical order).
EXACT = ["Người lao động di cư", "quyền bình đẳng", "ẞ", "สมชาย ใจดี", "محمد عبد الله",
         "李秀英", "山田 花子", "김민준"]
# Indic scripts: a vowel sign drawn before its consonant (Devanagari "ि", Bengali "ে") and
# a reph come back from the PDF in drawing order, so these are compared as the same
# letters word by word (each glyph maps back to its own characters: nothing lost, nothing
# substituted), not as the same sequence.
REORDERED = ["राजेश कुमार शर्मा", "রহিম উদ্দিন আহমেদ"]
BUNDLED = {face.family.replace(" ", "-") for face in font_faces("static")}


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))  # a line may break in a name


def embedded_fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    return {str(font.get_object()["/BaseFont"]).split("+", 1)[1]
            for page in reader.pages for font in page["/Resources"]["/Font"].values()}


def same_letters(name: str, text: str) -> bool:
    # pypdf splits and repeats letters around conjuncts and reph ("शर्मा" reads "शमार्मा"):
    # every letter of the name must be there, in a bundled Devanagari/Bengali font.
    return set(name.replace(" ", "")) <= set(text)


@pytest.mark.parametrize("where", ["headline", "body"])
def test_names_in_every_script_print_as_typed_in_bundled_fonts(make, as_user, where):
    chapter = make.chapter("IMA-Asia", name="IMA Asia")
    sec = make.user("secretariat", chapter=chapter)
    names = EXACT + REORDERED
    text = " · ".join(names)
    fields = {"headline": text, "body": "Solidarity."} if where == "headline" else \
        {"headline": "Names", "body": "\n\n".join(names)}
    st = make.statement(sec, chapter=chapter, **fields)
    data = as_user(sec).get(f"/statements/{st.id}.pdf").data
    read = pdf_text(data)
    # A line may break inside a name (Thai and Devanagari break between syllables, with no
    # space): every name must be there letter for letter, wherever the lines fall.
    unbroken = re.sub(r"\s+", "", read)
    for name in EXACT:
        assert re.sub(r"\s+", "", name) in unbroken, (name, read)
    assert "đuyền" not in read  # the old fault: 'q' drawn with the glyph of 'đ'
    assert "আহিমদ" not in read  # another: 'হ' read back as 'হি' after 'রহিম' (ToUnicode)
    for name in REORDERED:
        assert same_letters(name, read), (name, read)
    fonts = embedded_fonts(data)
    assert fonts and all(re.sub(r",?(-Bold)?(-Italic)?$", "", f) in BUNDLED for f in fonts), fonts
    for script in ("Thai", "Arabic", "Devanagari", "Bengali", "SC", "KR", "vietnamese"):
        assert any(script in font for font in fonts), script
    assert not any("DejaVu" in font or "Liberation" in font for font in fonts)


def test_a_latin_statement_loads_only_the_latin_fonts():
    css = fonts_stylesheet('<html lang="es"><p>¡Alto a las deportaciones! Niñas</p>', "static")
    families = set(re.findall(r"font-family: '([^']+)'", css))
    assert families == {"Noto Serif latin", "Noto Sans latin"}
    assert "--serif: 'Noto Serif latin'" in css


def test_japanese_and_korean_documents_take_their_own_han_glyphs_first():
    for lang, first in (("ja", "JP"), ("ko", "KR"), ("en", "SC")):
        css = fonts_stylesheet(f'<html lang="{lang}"><p>李</p>', "static")
        families = set(re.findall(r"font-family: 'Noto Sans (SC|JP|KR) \d+'", css))
        assert families == {first}, (lang, families)


def test_the_font_configuration_knows_no_system_font():
    from weasyprint.text.ffi import ffi, fontconfig
    config = BundledFonts()
    fonts = fontconfig.FcConfigGetFonts(config._config, fontconfig.FcSetSystem)
    assert fonts == ffi.NULL or fonts.nfont == 0
