"""Regions, chapters and the alliance's settings: reads (chapter scope for a given user)."""
from __future__ import annotations

from sqlalchemy import func, select

from ..auth.models import User
from ..domain.roles import Role
from ..extensions import db
from ..scoping import Actor, scoped
from .models import Alliance, Chapter, Region

ALLIANCE_DEFAULTS = {"name": "International Migrants Alliance", "short_name": "IMA",
                     "secretariat_city": "Hong Kong", "secretariat_country": "Hong Kong SAR"}


def alliance() -> Alliance:
    """The alliance's details; the defaults when the row is missing (never written here)."""
    return db.session.get(Alliance, 1) or Alliance(id=1, **ALLIANCE_DEFAULTS)


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.id)))


def all_chapters() -> list[Chapter]:
    return list(db.session.scalars(select(Chapter).order_by(Chapter.code)))


def _taken(column, value: str, except_id: int | None) -> bool:
    stmt = select(Chapter.id).where(func.lower(column) == value.strip().lower())
    if except_id is not None:
        stmt = stmt.where(Chapter.id != except_id)
    return db.session.scalar(stmt) is not None


def code_taken(code: str, *, except_id: int | None = None) -> bool:
    return _taken(Chapter.code, code, except_id)


def name_taken(name: str, *, except_id: int | None = None) -> bool:
    return _taken(Chapter.name, name, except_id)


def by_code(code: str) -> Chapter | None:
    stmt = select(Chapter).where(func.lower(Chapter.code) == code.strip().lower())
    return db.session.scalar(stmt)


def list_chapters(user: Actor, q: str = "", region_id: int | None = None
                  ) -> list[tuple[Chapter, int]]:
    """Chapters `user` may see, each with its number of active secretariat members,
    filtered by a search on name, code or country and by region."""
    members = (select(func.count(User.id)).where(User.chapter_id == Chapter.id,
                                                 User.role == Role.SECRETARIAT,
                                                 User.active.is_(True))
               .correlate(Chapter).scalar_subquery())
    stmt = select(Chapter, members).order_by(Chapter.code)
    if q.strip():
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(func.lower(Chapter.name).like(like) | func.lower(Chapter.code).like(like)
                          | func.lower(Chapter.country).like(like))
    if region_id:
        stmt = stmt.where(Chapter.region_id == region_id)
    stmt = scoped(stmt, Chapter.id, user)
    return [(chapter, count) for chapter, count in db.session.execute(stmt).unique()]


def chapter_team(chapter_id: int) -> list[User]:
    """The chapter's secretariat accounts, active first."""
    return list(db.session.scalars(
        select(User).where(User.chapter_id == chapter_id, User.role == Role.SECRETARIAT)
        .order_by(User.active.desc(), User.name)))


def without_secretariat() -> list[Chapter]:
    """The chapters with no active secretariat account: nobody keeps their records."""
    kept = select(User.chapter_id).where(User.role == Role.SECRETARIAT, User.active,
                                         User.chapter_id.is_not(None))
    return list(db.session.scalars(select(Chapter).where(Chapter.id.not_in(kept))
                                   .order_by(Chapter.code)))
