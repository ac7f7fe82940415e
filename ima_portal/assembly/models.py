"""Assemblies and the registrations of their participants."""
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
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..chapters.models import Chapter
from ..db_types import UTCDateTime, str_enum, utcnow
from ..domain.assembly import (
    AssemblyDates,
    Participation,
    RegistrationState,
    deadline_day,
    opening_day,
)
from ..extensions import db
from ..members.models import DuesPolicyRecord, Organization


class Assembly(db.Model):
    """A Global Assembly, kept by the global secretariat."""

    __tablename__ = "assemblies"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="days_in_order"),
        CheckConstraint("checkout_on > nights_from", name="nights_in_order"),
        CheckConstraint("fee_cents >= 0", name="fee_not_negative"),
        CheckConstraint("registration_deadline > registration_opens",
                        name="deadline_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(160))
    city: Mapped[str] = mapped_column(String(80))
    country: Mapped[str] = mapped_column(String(80))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    arrive_by: Mapped[date] = mapped_column(Date)
    leave_on: Mapped[date] = mapped_column(Date)
    nights_from: Mapped[date] = mapped_column(Date)
    checkout_on: Mapped[date] = mapped_column(Date)
    fee_cents: Mapped[int] = mapped_column(Integer)
    fee_covers: Mapped[str] = mapped_column(Text, default="")
    registration_opens: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    dues_policy_id: Mapped[int] = mapped_column(ForeignKey("dues_policies.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dues_policy: Mapped[DuesPolicyRecord] = relationship(lazy="joined")

    @property
    def opens_on(self) -> date:
        return opening_day(self.registration_opens)

    @property
    def deadline_on(self) -> date:
        return deadline_day(self.registration_deadline)

    @property
    def dates(self) -> AssemblyDates:
        return AssemblyDates(self.first_day, self.last_day, self.arrive_by, self.leave_on,
                             self.nights_from, self.checkout_on)

    def __repr__(self) -> str:
        return f"<Assembly {self.number}>"


class Registration(db.Model):
    """A participant registered by a chapter secretariat for one of its organizations.
    Withdrawn registrations are kept, with who withdrew them and when."""

    __tablename__ = "registrations"
    __table_args__ = (
        CheckConstraint("departure >= arrival", name="departure_after_arrival"),
        CheckConstraint("length(trim(full_name)) > 0", name="name_not_blank"),
        # One voting delegate per organization per assembly: two secretariats registering
        # at the same moment get one success and one refusal from the database itself.
        Index("uq_registrations_one_voting_delegate", "assembly_id", "organization_id",
              unique=True,
              sqlite_where=text("participation = 'voting' AND state <> 'withdrawn'"),
              postgresql_where=text("participation = 'voting' AND state <> 'withdrawn'")),
        # A secretariat's pending registrations counted in one range of one index.
        Index("ix_registrations_assembly_chapter_state", "assembly_id", "chapter_id",
              "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(160))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    participation: Mapped[Participation] = mapped_column(str_enum(Participation, "participation"))
    delegation_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    international: Mapped[bool] = mapped_column(Boolean, default=True)
    arrival: Mapped[date] = mapped_column(Date)
    departure: Mapped[date] = mapped_column(Date)
    accommodation: Mapped[bool] = mapped_column(Boolean, default=True)
    interpretation: Mapped[str] = mapped_column(String(8), default="")
    dietary: Mapped[str] = mapped_column(Text, default="")
    access_needs: Mapped[str] = mapped_column(Text, default="")
    offers_speaker: Mapped[bool] = mapped_column(Boolean, default=False)
    offers_cultural: Mapped[bool] = mapped_column(Boolean, default=False)
    offers_materials: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_list: Mapped[bool] = mapped_column(Boolean, default=False)
    # Says the delegate needs a visa invitation letter (set by the chapter, or on a request).
    needs_visa_letter: Mapped[bool] = mapped_column(Boolean, default=False,
                                                    server_default=false())
    state: Mapped[RegistrationState] = mapped_column(
        str_enum(RegistrationState, "registration_state"), default=RegistrationState.PENDING)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assembly: Mapped[Assembly] = relationship()
    organization: Mapped[Organization] = relationship(lazy="joined")
    chapter: Mapped[Chapter] = relationship(lazy="joined")
    state_changed_by: Mapped[User | None] = relationship(foreign_keys=[state_changed_by_id])

    def __repr__(self) -> str:
        return f"<Registration {self.full_name!r} {self.participation}>"


# ---- fees and the solidarity fund ----------------------------------------------------------------
# Both ledgers are append-only (database triggers refuse UPDATE and DELETE, as for the dues
# ledger): a mistake is voided with a reason. A grant is one line of its fund's ledger,
# read by the fee account of the registration it pays for (never written twice).

FEE_ENTRY_KINDS = ("payment", "waiver", "refund", "credit", "void")


class FeeEntry(db.Model):
    """One line of a registration's fee account: a payment, a waiver (the global
    secretariat's, with a reason), a refund or credit decided after a withdrawal, or the
    void of one of these."""

    __tablename__ = "fee_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('payment', 'waiver', 'refund', 'credit', 'void')",
                        name="kind_known"),
        CheckConstraint("kind NOT IN ('payment', 'refund', 'credit') OR amount_cents > 0",
                        name="amount_positive"),
        CheckConstraint("kind <> 'payment' OR (paid_on IS NOT NULL AND method IS NOT NULL)",
                        name="payment_complete"),
        CheckConstraint("method IS NULL OR method IN ('bank', 'paypal', 'venmo', 'cash', "
                        "'other')", name="method_known"),
        CheckConstraint("kind NOT IN ('void', 'waiver') OR length(trim(reason)) > 0",
                        name="has_reason"),
        CheckConstraint("(kind = 'void') = (voids_id IS NOT NULL)", name="void_names_entry"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    method: Mapped[str | None] = mapped_column(String(10))
    paid_on: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(120), default="")
    voids_id: Mapped[int | None] = mapped_column(ForeignKey("fee_entries.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()
    recorded_by: Mapped[User | None] = relationship(lazy="joined")


class SolidarityFund(db.Model):
    """A chapter's solidarity fund for one assembly. Its row is locked before a grant or
    a void reads the balance, so two grants that together exceed it cannot both pass."""

    __tablename__ = "solidarity_funds"
    __table_args__ = (
        UniqueConstraint("chapter_id", "assembly_id", name="one_per_chapter_and_assembly"),
        CheckConstraint("goal_cents >= 0", name="goal_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id"), index=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id"), index=True)
    goal_cents: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    chapter: Mapped[Chapter] = relationship(lazy="joined")
    assembly: Mapped[Assembly] = relationship()


FUND_ENTRY_KINDS = ("pledge", "receipt", "grant", "void")


class FundEntry(db.Model):
    """One line of a fund's ledger: a pledge (a promise), a receipt (money in, which may
    settle a pledge), a grant (money out, to a registration's fee or travel, with who
    decided), or the void of one of these."""

    __tablename__ = "fund_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('pledge', 'receipt', 'grant', 'void')", name="kind_known"),
        CheckConstraint("kind = 'void' OR amount_cents > 0", name="amount_positive"),
        CheckConstraint("(kind = 'void') = (voids_id IS NOT NULL)", name="void_names_entry"),
        CheckConstraint("kind <> 'void' OR length(trim(reason)) > 0", name="void_has_reason"),
        CheckConstraint("kind <> 'pledge' OR length(trim(donor)) > 0",
                        name="pledge_has_donor"),
        CheckConstraint("kind <> 'receipt' OR received_on IS NOT NULL",
                        name="receipt_has_date"),
        CheckConstraint("kind <> 'grant' OR (registration_id IS NOT NULL AND purpose IN "
                        "('fee', 'travel') AND decided_by_id IS NOT NULL)",
                        name="grant_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("solidarity_funds.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    donor: Mapped[str] = mapped_column(String(160), default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    promised_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    settles_id: Mapped[int | None] = mapped_column(ForeignKey("fund_entries.id"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"),
                                                        index=True)
    purpose: Mapped[str | None] = mapped_column(String(10))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    voids_id: Mapped[int | None] = mapped_column(ForeignKey("fund_entries.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    fund: Mapped[SolidarityFund] = relationship()
    registration: Mapped[Registration | None] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
