"""Audit trail: who changed what, and when. Every service that changes a record calls
`record()` in the same transaction as the change."""
from .models import AuditEntry
from .services import record, record_changes

__all__ = ["AuditEntry", "record", "record_changes"]
