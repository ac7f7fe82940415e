"""What makes a password acceptable. Length is what matters (NIST SP 800-63B): at least
12 characters, not the user's own e-mail or name, not a handful of repeated characters."""
from __future__ import annotations

from .common import N_

MIN_LENGTH = 12
MAX_LENGTH = 256


def problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Sentences a user can read, one per problem; empty when the password is acceptable."""
    found: list[str] = []
    if len(password) < MIN_LENGTH:
        found.append(N_("Use at least 12 characters; a few words together are easy to "
                        "remember."))
    if len(password) > MAX_LENGTH:
        found.append(N_("Use at most 256 characters."))
    lowered = password.lower()
    if email and lowered in {email.lower(), email.lower().split("@")[0]}:
        found.append(N_("Do not use your e-mail address as your password."))
    if name and lowered.replace(" ", "") == name.lower().replace(" ", ""):
        found.append(N_("Do not use your name as your password."))
    if password and len(set(password)) < 4:
        found.append(N_("Use more than a few different characters."))
    return found
