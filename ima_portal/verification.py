"""The public `/verify/<code>` page answers for more than one kind of printed document.

The statements area serves the page and answers its own codes (signed statements);
another area that prints verifiable documents (visa letters, certificates) registers a
lookup here when its blueprint is registered. The page asks each lookup in turn for a
code it does not know itself. A foundation: it imports no area (an import-linter
contract), so statements never import letters, nor letters statements."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

EXTENSION = "ima_verification_lookups"


@dataclass(frozen=True)
class Verified:
    """What a lookup found: the template that shows it and that template's context."""
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Lookup = Callable[[str], Verified | None]


def register(app: Flask, lookup: Lookup) -> None:
    """Adds `lookup` (code as typed -> Verified or None) to the ones `app`'s page asks."""
    lookups = app.extensions.setdefault(EXTENSION, [])
    if lookup not in lookups:
        lookups.append(lookup)


def find(code: str) -> Verified | None:
    """The first registered lookup's answer for `code`, or None."""
    for lookup in current_app.extensions.get(EXTENSION, []):
        found = lookup(code)
        if found is not None:
            return found
    return None
