"""Regions, chapters and the alliance's own settings."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User


class Region(db.Model):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    chapters: Mapped[list[Chapter]] = relationship(back_populates="region")

    def __repr__(self) -> str:
        return f"<Region {self.code}>"


class Chapter(db.Model):
    """A national chapter, such as IMA-USA, with a secretariat of a few people."""

    __tablename__ = "chapters"
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("length(trim(code)) > 0", name="code_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(80))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)

    region: Mapped[Region] = relationship(back_populates="chapters", lazy="joined")
    users: Mapped[list[User]] = relationship(back_populates="chapter")

    def __repr__(self) -> str:
        return f"<Chapter {self.code}>"


# Codes and names are unique whatever their case ("IMA-USA" and "ima-usa" are one chapter).
Index("uq_chapters_code_lower", func.lower(Chapter.code), unique=True)
Index("uq_chapters_name_lower", func.lower(Chapter.name), unique=True)


class Alliance(db.Model):
    """The alliance's own details, one row: shown in the layout and on printed matter."""

    __tablename__ = "alliance"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(160))
    short_name: Mapped[str] = mapped_column(String(20))
    secretariat_city: Mapped[str] = mapped_column(String(80))
    secretariat_country: Mapped[str] = mapped_column(String(80))
    # The reference line statements carry unless their authors change it (the chair's).
    reference_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    reference_title: Mapped[str] = mapped_column(String(120), default="IMA chairperson",
                                                 server_default="IMA chairperson")
    # The paper printed documents use unless the exporter chooses: "A4" or "Letter".
    paper_size: Mapped[str] = mapped_column(String(10), default="A4", server_default="A4")
