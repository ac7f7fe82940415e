"""Info sessions, their registrations, the chapters' public sign-up links and the record
of sign-ups (for the throttle)."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..assembly.models import Assembly
from ..auth.models import User
from ..chapters.models import Chapter
from ..db_types import UTCDateTime, utcnow
from ..extensions import db


def new_signup_token() -> str:
    """An unguessable token for a chapter's public sign-up address."""
    return secrets.token_urlsafe(18)


class InfoSession(db.Model):
    """One online info session of a chapter (before an assembly, or generally)."""

    __tablename__ = "info_sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("call_link = '' OR call_link LIKE 'https://%'", name="call_link_https"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id"), index=True)
    assembly_id: Mapped[int | None] = mapped_column(ForeignKey("assemblies.id"), index=True)
    title: Mapped[str] = mapped_column(String(160), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    call_link: Mapped[str] = mapped_column(String(500), default="")
    languages: Mapped[str] = mapped_column(String(40), default="en")  # codes, comma-separated
    capacity: Mapped[int | None] = mapped_column(Integer)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    link_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    chapter: Mapped[Chapter] = relationship(lazy="joined")
    assembly: Mapped[Assembly | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    registrations: Mapped[list[InfoSessionRegistration]] = relationship(
        back_populates="session", order_by="InfoSessionRegistration.id")

    @property
    def language_codes(self) -> list[str]:
        return [c for c in self.languages.split(",") if c]

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    def __repr__(self) -> str:
        return f"<InfoSession {self.id} {self.starts_at:%Y-%m-%d %H:%M}Z>"


class InfoSessionRegistration(db.Model):
    """Someone who signed up for a session on the public page (no account)."""

    __tablename__ = "info_session_registrations"
    __table_args__ = (
        # One registration per e-mail per session, also when two arrive at once.
        UniqueConstraint("session_id", "email", name="one_per_email_and_session"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("interpretation IN ('', 'en', 'id', 'es', 'fr')",
                        name="interpretation_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("info_sessions.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    organization: Mapped[str] = mapped_column(String(200), default="")
    interpretation: Mapped[str] = mapped_column(String(5), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The language the person signed up in: their mails are written in it.
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[InfoSession] = relationship(back_populates="registrations")


class SignupLink(db.Model):
    """A chapter's public sign-up address (`/join/<token>`); regenerating it makes the old
    address answer 404."""

    __tablename__ = "info_session_signup_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapters.id"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_signup_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    chapter: Mapped[Chapter] = relationship(lazy="joined")


class SignupAttempt(db.Model):
    """One sign-up sent on a public page, counted against its e-mail and its address
    (kept a day, for the throttle)."""

    __tablename__ = "info_session_signup_attempts"
    __table_args__ = (Index("ix_signup_attempts_kind_key_at", "kind", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "email" or "address"
    key: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
