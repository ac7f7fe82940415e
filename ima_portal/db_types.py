"""Column types shared by the models."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A moment in time, stored in UTC and always read back timezone-aware (UTC).

    SQLite keeps no zone; PostgreSQL's `timestamptz` does. Either way the model sees an
    aware UTC datetime, and a naive value is refused instead of guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(cls, name: str, length: int = 20) -> Enum:
    """A Python enum stored as its values' text (no native database enum type), with a
    check constraint listing the values."""
    return Enum(cls, native_enum=False, length=length, create_constraint=True, name=name,
                values_callable=lambda members: [m.value for m in members])
