from __future__ import annotations

from typing import Any

from ..extensions import db
from .models import AuditEntry


def record(actor, action: str, target, summary: str, **details: Any) -> AuditEntry:
    """Adds an audit entry for `actor` (a User, or None for the system) doing `action`
    to `target` (a model instance, flushed so that it has an id)."""
    if target is not None and getattr(target, "id", None) is None:
        db.session.flush()
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=getattr(target, "id", None),
        summary=summary[:300],
        details=details,
    )
    db.session.add(entry)
    return entry
