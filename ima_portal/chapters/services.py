"""Regions, chapters and the alliance's settings."""
from __future__ import annotations

from sqlalchemy import func, select

from .. import audit
from ..auth.access import scope
from ..auth.models import User
from ..domain.regions import REGIONS
from ..domain.roles import Role
from ..extensions import db
from .models import Alliance, Chapter, Region

ALLIANCE_DEFAULTS = {"name": "International Migrants Alliance", "short_name": "IMA",
                     "secretariat_city": "Hong Kong", "secretariat_country": "Hong Kong SAR"}


def ensure_regions() -> list[Region]:
    """The seven regions exist (the first migration adds them; this keeps them)."""
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    for code, name in REGIONS:
        if code not in existing:
            existing[code] = Region(code=code, name=name)
            db.session.add(existing[code])
    db.session.flush()
    return all_regions()


def ensure_alliance() -> Alliance:
    alliance = db.session.get(Alliance, 1)
    if alliance is None:
        alliance = Alliance(id=1, **ALLIANCE_DEFAULTS)
        db.session.add(alliance)
        db.session.flush()
    return alliance


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


def list_chapters(q: str = "", region_id: int | None = None) -> list[tuple[Chapter, int]]:
    """Chapters the current user may see, each with its number of active secretariat
    members, filtered by a search on name, code or country and by region."""
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
    stmt = scope(stmt, Chapter.id)
    return [(chapter, count) for chapter, count in db.session.execute(stmt).unique()]


def _fields(chapter: Chapter) -> dict:
    return {"name": chapter.name, "code": chapter.code, "country": chapter.country,
            "region": chapter.region.code if chapter.region else None}


def create_chapter(actor, *, name: str, code: str, country: str, region: Region) -> Chapter:
    chapter = Chapter(name=name.strip(), code=code.strip(), country=country.strip(), region=region)
    db.session.add(chapter)
    db.session.flush()
    audit.record(actor, "chapter.create", chapter, f"Created chapter {chapter.code}",
                 **_fields(chapter))
    return chapter


def update_chapter(actor, chapter: Chapter, *, name: str, code: str, country: str,
                   region: Region) -> Chapter:
    before = _fields(chapter)
    chapter.name, chapter.code, chapter.country = name.strip(), code.strip(), country.strip()
    chapter.region = region
    audit.record_changes(actor, "chapter.update", chapter, f"chapter {chapter.code}", before,
                         _fields(chapter))
    return chapter
