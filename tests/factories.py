"""Factories: each returns a callable that makes a committed record with sensible
defaults, every field overridable (in the manner of Indico's factory fixtures)."""
from __future__ import annotations

import itertools
from functools import lru_cache

from sqlalchemy import select

from ima_portal.auth.models import User
from ima_portal.auth.services import hash_password
from ima_portal.chapters.models import Chapter, Region
from ima_portal.domain.roles import Role


@lru_cache(maxsize=8)
def _hash(password: str) -> str:
    return hash_password(password)


class Factories:
    PASSWORD = "correct horse battery staple"
    _seq = itertools.count(1)

    def __init__(self, db):
        self.db = db

    def region(self, code: str = "north-america") -> Region:
        return self.db.session.scalar(select(Region).where(Region.code == code))

    def chapter(self, code: str | None = None, *, name: str | None = None,
                country: str = "United States", region: str = "north-america") -> Chapter:
        n = next(self._seq)
        code = code or f"IMA-T{n}"
        chapter = Chapter(code=code, name=name or f"Test chapter {code}", country=country,
                          region=self.region(region))
        self.db.session.add(chapter)
        self.db.session.commit()
        return chapter

    def user(self, role: str | Role = Role.SECRETARIAT, *, chapter: Chapter | None = None,
             email: str | None = None, name: str | None = None, password: str | None = None,
             active: bool = True, must_change_password: bool = False,
             timezone: str = "UTC") -> User:
        role = Role(role)
        n = next(self._seq)
        if role is Role.SECRETARIAT and chapter is None:
            chapter = self.chapter()
        user = User(email=email or f"{role.value}{n}@example.org", name=name or f"Person {n}",
                    role=role, chapter=chapter if role is Role.SECRETARIAT else None,
                    password_hash=_hash(password or self.PASSWORD), active=active,
                    must_change_password=must_change_password, timezone=timezone)
        self.db.session.add(user)
        self.db.session.commit()
        return user
