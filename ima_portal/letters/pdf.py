"""A letter or a certificate as a PDF, through the documents service. An issued document's
PDF is rendered once, when it is issued (a certificate: when first downloaded), and kept
in the documents store; its SHA-256 is recorded on the row, so that the file a delegate
carries is the one the portal issued. Erasing a letter's passport data deletes its kept
PDF (which prints the passport number); the SHA-256 stays."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask_babel import format_date

from ..chapters.queries import alliance
from ..documents import store
from ..documents.kept import kept_data, render_and_keep
from ..documents.pdf import static_url
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
    done = render_and_keep(document_html(doc), version=TEMPLATE_VERSION,
                           kind=doc.kind.value, code=doc.verification_code,
                           filename=filename(doc))
    doc.pdf_sha256, doc.pdf_key = done.sha256, done.key
    return done.data


def kept(doc: IssuedDocument) -> bytes | None:
    """The PDF as issued, from the store (None when never rendered or erased)."""
    return kept_data(doc.pdf_key)


def forget(doc: IssuedDocument) -> None:
    """Deletes the kept PDF (its SHA-256 stays on the row)."""
    found = store.find(doc.pdf_key) if doc.pdf_key else None
    if found is not None:
        from ..extensions import db
        db.session.delete(found)
    doc.pdf_key = None
