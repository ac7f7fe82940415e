"""The global secretariat's reads: accounts and the activity log (select statements the
views paginate)."""
from __future__ import annotations

from sqlalchemy import func, or_, select

from ..audit.models import AuditEntry
from ..auth.models import User
from ..domain.roles import Role
from ..extensions import db


def search_users(q: str = "", role: str = "", status: str = "", chapter_id: int | None = None):
    """Accounts matching a search on name or e-mail, a role, active/inactive, a chapter."""
    stmt = select(User).order_by(User.active.desc(), func.lower(User.name))
    if q.strip():
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    if status == "active":
        stmt = stmt.where(User.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(User.active.is_(False))
    if chapter_id:
        stmt = stmt.where(User.chapter_id == chapter_id)
    return stmt


def activity(target_type: str | None = None, target_id: int | None = None):
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if target_type:
        stmt = stmt.where(AuditEntry.target_type == target_type)
    if target_id is not None:
        stmt = stmt.where(AuditEntry.target_id == target_id)
    return stmt


def user_activity(user_id: int, limit: int = 20) -> list[AuditEntry]:
    """The latest entries of the activity log about one account."""
    return list(db.session.scalars(activity("User", user_id).limit(limit)))
