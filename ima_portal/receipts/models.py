"""A receipt for one dues payment or one fee payment. What the printed receipt says is
copied onto its row when it is issued, so that the public verification page answers what
was printed even after the organization or the registration changes; whether the payment
was voided since is read from the ledger."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..assembly.models import FeeEntry
from ..chapters.models import Chapter
from ..db_types import UTCDateTime, str_enum, utcnow
from ..domain.receipts import ReceiptKind
from ..domain.statements import code_display
from ..extensions import db
from ..members.models import DuesEntry, Organization


class Receipt(db.Model):
    __tablename__ = "receipts"
    __table_args__ = (
        CheckConstraint("(kind = 'dues') = (dues_entry_id IS NOT NULL) AND "
                        "(kind = 'fee') = (fee_entry_id IS NOT NULL)",
                        name="names_its_payment"),
        Index("uq_receipts_verification_code", "verification_code", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReceiptKind] = mapped_column(str_enum(ReceiptKind, "receipt_kind"))
    dues_entry_id: Mapped[int | None] = mapped_column(ForeignKey("dues_entries.id"),
                                                      unique=True)
    fee_entry_id: Mapped[int | None] = mapped_column(ForeignKey("fee_entries.id"), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id"), index=True)
    verification_code: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    # What the printed receipt says, as it was when issued.
    organization_name: Mapped[str] = mapped_column(String(200))
    chapter_name: Mapped[str] = mapped_column(String(120))
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    usd_cents: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(10))
    reference: Mapped[str] = mapped_column(String(120), default="")
    recorded_by_name: Mapped[str] = mapped_column(String(120), default="")
    years: Mapped[str] = mapped_column(String(80), default="")  # dues: "2023–2025"
    credit_cents: Mapped[int] = mapped_column(Integer, default=0)  # dues beyond the years
    registration_name: Mapped[str] = mapped_column(String(160), default="")  # fee
    assembly_number: Mapped[int | None] = mapped_column(Integer)  # fee
    email: Mapped[str] = mapped_column(String(254), default="")  # sent to, when it was
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The SHA-256 of the PDF as rendered, and the key it is kept under in the store.
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_key: Mapped[str | None] = mapped_column(String(64))

    organization: Mapped[Organization] = relationship()
    chapter: Mapped[Chapter] = relationship()
    dues_entry: Mapped[DuesEntry | None] = relationship()
    fee_entry: Mapped[FeeEntry | None] = relationship()

    @property
    def holder_name(self) -> str:
        return self.organization_name

    @property
    def code_display(self) -> str:
        return code_display(self.verification_code)

    def __repr__(self) -> str:
        return f"<Receipt {self.kind} {self.verification_code}>"
