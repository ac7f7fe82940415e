"""Member organizations, their status history, dues policies and the dues ledger."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..chapters.models import Chapter, Region
from ..db_types import UTCDateTime, str_enum, utcnow
from ..domain.dues import MembershipType, MemberStatus
from ..extensions import db

# The longest text each field of an organization takes, in the form and in a CSV import.
ORGANIZATION_LIMITS = {"name": 200, "country": 80, "contact_person": 120, "email": 254,
                       "phone": 40, "notes": 4000}


class Organization(db.Model):
    """A member organization (or applicant) of one chapter."""

    __tablename__ = "organizations"
    __table_args__ = (
        # One name per chapter, whatever its case, accents or spacing.
        UniqueConstraint("chapter_id", "name_key", name="uq_organizations_chapter_name"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(80))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    membership: Mapped[MembershipType] = mapped_column(str_enum(MembershipType, "membership"))
    status: Mapped[MemberStatus] = mapped_column(str_enum(MemberStatus, "member_status"))
    status_since: Mapped[date] = mapped_column(Date)
    joined_on: Mapped[date | None] = mapped_column(Date)
    contact_person: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The language of its receipts (None: its chapter secretariat's, else English).
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    chapter: Mapped[Chapter] = relationship(lazy="joined")
    region: Mapped[Region] = relationship(lazy="joined")
    status_changes: Mapped[list[StatusChange]] = relationship(
        back_populates="organization", order_by="StatusChange.id")
    entries: Mapped[list[DuesEntry]] = relationship(
        back_populates="organization", order_by="DuesEntry.id",
        foreign_keys="DuesEntry.organization_id")

    def __repr__(self) -> str:
        return f"<Organization {self.name!r}>"


class StatusChange(db.Model):
    """Each change of an organization's status, kept for ever (never overwritten)."""

    __tablename__ = "organization_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    status: Mapped[MemberStatus] = mapped_column(str_enum(MemberStatus, "member_status"))
    effective_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="status_changes")
    recorded_by: Mapped[User | None] = relationship(lazy="joined")


class DuesPolicyRecord(db.Model):
    """The dues an assembly reckons. Exactly one policy is current."""

    __tablename__ = "dues_policies"
    __table_args__ = (
        CheckConstraint("rate_cents >= 0", name="rate_not_negative"),
        CheckConstraint("last_year >= first_year", name="years_in_order"),
        Index("uq_dues_policies_is_current", "is_current", unique=True,
              sqlite_where=text("is_current"), postgresql_where=text("is_current")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    rate_cents: Mapped[int] = mapped_column(Integer)
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    payments_from: Mapped[date] = mapped_column(Date)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)


ENTRY_KINDS = ("payment", "void")
CHANNELS = ("chapter", "global")
METHODS = ("paypal", "venmo", "bank", "cash", "other")


class DuesEntry(db.Model):
    """One line of the dues ledger: a payment, or the void of a payment. Lines are never
    edited or deleted (database triggers refuse it); a mistake is voided with a reason."""

    __tablename__ = "dues_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('payment', 'void')", name="kind_known"),
        CheckConstraint("kind <> 'payment' OR (amount_cents > 0 AND usd_cents > 0 AND "
                        "paid_on IS NOT NULL AND channel IS NOT NULL AND method IS NOT NULL)",
                        name="payment_complete"),
        CheckConstraint("kind <> 'payment' OR currency <> 'USD' OR usd_cents = amount_cents",
                        name="usd_amount_matches"),
        CheckConstraint("kind <> 'void' OR (voids_id IS NOT NULL AND length(trim(reason)) > 0)",
                        name="void_has_reason"),
        CheckConstraint("channel IS NULL OR channel IN ('chapter', 'global')",
                        name="channel_known"),
        CheckConstraint("method IS NULL OR method IN ('paypal', 'venmo', 'bank', 'cash', "
                        "'other')", name="method_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str | None] = mapped_column(String(3))
    usd_cents: Mapped[int | None] = mapped_column(Integer)
    paid_on: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[str | None] = mapped_column(String(10))
    method: Mapped[str | None] = mapped_column(String(10))
    reference: Mapped[str] = mapped_column(String(120), default="")
    reference_key: Mapped[str] = mapped_column(String(120), default="")
    voids_id: Mapped[int | None] = mapped_column(ForeignKey("dues_entries.id"), unique=True)
    # A payment entered again after its first entry was voided (same method and reference).
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("dues_entries.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="entries",
                                                      foreign_keys=[organization_id])
    recorded_by: Mapped[User | None] = relationship(lazy="joined")
    voids: Mapped[DuesEntry | None] = relationship(remote_side=[id], foreign_keys=[voids_id])


class Remittance(db.Model):
    """A payment received through a chapter, passed on to the global secretariat. Kept
    beside the ledger line (which is never edited); at most one per payment."""

    __tablename__ = "dues_remittances"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("dues_entries.id"), unique=True)
    remitted_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[DuesEntry] = relationship()
    recorded_by: Mapped[User | None] = relationship(lazy="joined")


class DuesBalance(db.Model):
    """What an organization owes and has paid under the current policy, and what it paid
    through its chapter not yet remitted, kept by the database itself (triggers of
    migration 0020 on the ledger, the remittances, the dues policies and the
    organizations). Lists and homes count, filter and sort
    by these without summing the whole ledger; the application never writes them.
    `tests/test_dues_balances.py` checks them against the ledger on both databases."""

    __tablename__ = "dues_balances"
    __table_args__ = (
        CheckConstraint("due_cents >= 0 AND paid_cents >= 0", name="not_negative"),
        CheckConstraint("unremitted_cents >= 0 AND unremitted_payments >= 0",
                        name="unremitted_not_negative"),
        # A chapter's figures in one range of one index (no row of the table read).
        Index("ix_dues_balances_chapter", "chapter_id", "due_cents", "paid_cents",
              "unremitted_payments", "unremitted_cents"),
    )

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    chapter_id: Mapped[int] = mapped_column(Integer)  # the organization's, kept beside
    # The total due under the current policy (domain.dues: the policy's rate for each of
    # its years from the year the organization joined; nothing for an applicant, nothing
    # while no policy is current).
    due_cents: Mapped[int] = mapped_column(Integer, server_default="0")
    # Live payments paid on or after the current policy's `payments_from` (all of them
    # while no policy is current).
    paid_cents: Mapped[int] = mapped_column(Integer, server_default="0")
    # Live payments with channel 'chapter' and no remittance.
    unremitted_cents: Mapped[int] = mapped_column(Integer, server_default="0")
    unremitted_payments: Mapped[int] = mapped_column(Integer, server_default="0")


# The same payer's reference for the same method is one payment (double submit, double
# import); entering it again is possible only as the replacement of a voided entry.
Index("uq_dues_entries_method_reference", DuesEntry.method, DuesEntry.reference_key,
      func.coalesce(DuesEntry.replaces_id, 0), unique=True,
      sqlite_where=text("kind = 'payment' AND reference_key <> ''"),
      postgresql_where=text("kind = 'payment' AND reference_key <> ''"))


class Orientation(db.Model):
    """An applicant's orientation with its chapter, recorded before it joins at the
    assembly (kept: a later one is another row)."""

    __tablename__ = "orientations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    attended: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    recorded_by: Mapped[User | None] = relationship()
