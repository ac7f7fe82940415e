"""What each role's home page counts. Every figure is a query of what exists."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..audit.models import AuditEntry
from ..auth.models import User
from ..auth.queries import failed_logins_since
from ..chapters.models import Chapter, Region
from ..db_types import utcnow
from ..domain.roles import Role
from ..extensions import db


@dataclass(frozen=True)
class RegionCount:
    region: Region
    chapters: int


def chapters_per_region() -> list[RegionCount]:
    stmt = (select(Region, func.count(Chapter.id))
            .outerjoin(Chapter, Chapter.region_id == Region.id)
            .group_by(Region.id).order_by(Region.id))
    return [RegionCount(region, count) for region, count in db.session.execute(stmt)]


def users_by_role() -> dict[Role, dict[str, int]]:
    counts: dict[Role, dict[str, int]] = {r: {"active": 0, "inactive": 0} for r in Role}
    stmt = select(User.role, User.active, func.count()).group_by(User.role, User.active)
    for role, active, count in db.session.execute(stmt):
        counts[role]["active" if active else "inactive"] += count
    return counts


def recent_activity(limit: int = 8) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc(),
                                                               AuditEntry.id.desc()).limit(limit)))


def failed_logins_last_day(now: datetime | None = None) -> int:
    return failed_logins_since((now or utcnow()) - timedelta(days=1))
