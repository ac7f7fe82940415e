"""Two-factor sign-in: who must use it, and the shape of recovery codes.

The chair signs statements off and the global secretariat keeps accounts, chapters and
rules: their accounts must have a second factor (a time-based one-time code, TOTP, from
an authenticator app) where the portal is configured to require it (production); every
other account may add one. Ten single-use recovery codes stand in for a lost phone.
"""
from __future__ import annotations

import secrets

from .roles import Role

RECOVERY_CODES = 10
# Ten letters and digits without look-alikes (no 0/O, 1/I/L), shown as two groups of five.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def must_use_second_factor(role: Role, required_roles: frozenset[str]) -> bool:
    """Must an account of `role` have a second factor before it reaches any page?"""
    return role.value in required_roles


def required_roles(setting: str) -> frozenset[str]:
    """The roles named in a setting such as "chair,admin" (unknown names refused)."""
    names = frozenset(n.strip().lower() for n in setting.split(",") if n.strip())
    unknown = names - {r.value for r in Role}
    if unknown:
        raise ValueError(f"unknown roles: {', '.join(sorted(unknown))}")
    return names


def new_recovery_code() -> str:
    """A code such as 7KQ2M-X9TRB (50 bits)."""
    letters = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


def normalize_code(typed: str) -> str:
    """What a person typed, as it is compared: spaces and dashes left out, capitals."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def looks_like_totp(typed: str) -> bool:
    digits = "".join((typed or "").split())
    return len(digits) == 6 and digits.isascii() and digits.isdigit()


def step_is_new(step: int, last_used_step: int | None) -> bool:
    """A one-time code is used once: a code of a time step already used (or older) is
    refused, so a code seen over someone's shoulder cannot be replayed."""
    return last_used_step is None or step > last_used_step
