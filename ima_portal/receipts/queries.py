"""Reads of receipts (no request, no current_user: the user is given)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..assembly.models import FeeEntry
from ..auth.models import User
from ..domain.receipts import ReceiptKind, may_see
from ..domain.roles import Role
from ..domain.statements import is_verification_code, normalize_code
from ..extensions import db
from ..members.models import DuesEntry
from .models import Receipt


def by_code(code: str) -> Receipt | None:
    """The receipt a verification code (as typed) names."""
    code = normalize_code(code)
    if not is_verification_code(code):
        return None
    return db.session.scalar(select(Receipt).where(Receipt.verification_code == code))


def code_taken(code: str) -> bool:
    return db.session.scalar(select(Receipt.id).where(Receipt.verification_code == code)) \
        is not None


def of_payment(kind: ReceiptKind, entry_id: int) -> Receipt | None:
    column = Receipt.dues_entry_id if kind is ReceiptKind.DUES else Receipt.fee_entry_id
    return db.session.scalar(select(Receipt).where(column == entry_id))


def for_user(user: User, kind: ReceiptKind, entry_id: int) -> Receipt | None:
    """The receipt of a payment, if `user` may see it (else None: 404)."""
    receipt = of_payment(kind, entry_id)
    if receipt is None or not may_see(user.role, user.chapter_id, receipt.chapter_id):
        return None
    return receipt


def is_voided(receipt: Receipt) -> bool:
    """Was the payment the receipt is for voided since (read from its ledger)?"""
    if receipt.kind is ReceiptKind.DUES:
        void = aliased(DuesEntry)
        stmt = select(void.id).where(void.voids_id == receipt.dues_entry_id)
    else:
        void = aliased(FeeEntry)
        stmt = select(void.id).where(void.voids_id == receipt.fee_entry_id)
    return db.session.scalar(stmt) is not None


def dues_paid_before(entry: DuesEntry, payments_from) -> int:
    """The organization's counted, non-voided payments recorded before `entry`."""
    void = aliased(DuesEntry)
    return db.session.scalar(
        select(func.coalesce(func.sum(DuesEntry.usd_cents), 0)).where(
            DuesEntry.organization_id == entry.organization_id,
            DuesEntry.kind == "payment", DuesEntry.id < entry.id,
            DuesEntry.paid_on >= payments_from,
            ~select(void.id).where(void.voids_id == DuesEntry.id).exists())) or 0


def secretariat_language(chapter_id: int) -> str | None:
    """The language one of the chapter's secretariat accounts chose, if any."""
    return db.session.scalar(select(User.language).where(
        User.chapter_id == chapter_id, User.role == Role.SECRETARIAT,
        User.language.is_not(None)).order_by(User.id).limit(1))
