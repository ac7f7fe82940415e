"""The interface's languages, each named in itself, and which one a request gets."""
from __future__ import annotations

# Named in their own language: a person looks for the name they can read.
NAMES = {"en": "English", "id": "Bahasa Indonesia", "es": "Español", "fr": "Français"}


def choose(available: list[str], *, saved: str | None, chosen: str | None,
           browser: str | None) -> str:
    """The account's saved choice, then the choice made in this browser (the switcher,
    before signing in), then the browser's Accept-Language, then English."""
    for candidate in (saved, chosen, browser):
        if candidate and candidate in available:
            return candidate
    return "en" if "en" in available else available[0]
