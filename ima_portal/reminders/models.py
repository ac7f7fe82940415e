"""One row per digest sent: the database makes each recipient's digest of a period
unique, whatever the number of workers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class ReminderDigest(db.Model):
    __tablename__ = "reminder_digests"
    __table_args__ = (UniqueConstraint("user_id", "kind", "period",
                                       name="uq_reminder_digests_user_kind_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(24))
    items: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
