"""The seven regions the alliance is present in."""
from __future__ import annotations

from .common import N_

# (code, name). The codes are stable identifiers kept in the database.
REGIONS: tuple[tuple[str, str], ...] = (
    ("asia", N_("Asia")),
    ("oceania", N_("Oceania")),
    ("latin-america", N_("Latin America")),
    ("north-america", N_("North America")),
    ("africa", N_("Africa")),
    ("middle-east", N_("Middle East")),
    ("europe", N_("Europe")),
)

REGION_CODES = frozenset(code for code, _ in REGIONS)
