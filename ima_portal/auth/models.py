"""Accounts and the record of failed sign-ins."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, Enum, ForeignKey, Index, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..chapters.models import Chapter
from ..db_types import UTCDateTime, utcnow
from ..domain.roles import Role
from ..extensions import db


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        # A chapter secretariat always belongs to a chapter; the database says so too.
        CheckConstraint("role <> 'secretariat' OR chapter_id IS NOT NULL",
                        name="secretariat_has_chapter"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, create_constraint=True,
             values_callable=lambda roles: [r.value for r in roles], name="role"))
    chapter_id: Mapped[int | None] = mapped_column(ForeignKey("chapters.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The interface's language chosen by the person (None: the browser's, then English).
    language: Mapped[str | None] = mapped_column(String(8))
    # Digests of what needs doing, sent by the worker (`reminders`); the account page
    # turns them off.
    reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Part of the login cookie: changing it ends every session and "remember me" cookie
    # of this account (on a password reset or a deactivation).
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Failed sign-ins before this moment no longer count towards the account's throttle
    # (set by a successful sign-in and by a password reset).
    failures_cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in (TOTP): the secret (set when enrolment begins), when it was
    # confirmed (None: not in use), and the last time step used (a code is used once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    chapter: Mapped[Chapter | None] = relationship(back_populates="users", lazy="joined")

    # Flask-Login
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    # The sign-in this request belongs to (a LoginSession), set when the user is loaded
    # from the cookie or signed in; its token goes into the cookie with the account's.
    login_session = None  # LoginSession | None (not a column)
    login_token = None  # str | None (not a column)

    def get_id(self) -> str:
        """What the session and "remember me" cookies carry: the account, its token
        (changed to end every session) and the sign-in's own token (ended at logout)."""
        if not self.login_token:
            raise RuntimeError("sign in through auth.operations.start_session")
        return f"{self.id}:{self.session_token}:{self.login_token}"

    def end_all_sessions(self) -> None:
        self.session_token = new_session_token()

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_chair(self) -> bool:
        return self.role is Role.CHAIR

    @property
    def is_secretariat(self) -> bool:
        return self.role is Role.SECRETARIAT

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


class LoginFailure(db.Model):
    """One failed sign-in, counted against an account (by the e-mail typed, whether or
    not it exists) and an address. Kept in the database so every app server sees it."""

    __tablename__ = "login_failures"
    __table_args__ = (
        CheckConstraint("kind IN ('account', 'address')", name="kind_known"),
        Index("ix_login_failures_kind_key_at", "kind", "key", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class LoginSession(db.Model):
    """One sign-in: the cookies of a browser point at it, and logout ends it on the
    server, so a cookie copied before the logout no longer signs anyone in. The token is
    kept only as its SHA-256."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app (kept as a hash)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordReset(db.Model):
    """A link mailed to reset a forgotten password: single use, expiring, the token kept
    only as its SHA-256. A newer request ends the older links."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


__all__ = ["User", "LoginFailure", "LoginSession", "PasswordReset", "RecoveryCode"]
