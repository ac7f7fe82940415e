"""A receipt as a PDF, through the documents service, in the organization's language.
Rendered once (by the worker when it mails it, else at its first download) and kept in
the documents store; its SHA-256 is recorded on the row, so that the file an
organization keeps is the one the portal issued."""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale, format_date

from ..chapters.queries import alliance
from ..documents.kept import kept_data, render_and_keep
from ..documents.pdf import static_url
from ..domain.common import N_
from ..web import portal_link, render_anywhere
from .models import Receipt

TEMPLATE = "documents/receipt.html"
TEMPLATE_VERSION = "receipt-pdf-1"
METHOD_NAMES = {"paypal": N_("PayPal"), "venmo": N_("Venmo"), "bank": N_("Bank transfer"),
                "cash": N_("Cash"), "other": N_("Other")}


def verify_url(receipt: Receipt) -> str:
    return portal_link("statements.verify", code=receipt.code_display)


def long_date(day: date | None) -> str:
    return format_date(day, "d MMMM y") if day else ""


def filename(receipt: Receipt) -> str:
    return f"receipt-{receipt.kind.value}-{receipt.verification_code}.pdf"


def receipt_html(receipt: Receipt) -> str:
    with force_locale(receipt.language):
        return render_anywhere(TEMPLATE, doc=receipt, alliance=alliance(),
                               verify_url=verify_url(receipt), long_date=long_date,
                               method_names=METHOD_NAMES, static_url=static_url)


def render(receipt: Receipt) -> bytes:
    """Renders the receipt's PDF, keeps it and records its SHA-256 and key (the caller
    flushes). A PDF missing a static file is refused rather than kept."""
    done = render_and_keep(receipt_html(receipt), version=TEMPLATE_VERSION, kind="receipt",
                           code=receipt.verification_code, filename=filename(receipt))
    receipt.pdf_sha256, receipt.pdf_key = done.sha256, done.key
    return done.data


def kept(receipt: Receipt) -> bytes | None:
    return kept_data(receipt.pdf_key)


def pdf_of(receipt: Receipt) -> bytes:
    """The receipt's PDF as first rendered (rendered and kept now if it never was)."""
    data = kept(receipt)
    if data is None:
        data = render(receipt)
    return data
