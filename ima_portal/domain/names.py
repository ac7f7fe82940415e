"""Comparing names as people do: "Migrante Québec" and "MIGRANTE  quebec" are one name."""
from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """Case-, accent- and spacing-insensitive key of a name."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())
