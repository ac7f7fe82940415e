"""Passwords and e-mail addresses as the portal keeps them: hashing, checking, made-up
temporary passwords. No rows are read or written here."""
from __future__ import annotations

import secrets
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

PASSWORD_METHOD = "scrypt"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


def check_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def verify_password(user, password: str) -> bool:
    return check_password(user.password_hash, password)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    # Checked against when the e-mail is unknown, so both cases take the same time.
    return hash_password(secrets.token_hex(16))


def generate_password() -> str:
    """A temporary password a person can type: four groups of letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))
