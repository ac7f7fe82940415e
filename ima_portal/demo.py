"""Demo data for a first look at the portal. Everything here is invented.

`seed()` is idempotent: it adds what is missing and changes nothing that exists, except
that the demo accounts' passwords are kept equal to the ones it prints. The passwords are
made up the first time and kept in `instance/demo-logins.json`, never in the code."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from .auth import services as auth_services
from .auth.models import User
from .chapters import services as chapter_services
from .domain.roles import Role
from .extensions import db

CHAPTERS = (
    # code, name, country, region code
    ("IMA-USA", "International Migrants Alliance – USA", "United States", "north-america"),
    ("IMA-Canada", "International Migrants Alliance – Canada", "Canada", "north-america"),
    ("IMA-Mexico", "Alianza Internacional de Migrantes – México", "Mexico", "latin-america"),
    ("IMA-Philippines", "International Migrants Alliance – Philippines", "Philippines", "asia"),
    ("IMA-Australia", "International Migrants Alliance – Australia", "Australia", "oceania"),
    ("IMA-Netherlands", "International Migrants Alliance – Netherlands", "Netherlands", "europe"),
    ("IMA-Kenya", "International Migrants Alliance – Kenya", "Kenya", "africa"),
    ("IMA-Lebanon", "International Migrants Alliance – Lebanon", "Lebanon", "middle-east"),
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    chapter_code: str | None
    timezone: str
    label: str


ACCOUNTS = (
    DemoAccount("secretariat.usa@example.org", "Maria Santos", Role.SECRETARIAT, "IMA-USA",
                "America/New_York", "chapter secretariat, IMA-USA"),
    DemoAccount("secretariat.canada@example.org", "Joel Okafor", Role.SECRETARIAT, "IMA-Canada",
                "America/Toronto", "chapter secretariat, IMA-Canada"),
    DemoAccount("chair@example.org", "Ana Reyes", Role.CHAIR, None, "Asia/Hong_Kong", "chair"),
    DemoAccount("admin@example.org", "Li Wen", Role.ADMIN, None, "Asia/Hong_Kong",
                "global secretariat (admin)"),
)


@dataclass(frozen=True)
class Login:
    email: str
    password: str
    label: str


def _passwords_file() -> Path:
    return Path(current_app.instance_path) / "demo-logins.json"


def _demo_passwords() -> dict[str, str]:
    path = _passwords_file()
    known: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [a.email for a in ACCOUNTS if a.email not in known]
    if missing:
        for email in missing:
            known[email] = auth_services.generate_password()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(known, handle, indent=2)
    return known


def seed(*, if_empty: bool = False) -> list[Login]:
    """Adds the demo (when `if_empty`, only to a database without accounts) and returns
    the demo logins. The caller commits."""
    passwords = _demo_passwords()
    has_accounts = db.session.scalar(select(func.count()).select_from(User)) > 0
    regions = {r.code: r for r in chapter_services.ensure_regions()}
    chapter_services.ensure_alliance()
    if not (if_empty and has_accounts):
        for code, name, country, region in CHAPTERS:
            if chapter_services.by_code(code) is None:
                chapter_services.create_chapter(None, name=name, code=code, country=country,
                                                region=regions[region])
        db.session.flush()
        for account in ACCOUNTS:
            if not auth_services.email_taken(account.email):
                chapter = (chapter_services.by_code(account.chapter_code)
                           if account.chapter_code else None)
                auth_services.create_user(None, email=account.email, name=account.name,
                                          role=account.role, chapter=chapter,
                                          password=passwords[account.email],
                                          timezone=account.timezone, must_change_password=False)
    logins = []
    for account in ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == account.email))
        if user is None:
            continue
        if not auth_services.verify_password(user, passwords[account.email]):
            user.password_hash = auth_services.hash_password(passwords[account.email])
        logins.append(Login(account.email, passwords[account.email], account.label))
    return logins
