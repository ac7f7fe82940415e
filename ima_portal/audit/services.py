from __future__ import annotations

from typing import Any

from ..extensions import db
from .models import AuditEntry


def record_changes(actor, action: str, target, label: str, before: dict, after: dict
                   ) -> dict[str, list]:
    """Records what changed between two snapshots of `target` ("Changed <label>: name,
    role"), nothing when nothing did; returns the changes {field: [before, after]}."""
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changed:
        record(actor, action, target, f"Changed {label}: " + ", ".join(sorted(changed)),
               changes=changed)
    return changed


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
