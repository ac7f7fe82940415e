"""A payment's receipt PDF: the organization's chapter secretariat and the global
secretariat (the chair: 403); another chapter's receipt answers 404."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..auth.access import roles_required
from ..domain.receipts import ReceiptKind
from ..domain.roles import Role
from ..web import download
from . import bp, pdf, queries


@bp.route("/receipts/dues/<int:entry_id>.pdf", defaults={"kind": "dues"})
@bp.route("/receipts/fee/<int:entry_id>.pdf", defaults={"kind": "fee"})
@roles_required(Role.SECRETARIAT, Role.ADMIN)
def receipt_pdf(kind: str, entry_id: int):
    receipt = queries.for_user(current_user, ReceiptKind(kind), entry_id) or abort(404)
    return download(pdf.pdf_of(receipt), pdf.filename(receipt), "application/pdf")
