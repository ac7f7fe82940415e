"""Rendered documents kept in the database under a key, so that any app server serves a
document rendered once by any other."""
from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import StoredDocument


def key_of(*parts: object) -> str:
    """A store key: the SHA-256 of everything that went into a document."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def find(key: str) -> StoredDocument | None:
    return db.session.scalar(select(StoredDocument).where(StoredDocument.key == key))


def keep(key: str, *, kind: str, filename: str, content_type: str,
         data: bytes) -> StoredDocument:
    """Stores `data` under `key` (committed with the request); if another request stored
    the same document meanwhile, that one is returned and this insert is undone alone
    (a savepoint), leaving the rest of the transaction as it was."""
    document = StoredDocument(key=key, kind=kind, filename=filename, content_type=content_type,
                              size=len(data), data=data)
    try:
        with db.session.begin_nested():
            db.session.add(document)
    except IntegrityError:
        existing = find(key)
        if existing is None:
            raise
        return existing
    return document
