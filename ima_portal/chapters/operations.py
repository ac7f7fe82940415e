"""Regions, chapters and the alliance's settings: the changes (each flushed with its audit
entry; the request's transaction commits)."""
from __future__ import annotations

from sqlalchemy import select

from .. import audit
from ..domain.regions import REGIONS
from ..extensions import db
from .models import Alliance, Chapter, Region
from .queries import ALLIANCE_DEFAULTS, all_regions


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
    db.session.flush()
    return chapter
