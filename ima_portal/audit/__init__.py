"""Audit trail: who changed what, and when. Every service that changes a record calls
`record()` in the same transaction as the change."""
from .models import AuditEntry
from .services import record

__all__ = ["AuditEntry", "record"]
