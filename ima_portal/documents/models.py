"""Rendered documents kept in the database (so every app server finds them), and batch
export jobs with their progress (their ZIPs are files in EXPORT_FOLDER)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class StoredDocument(db.Model):
    """A rendered file, found again by its key: for a signed statement, a hash of what
    went into it (the signed text's SHA-256, the paper, the template's version). A signed
    text never changes, so its PDF is rendered once."""

    __tablename__ = "stored_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    content_type: Mapped[str] = mapped_column(String(60))
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExportJob(db.Model):
    """A batch export of statements to one ZIP of PDFs, rendered by the worker; the page
    that started it shows its progress. States: pending (queued, or waiting to be tried
    again), running, done (`file_name` in EXPORT_FOLDER), failed (`error`, a sentence for
    the user), expired (the ZIP was deleted after a day)."""

    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paper_size: Mapped[str] = mapped_column(String(10))
    statement_ids: Mapped[str] = mapped_column(Text)  # comma-separated, in order
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    file_name: Mapped[str | None] = mapped_column(String(100))

    @property
    def ids(self) -> list[int]:
        return [int(i) for i in self.statement_ids.split(",") if i]

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
