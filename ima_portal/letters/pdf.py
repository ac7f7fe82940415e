"""A letter or a certificate as a PDF, through the documents service. An issued document's
PDF is rendered once, when it is issued (a certificate: when first downloaded), and kept
in the documents store; its SHA-256 is recorded on the row, so that the file a delegate
carries is the one the portal issued. Erasing a letter's passport data deletes its kept
PDF (which prints the passport number); the SHA-256 stays."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

from flask import current_app
from flask_babel import format_date

from ..chapters.queries import alliance
from ..documents import store
from ..documents.pdf import PortalFetcher, render_pdf, static_url
from ..domain.letters import DocumentKind
from ..web import portal_link, render_anywhere
from .models import IssuedDocument

TEMPLATE_VERSION = "issued-document-pdf-2"  # 2: tagged (PDF/UA-1)
TEMPLATES = {DocumentKind.LETTER: "documents/letter.html",
             DocumentKind.CERTIFICATE: "documents/certificate.html"}


def verify_url(doc: IssuedDocument) -> str:
    """The public page a printed letter or certificate names (on `PORTAL_URL`)."""
    return portal_link("statements.verify", code=doc.code_display)


def long_date(day: date | None) -> str:
    return format_date(day, "d MMMM y") if day else ""


def filename(doc: IssuedDocument) -> str:
    slug = unicodedata.normalize("NFKD", doc.holder_name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", slug).strip("-").lower()[:40] or "delegate"
    what = "visa-letter" if doc.kind is DocumentKind.LETTER else "certificate"
    return f"assembly-{doc.assembly.number}-{what}-{slug}-{doc.verification_code or doc.id}.pdf"


def document_html(doc: IssuedDocument) -> str:
    return render_anywhere(TEMPLATES[doc.kind], doc=doc, assembly=doc.assembly,
                           alliance=alliance(), verify_url=verify_url(doc),
                           long_date=long_date, static_url=static_url)


def render(doc: IssuedDocument) -> bytes:
    """Renders `doc`'s PDF, keeps it in the store and records its SHA-256 and key on the
    row (the caller flushes). A PDF missing a static file is refused rather than kept."""
    html = document_html(doc)
    fetcher = PortalFetcher(current_app.static_folder)
    data = render_pdf(html, current_app.static_folder, fetcher=fetcher)
    if fetcher.refused:
        raise RuntimeError(f"the document asked for files it may not use: {fetcher.refused}")
    digest = hashlib.sha256(data).hexdigest()
    key = store.key_of(TEMPLATE_VERSION, doc.kind.value, doc.verification_code, digest)
    store.keep(key, kind=doc.kind.value, filename=filename(doc),
               content_type="application/pdf", data=data)
    doc.pdf_sha256, doc.pdf_key = digest, key
    return data


def kept(doc: IssuedDocument) -> bytes | None:
    """The PDF as issued, from the store (None when never rendered or erased)."""
    if not doc.pdf_key:
        return None
    found = store.find(doc.pdf_key)
    return found.data if found is not None else None


def forget(doc: IssuedDocument) -> None:
    """Deletes the kept PDF (its SHA-256 stays on the row)."""
    found = store.find(doc.pdf_key) if doc.pdf_key else None
    if found is not None:
        from ..extensions import db
        db.session.delete(found)
    doc.pdf_key = None
