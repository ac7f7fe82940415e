"""Delegates' verifiable documents: visa invitation letters and certificates of attendance,
one table with a kind. What a document says (the name, the organization, the dates, who
issued it) is copied onto its row when it is requested or issued, so that the public
verification page answers what was printed even after the registration changes."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..assembly.models import Assembly, Registration
from ..auth.models import User
from ..chapters.models import Chapter
from ..db_types import UTCDateTime, str_enum, utcnow
from ..domain.letters import DocumentKind, LetterState, current_state, mask_passport
from ..domain.statements import code_display
from ..extensions import db


class IssuedDocument(db.Model):
    """A visa invitation letter (requested, then issued or refused; withdrawn) or a
    certificate of attendance (issued; withdrawn) for one registration."""

    __tablename__ = "issued_documents"
    __table_args__ = (
        UniqueConstraint("kind", "registration_id", name="one_per_kind_and_registration"),
        Index("uq_issued_documents_verification_code", "verification_code", unique=True),
        CheckConstraint("kind = 'letter' OR state IN ('issued', 'withdrawn')",
                        name="certificate_states"),
        CheckConstraint("state <> 'issued' OR "
                        "(verification_code IS NOT NULL AND issued_at IS NOT NULL)",
                        name="issued_has_code"),
        CheckConstraint("state <> 'refused' OR length(trim(reason)) > 0",
                        name="refusal_has_reason"),
        CheckConstraint("length(trim(holder_name)) > 0", name="holder_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, "document_kind"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), index=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id"), index=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id"), index=True)
    state: Mapped[LetterState] = mapped_column(str_enum(LetterState, "document_state"))
    # The name as in the passport (a letter) or as typed in the registration (a certificate).
    holder_name: Mapped[str] = mapped_column(String(160))
    # Passport data: letters only; erased (NULL) a set number of days after the assembly.
    nationality: Mapped[str | None] = mapped_column(String(80))
    passport_number: Mapped[str | None] = mapped_column(String(40))
    passport_expiry: Mapped[date | None] = mapped_column(Date)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    personal_data_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the printed document says, as it was when issued.
    organization_name: Mapped[str] = mapped_column(String(200), default="")
    chapter_name: Mapped[str] = mapped_column(String(120), default="")
    stay_from: Mapped[date | None] = mapped_column(Date)
    stay_to: Mapped[date | None] = mapped_column(Date)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issuer_name: Mapped[str] = mapped_column(String(120), default="")
    issuer_title: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(String(300), default="")  # of a refusal or withdrawal
    verification_code: Mapped[str | None] = mapped_column(String(16))
    # The SHA-256 of the PDF as issued, and the key it is kept under in the documents store.
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    registration: Mapped[Registration] = relationship(lazy="joined")
    assembly: Mapped[Assembly] = relationship()
    chapter: Mapped[Chapter] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def current_state(self) -> LetterState:
        """The state as the rules see it (a withdrawn registration withdraws its letter)."""
        return current_state(self.state, self.registration.state.value == "withdrawn")

    @property
    def masked_passport(self) -> str:
        return mask_passport(self.passport_number)

    @property
    def code_display(self) -> str:
        return code_display(self.verification_code)

    def __repr__(self) -> str:
        return f"<IssuedDocument {self.kind} {self.state} reg={self.registration_id}>"
