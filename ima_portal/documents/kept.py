"""A document issued once (a visa letter, a certificate, a receipt): rendered, kept in the
store under a key that names it, and never rendered again; its SHA-256 is recorded by the
area that issued it, so that a reader can check a copy against it."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app

from . import store
from .pdf import PortalFetcher, render_pdf


@dataclass(frozen=True)
class Kept:
    data: bytes
    sha256: str
    key: str


def render_and_keep(html: str, *, version: str, kind: str, code: str, filename: str) -> Kept:
    """Renders `html` to PDF and keeps it (with the request). A PDF missing a static file
    is refused rather than kept."""
    fetcher = PortalFetcher(current_app.static_folder)
    data = render_pdf(html, current_app.static_folder, fetcher=fetcher)
    if fetcher.refused:
        raise RuntimeError(f"the {kind} asked for files it may not use: {fetcher.refused}")
    digest = hashlib.sha256(data).hexdigest()
    key = store.key_of(version, kind, code, digest)
    store.keep(key, kind=kind, filename=filename, content_type="application/pdf", data=data)
    return Kept(data, digest, key)


def kept_data(key: str | None) -> bytes | None:
    """The kept PDF under `key` (None when never rendered, or erased)."""
    found = store.find(key) if key else None
    return found.data if found is not None else None
