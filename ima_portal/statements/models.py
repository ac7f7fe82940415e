"""Statements, their revisions (every save), sign-offs and comments."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..chapters.models import Chapter
from ..db_types import UTCDateTime, str_enum, utcnow
from ..domain.statements import State, code_display, lines
from ..extensions import db


class Statement(db.Model):
    """A statement of the alliance (no chapter) or of one chapter, in one language; a
    translation points to its original. Its text lives in its revisions."""

    __tablename__ = "statements"
    __table_args__ = (
        # One translation per language per original.
        UniqueConstraint("original_id", "language", name="uq_statements_original_language"),
        CheckConstraint("original_id IS NULL OR original_id <> id", name="not_own_original"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_chapter_id: Mapped[int | None] = mapped_column(ForeignKey("chapters.id"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    original_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    state: Mapped[State] = mapped_column(str_enum(State, "statement_state"), index=True)
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("statement_revisions.id", use_alter=True,
                   name="fk_statements_current_revision_id_statement_revisions"))
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    issuer: Mapped[Chapter | None] = relationship(lazy="joined")
    original: Mapped[Statement | None] = relationship(
        remote_side="Statement.id", back_populates="translations")
    translations: Mapped[list[Statement]] = relationship(
        back_populates="original", order_by="Statement.language")
    current: Mapped[StatementRevision | None] = relationship(
        foreign_keys=[current_revision_id], post_update=True, lazy="joined")
    revisions: Mapped[list[StatementRevision]] = relationship(
        back_populates="statement", foreign_keys="StatementRevision.statement_id",
        order_by="StatementRevision.number")
    sign_offs: Mapped[list[SignOff]] = relationship(
        back_populates="statement", order_by="SignOff.id")
    comments: Mapped[list[StatementComment]] = relationship(
        back_populates="statement", order_by="StatementComment.id")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    state_changed_by: Mapped[User | None] = relationship(foreign_keys=[state_changed_by_id])

    @property
    def headline(self) -> str:
        return self.current.headline if self.current else ""

    def __repr__(self) -> str:
        return f"<Statement {self.id} {self.state}>"


class StatementRevision(db.Model):
    """One save of a statement: who, when, and every field as it was. Never changed.

    A save refused because someone else had saved meanwhile is kept too (`conflict`), so
    that no text typed is ever lost; it is not the statement's current text."""

    __tablename__ = "statement_revisions"
    __table_args__ = (
        UniqueConstraint("statement_id", "number", name="uq_statement_revisions_number"),
        CheckConstraint("length(trim(headline)) > 0", name="headline_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    conflict: Mapped[bool] = mapped_column(default=False)
    # The revision the editor started from (a conflict is detected against it).
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("statement_revisions.id"))
    # A translation: the original's revision it renders.
    source_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("statement_revisions.id"))

    issuer_name: Mapped[str] = mapped_column(String(160))
    partners: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8))
    headline: Mapped[str] = mapped_column(String(300))
    subheadlines: Mapped[str] = mapped_column(Text, default="")
    occasion: Mapped[str] = mapped_column(String(20))
    dateline_place: Mapped[str] = mapped_column(String(120), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Text, default="")
    slogans: Mapped[str] = mapped_column(Text, default="")
    hashtags: Mapped[str] = mapped_column(Text, default="")
    reference_name: Mapped[str] = mapped_column(String(120), default="")
    reference_title: Mapped[str] = mapped_column(String(120), default="")
    content_sha256: Mapped[str] = mapped_column(String(64))

    statement: Mapped[Statement] = relationship(
        back_populates="revisions", foreign_keys=[statement_id])
    author: Mapped[User | None] = relationship(lazy="joined")
    sign_off: Mapped[SignOff | None] = relationship(back_populates="revision", uselist=False)
    source_revision: Mapped[StatementRevision | None] = relationship(
        foreign_keys=[source_revision_id], remote_side="StatementRevision.id")

    @property
    def subheadline_lines(self) -> list[str]:
        return lines(self.subheadlines)

    @property
    def slogan_lines(self) -> list[str]:
        return lines(self.slogans)

    @property
    def partner_lines(self) -> list[str]:
        return lines(self.partners)

    @property
    def hashtag_list(self) -> list[str]:
        return self.hashtags.split()

    def __repr__(self) -> str:
        return f"<StatementRevision {self.statement_id}#{self.number}>"


class SignOff(db.Model):
    """The chair's sign-off of one revision: the SHA-256 of the exact text signed.
    One per revision (a database constraint); it stays with that text for ever."""

    __tablename__ = "statement_sign_offs"
    __table_args__ = (
        Index("uq_statement_sign_offs_verification_code", "verification_code", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("statement_revisions.id"), unique=True)
    chair_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content_sha256: Mapped[str] = mapped_column(String(64))
    # Printed on the signed copy; /verify/<code> shows what was signed (public).
    verification_code: Mapped[str | None] = mapped_column(String(16))

    statement: Mapped[Statement] = relationship(back_populates="sign_offs")

    @property
    def code_display(self) -> str:
        """The code as printed: two groups of five (K7QMB-3XPA9)."""
        return code_display(self.verification_code)

    revision: Mapped[StatementRevision] = relationship(back_populates="sign_off")
    chair: Mapped[User] = relationship(lazy="joined")


class StatementComment(db.Model):
    """A comment on a statement; the chair's decisions and withdrawals are comments too,
    with their kind."""

    __tablename__ = "statement_comments"
    __table_args__ = (CheckConstraint("length(trim(body)) > 0", name="body_not_blank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("statement_revisions.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20), default="comment")
    body: Mapped[str] = mapped_column(Text)

    statement: Mapped[Statement] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship(lazy="joined")
    revision: Mapped[StatementRevision | None] = relationship()


class Publication(db.Model):
    """A statement made public: the signed revision the public archive shows, and when.
    Kept when the statement is later edited (the archive goes on showing the text that
    was published until a new publication replaces it); the statement's withdrawal ends
    it (the archive then says it was withdrawn and when)."""

    __tablename__ = "statement_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("statement_revisions.id"))
    sign_off_id: Mapped[int] = mapped_column(ForeignKey("statement_sign_offs.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    statement: Mapped[Statement] = relationship()
    revision: Mapped[StatementRevision] = relationship()
    sign_off: Mapped[SignOff] = relationship()
