"""A statement as a PDF, through the documents service. A signed text never changes, so
its PDF is rendered once and kept in the store under a key made of everything that went
into it; anything not signed prints with a DRAFT watermark and is never kept."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from flask import current_app

from ..chapters.queries import alliance
from ..documents import store
from ..documents.pdf import PortalFetcher, assets_digest, render_pdf, static_url
from ..web import portal_link, render_anywhere
from .models import SignOff, Statement
from .queries import signed_off
from .view import language_links, signed_on, view_of_revision

# Bump when the printed layout changes: the stored PDFs of signed texts are then made
# again on their next export.
TEMPLATE_VERSION = "statement-pdf-3"  # 3: tagged (PDF/UA-1)
PAPER_SIZES = {"A4": "A4", "Letter": "letter"}


def _sibling_links(statement: Statement) -> list[tuple[str, Statement, str]]:
    """The signed other language versions: a printed copy links to each one's public
    verification page (a reader of paper has no portal account; drafts are not named)."""
    links = []
    for name, other in language_links(statement):
        sign_off = signed_off(other)
        if sign_off is not None:
            links.append((name, other, verify_url(sign_off)))
    return links


def verify_url(sign_off: SignOff) -> str:
    """The public page a printed copy names (on `PORTAL_URL`, never a request's Host)."""
    return portal_link("statements.verify", code=sign_off.code_display)


def filename(statement: Statement) -> str:
    rev = statement.current
    slug = unicodedata.normalize("NFKD", rev.headline).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", slug).strip("-").lower()[:60] or "statement"
    when = rev.issued_on.isoformat() if rev.issued_on else "undated"
    return f"{when}-{slug}-{statement.language}.pdf"


def statement_html(statement: Statement, paper: str) -> str:
    rev = statement.current
    view = view_of_revision(rev)
    sign_off = signed_off(statement)
    siblings = _sibling_links(statement)
    hrefs = {other.id: href for _name, other, href in siblings}
    settings = alliance()
    return render_anywhere(
        "documents/statement.html", view=view, statement=statement, rev=rev,
        sign_off=sign_off, paper=PAPER_SIZES.get(paper, "A4"), alliance=settings,
        language_links=[(name, other) for name, other, _href in siblings],
        translation_href=lambda other: hrefs.get(other.id),
        signed_on=signed_on(sign_off, statement.language) if sign_off else "",
        hash_groups=" ".join(sign_off.content_sha256[i:i + 8] for i in range(0, 64, 8))
        if sign_off else "",
        verify_url=verify_url(sign_off) if sign_off else "", static_url=static_url)


@dataclass
class PrintedStatement:
    data: bytes
    filename: str
    from_store: bool
    signed: bool


def statement_pdf(statement: Statement, paper: str) -> PrintedStatement:
    """The statement's PDF on `paper` ("A4" or "Letter"). A signed text's PDF comes from
    the store when it was rendered before, and is kept there when it was not."""
    sign_off = signed_off(statement)
    paper = paper if paper in PAPER_SIZES else "A4"
    name = filename(statement)
    static = current_app.static_folder
    html = statement_html(statement, paper)
    key = None
    if sign_off is not None:
        # Everything the PDF shows is in its HTML (text, letterhead, chair, dates, links)
        # or in the static files it uses: a change of either makes a new PDF.
        key = store.key_of(TEMPLATE_VERSION, "statement", sign_off.content_sha256,
                           hashlib.sha256(html.encode("utf-8")).hexdigest(),
                           assets_digest(static))
        kept = store.find(key)
        if kept is not None:
            return PrintedStatement(kept.data, name, True, True)
    fetcher = PortalFetcher(static)
    data = render_pdf(html, static, fetcher=fetcher)
    if key is not None and not fetcher.refused:  # a PDF missing a file is never kept
        store.keep(key, kind="statement", filename=name, content_type="application/pdf",
                   data=data)
    return PrintedStatement(data, name, False, sign_off is not None)
