"""Pictures embedded in documents as `data:` URLs: only raster formats whose bytes are
what their type says (checked by the statement body's cleaner and by the PDF fetcher)."""
from __future__ import annotations

import base64
import binascii
import re

# The first bytes of each raster format an embedded picture may have.
RASTER_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
_DATA_URL = re.compile(r"^data:(image/[a-z]+);base64,([A-Za-z0-9+/=\s]+)$", re.I)


def raster_data_url(value: str) -> bool:
    """Is `value` a base64 data: URL of a PNG, JPEG, GIF or WebP picture whose bytes are
    what it says? (A "PNG" that is really SVG could carry text that a browser would not
    show but a PDF renderer would.)"""
    match = _DATA_URL.match(value.strip())
    if not match:
        return False
    kind = match.group(1).lower()
    try:
        head = base64.b64decode(re.sub(r"\s", "", match.group(2))[:64], validate=True)
    except (binascii.Error, ValueError):
        return False
    signatures = RASTER_SIGNATURES.get(kind, ())
    if kind == "image/webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return any(head.startswith(sig) for sig in signatures)
