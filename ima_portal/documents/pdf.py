"""The one WeasyPrint service of the portal: HTML in, PDF out, with a URL fetcher that
reads nothing but the portal's own static files and `data:` URLs.

Documents refer to static files by absolute URLs on an origin that does not exist
(`STATIC_ORIGIN`); the fetcher maps them to files under `static/` and refuses every other
address: no network, no `file://`, no redirects, nothing outside `static/`."""
from __future__ import annotations

import hashlib
import io
import mimetypes
import os
import queue
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.pdf import stream as pdf_stream
from weasyprint.text.ffi import ffi, fontconfig, gobject, pangoft2
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .images import raster_data_url

STATIC_ORIGIN = "https://portal.invalid"  # .invalid: a name that can never resolve


class RefusedURL(ValueError):
    pass


@lru_cache(maxsize=64)
def _read_static(path: str, mtime: float) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


@lru_cache(maxsize=256)
def _decoded_font(path: str, mtime: float) -> bytes:
    """A bundled WOFF2 font as the TrueType WeasyPrint would decode it on every new font
    configuration (fontTools, about 0.1 s a file): decoded once per process instead."""
    from fontTools.ttLib import woff2
    out = io.BytesIO()
    with open(path, "rb") as handle:
        woff2.decompress(handle, out)
    return out.getvalue()


class PortalFetcher(URLFetcher):
    """Serves `STATIC_ORIGIN/static/<file>` from `static_folder` and `data:` URLs; refuses
    and records (`refused`) everything else."""

    def __init__(self, static_folder: str):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False,
                         fail_on_errors=False)
        self.static_folder = os.path.realpath(static_folder)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.lower().startswith("data:"):
            if raster_data_url(url):
                return super().fetch(url, headers)
            self.refused.append(url[:60])
            raise RefusedURL("data: URLs may carry PNG, JPEG, GIF or WebP pictures only")
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == STATIC_ORIGIN and \
                parts.path.startswith("/static/") and not parts.query:
            relative = unquote(parts.path[len("/static/"):])
            path = os.path.realpath(os.path.join(self.static_folder, relative))
            if path.startswith(self.static_folder + os.sep) and os.path.isfile(path):
                content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                read = _decoded_font if path.endswith(".woff2") else _read_static
                return URLFetcherResponse(url, body=read(path, os.path.getmtime(path)),
                                          headers={"Content-Type": content_type})
        self.refused.append(url)
        raise RefusedURL(f"documents may use only the portal's static files: {url}")


def static_url(path: str) -> str:
    """The address a document uses for `static/<path>`."""
    return f"{STATIC_ORIGIN}/static/{path.lstrip('/')}"


FONTS = "vendor/fonts-noto-5.3.0"  # under static/; print.css lists every file in it

# ---- fonts: only the bundled ones, only those a document's characters need ---------------

ffi.cdef("FcConfig * FcConfigCreate (void);")


class BundledFonts(FontConfiguration):
    """A WeasyPrint font configuration that starts empty: no system or user font, only the
    `@font-face` fonts a document brings (the bundled ones, through the fetcher). A
    character none of them has prints as a missing-glyph box of a bundled font, never in
    a system font."""

    def __init__(self):  # FontConfiguration.__init__ with an empty Fontconfig config
        self._config = fontconfig.FcConfigCreate()
        self.font_map = ffi.gc(pangoft2.pango_ft2_font_map_new(), gobject.g_object_unref)
        pangoft2.pango_fc_font_map_set_config(
            ffi.cast("PangoFcFontMap *", self.font_map), self._config)
        fontconfig.FcConfigDestroy(self._config)
        self._folder = None
        self.strut_layouts = {}
        self.font_features = {}


@dataclass(frozen=True)
class Face:
    family: str
    rule: str  # the @font-face rule, its url() relative to static/
    ranges: tuple[tuple[int, int], ...]


_RULE = re.compile(r"@font-face \{ font-family: '([^']+)';(.*?)unicode-range: ([^;]+); \}")


@lru_cache(maxsize=4)
def font_faces(static_folder: str) -> tuple[Face, ...]:
    """The rules of `print.css`, one per bundled file, in the order of the file."""
    with open(os.path.join(static_folder, FONTS, "print.css"), encoding="utf-8") as handle:
        css = handle.read()
    faces = []
    for family, middle, ranges in _RULE.findall(css):
        words = family.split()
        if len(words) == 4 and words[2] in ("SC", "JP", "KR") and not words[3].isdigit():
            continue  # the CJK packages' own Latin/Cyrillic slices: Noto Sans has those
        bounds = []
        for part in ranges.split(","):
            first, _, last = part.strip()[2:].partition("-")
            bounds.append((int(first, 16), int(last or first, 16)))
        rule = (f"@font-face {{ font-family: '{family}';"
                + middle.replace("url(./", f"url({static_url(FONTS)}/")
                + f"unicode-range: {ranges}; }}")
        faces.append(Face(family, rule, tuple(bounds)))
    return tuple(faces)


@lru_cache(maxsize=4)
def _faces_by_codepoint(static_folder: str) -> dict[int, tuple[int, ...]]:
    """Codepoint -> the indexes (in `font_faces`) of the faces whose unicode-range has it."""
    found: dict[int, list[int]] = {}
    for index, face in enumerate(font_faces(static_folder)):
        for start, end in face.ranges:
            for codepoint in range(start, end + 1):
                found.setdefault(codepoint, []).append(index)
    return {codepoint: tuple(indexes) for codepoint, indexes in found.items()}


# The order a family is tried in for a character: the text face's own subsets, then the
# other scripts (Noto Sans: Noto has no serif for every script), Chinese, Japanese and
# Korean last. They share the Han characters: a document in Japanese or Korean tries its own
# first, any other Chinese (a character takes the first that has it: only that one is loaded).
_LATIN = ("latin", "latin-ext", "vietnamese")
_SCRIPTS = ("Noto Sans Thai", "Noto Sans Arabic", "Noto Sans Devanagari", "Noto Sans Bengali")
_CJK_ORDER = {None: ("SC", "JP", "KR"), "ja": ("JP", "SC", "KR"), "ko": ("KR", "SC", "JP")}


def _HANGUL(codepoint: int) -> bool:
    return 0x1100 <= codepoint <= 0x11FF or 0x3130 <= codepoint <= 0x318F or \
        0xAC00 <= codepoint <= 0xD7AF


_LANG = re.compile(r"<html[^>]*\slang=\"([a-zA-Z]+)")


def fonts_stylesheet(html: str, static_folder: str) -> str:
    """`@font-face` rules for the bundled files that `html`'s characters need (the Latin
    ones always), and the font stacks `--serif` and `--sans` that documents.css uses."""
    all_faces, by_codepoint = font_faces(static_folder), _faces_by_codepoint(static_folder)
    lang = (_LANG.search(html) or [None, None])[1]
    cjk_order = _CJK_ORDER.get(lang and lang.lower(), _CJK_ORDER[None])
    cjk_rank = {cjk: rank for rank, cjk in enumerate(cjk_order)}

    def rank(index: int, codepoint: int) -> int:
        words = all_faces[index].family.split()
        if len(words) != 4 or not words[3].isdigit():
            return -1
        # Hangul from the Korean font, kana from the Japanese one: some Chinese slices
        # claim Hangul in their unicode-range without having the glyphs.
        own = "KR" if _HANGUL(codepoint) else "JP" if 0x3040 <= codepoint <= 0x30FF else None
        return -2 if words[2] == own else cjk_rank.get(words[2], -1)

    wanted: set[int] = set()
    for codepoint in set(map(ord, html)):
        indexes = by_codepoint.get(codepoint, ())
        ranks = {index: rank(index, codepoint) for index in indexes}
        # A character a Latin or script font has never loads a CJK slice.
        best = -1 if -1 in ranks.values() else min(ranks.values(), default=-1)
        wanted.update(index for index in indexes if ranks[index] == best)
    faces = [face for index, face in enumerate(all_faces)
             if index in wanted or face.family in ("Noto Serif latin", "Noto Sans latin")]
    families = list(dict.fromkeys(face.family for face in faces))

    def stack(text_face: str) -> str:
        names = [f"{text_face} {subset}" for subset in _LATIN] + list(_SCRIPTS)
        for cjk in (*cjk_order[:1], "KR", "JP", *cjk_order[1:]):
            names += [family for family in families if family.startswith(f"Noto Sans {cjk} ")]
        return ", ".join(f"'{name}'" for name in names if name in families)

    rules = [face.rule for face in faces]
    rules.append(f":root {{ --serif: {stack('Noto Serif')}; --sans: {stack('Noto Sans')}; }}")
    return "\n".join(rules)


# ---- the PDF's text: each glyph reads back as its own character -------------------------
#
# WeasyPrint 70 gives each glyph of an embedded font one text in the PDF's ToUnicode map:
# the text of the first cluster it was drawn in. In the scripts whose vowel signs are drawn
# before their consonant (Bengali "হি" is drawn "ি" then "হ") the sign gets "" and the
# consonant the whole cluster, so that every later "হ" reads "হি": "আহমেদ" read back as
# "আহিমদ", a different name. A glyph whose characters the font tells (its cmap, then its
# substitutions) reads as those instead: a reader gets the letters in drawing order
# ("আহেমদ"); a glyph the font tells nothing about keeps its cluster's text.


@lru_cache(maxsize=128)
def _own_characters(content: bytes) -> dict[int, str]:
    """Glyph id -> the characters it is drawn for: from the font's cmap (the lowest
    character, never a compatibility one: Arabic presentation forms, 'ﬁ', full-width
    letters, which a reader must not get instead of the letters typed), then through the
    font's substitutions (GSUB: a glyph put in place of another reads as that one, a
    ligature or conjunct as its parts)."""
    from fontTools.ttLib import TTFont
    font = TTFont(io.BytesIO(content), lazy=True)  # only bundled fonts: no system font
    cmap, names = font.getBestCmap() or {}, font.getGlyphOrder()
    lookups = font["GSUB"].table.LookupList.Lookup if "GSUB" in font else []
    text: dict[str, str] = {}
    for codepoint in sorted(cmap):
        if not unicodedata.decomposition(chr(codepoint)).startswith("<"):
            text.setdefault(cmap[codepoint], chr(codepoint))
    subtables = [table.ExtSubTable if lookup.LookupType == 7 else table
                 for lookup in lookups for table in lookup.SubTable]
    for _ in range(4):  # substitutions of substitutions (a half form, then a conjunct)
        found = len(text)
        for table in subtables:
            if table.LookupType in (1, 3):  # single, alternate
                pairs = table.mapping.items() if table.LookupType == 1 else \
                    ((old, new) for old, news in table.alternates.items() for new in news)
                for old, new in pairs:
                    if old in text:
                        text.setdefault(new, text[old])
            elif table.LookupType == 4:  # ligature
                for first, ligatures in table.ligatures.items():
                    for ligature in ligatures:
                        parts = [first, *ligature.Component]
                        if all(part in text for part in parts):
                            text.setdefault(ligature.LigGlyph, "".join(text[p] for p in parts))
        if len(text) == found:
            break
    ids = {name: index for index, name in enumerate(names)}
    return {ids[name]: characters for name, characters in text.items() if name in ids}


class _OwnCharacterMap(dict):
    """A font's glyph -> text map (`Font.to_unicode`) that keeps WeasyPrint's text when it is
    one character and otherwise takes the glyph's own characters where the font tells them."""

    def __init__(self, own: dict[int, str]):
        super().__init__()
        self.own = own

    def __setitem__(self, glyph: int, text: str) -> None:
        if len(text) != 1 and glyph in self.own:
            text = self.own[glyph]
        super().__setitem__(glyph, text)


class _Font(pdf_stream.Font):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.to_unicode = _OwnCharacterMap(_own_characters(self.file_content))


pdf_stream.Font = _Font  # the one place WeasyPrint makes the fonts it embeds (add_font)


# Font configurations, kept and lent to one render at a time: WeasyPrint then decodes
# the bundled WOFF2 fonts once per configuration instead of on every render (about 1 s
# of a 1.1 s render). Any thread takes a free one; a new one is made only when all are
# in use at once.
_font_configs: queue.SimpleQueue[FontConfiguration] = queue.SimpleQueue()

# Every document is a tagged PDF (PDF/UA-1): a structure tree made from the HTML (headings,
# paragraphs, tables with their header cells, lists, figures with their alt text) that a
# screen reader follows, the language of `<html lang>` as the document's /Lang, its
# `<title>` shown as the window's title, every font embedded. Deterministic like the
# untagged output (PDF/UA-1 adds no random identifier): the same HTML makes the same bytes.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def render_pdf(html: str, static_folder: str, *, fetcher: PortalFetcher | None = None) -> bytes:
    """The tagged PDF of `html` (its title, author, keywords and language become the PDF's
    metadata). Only `fetcher` reaches outside the HTML string."""
    fetcher = fetcher or PortalFetcher(static_folder)
    document = HTML(string=html, base_url=STATIC_ORIGIN + "/", url_fetcher=fetcher)
    try:
        config = _font_configs.get_nowait()
    except queue.Empty:
        config = BundledFonts()
    try:
        fonts = CSS(string=fonts_stylesheet(html, static_folder), base_url=STATIC_ORIGIN + "/",
                    url_fetcher=fetcher, font_config=config)
        return document.write_pdf(stylesheets=[fonts], font_config=config, **PDF_OPTIONS)
    finally:
        _font_configs.put(config)


@lru_cache(maxsize=1)
@lru_cache(maxsize=8)
def _fonts_digest(fonts: str) -> bytes:
    """The bundled fonts, hashed once per process: they change only with their folder's
    name (`FONTS`, a new version), that is with a new release."""
    digest = hashlib.sha256()
    for folder, subfolders, names in sorted(os.walk(fonts)):
        subfolders.sort()
        for name in sorted(names):
            with open(os.path.join(folder, name), "rb") as handle:
                digest.update(os.path.relpath(os.path.join(folder, name), fonts).encode()
                              + handle.read())
    return digest.digest()


def assets_digest(static_folder: str) -> str:
    """A fingerprint of the static files printed documents use (stylesheets, fonts,
    logo): part of a stored PDF's key, so that a new logo or layout makes new PDFs. The
    stylesheet and the logo are read each time; the 735 font files only once (reading,
    even only asking the size of each, took 5 ms of every export from the store)."""
    digest = hashlib.sha256()
    for relative in ("css/documents.css", "img/logo.svg"):
        with open(os.path.join(static_folder, relative), "rb") as handle:
            digest.update(handle.read())
    digest.update(_fonts_digest(os.path.join(static_folder, FONTS)))
    return digest.hexdigest()
