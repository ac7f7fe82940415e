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
    """Stores `data` under `key` and commits; if another request stored the same document
    meanwhile, that one is kept and returned. (Call it with nothing else pending in the
    session: a refused insert rolls the transaction back, as SQLite's driver keeps no
    savepoints.)"""
    document = StoredDocument(key=key, kind=kind, filename=filename, content_type=content_type,
                              size=len(data), data=data)
    db.session.add(document)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = find(key)
        if existing is None:
            raise
        return existing
    return document
