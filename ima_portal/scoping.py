"""Chapter scope of a query, for a given user (no request, no `current_user`: the
command line and the worker call the same queries). A chapter secretariat sees only its
own chapter's records; the chair and the global secretariat see every chapter."""
from __future__ import annotations

from typing import Protocol

from sqlalchemy import Select

from .domain.roles import Role, chapter_scope


class Actor(Protocol):
    role: Role
    chapter_id: int | None


def scope_of(user: Actor) -> int | None:
    """The chapter id `user` is limited to, or None for all chapters."""
    return chapter_scope(user.role, user.chapter_id)


def scoped(stmt: Select, chapter_column, user: Actor) -> Select:
    """`stmt` limited to `user`'s chapter when `user` is a chapter secretariat."""
    chapter_id = scope_of(user)
    return stmt if chapter_id is None else stmt.where(chapter_column == chapter_id)
