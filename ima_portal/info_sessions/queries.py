"""Info sessions: reads, scoped for a given user (a chapter secretariat sees its own
chapter's sessions; the chair and the global secretariat every chapter's)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..assembly.models import Assembly
from ..chapters.models import Chapter
from ..domain import info_sessions as rules
from ..domain import throttle
from ..extensions import db
from ..scoping import Actor, scope_of, scoped
from .models import InfoSession, InfoSessionRegistration, SignupAttempt, SignupLink

# Sign-ups are kept a day for the throttle.
ATTEMPT_RETENTION = timedelta(days=1)


@dataclass(frozen=True)
class SessionRow:
    session: InfoSession
    registered: int


def _counts():
    return (select(InfoSessionRegistration.session_id,
                   func.count(InfoSessionRegistration.id).label("n"))
            .group_by(InfoSessionRegistration.session_id).subquery())


def sessions_for(user: Actor, *, since: datetime | None = None) -> list[SessionRow]:
    """The sessions `user` may see (from `since` on, when given), by start, with how many
    registered."""
    counts = _counts()
    stmt = (select(InfoSession, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.session_id == InfoSession.id)
            .order_by(InfoSession.starts_at, InfoSession.id))
    if since is not None:
        stmt = stmt.where(InfoSession.ends_at > since)
    stmt = scoped(stmt, InfoSession.chapter_id, user)
    return [SessionRow(s, n) for s, n in db.session.execute(stmt).unique()]


def session_for(user: Actor, session_id: int) -> InfoSession | None:
    """One session `user` may see, or None (another chapter's answers like a missing one)."""
    session = db.session.get(InfoSession, session_id)
    chapter_id = scope_of(user)
    if session is None or (chapter_id is not None and session.chapter_id != chapter_id):
        return None
    return session


def registrants(session: InfoSession) -> list[InfoSessionRegistration]:
    return list(db.session.scalars(
        select(InfoSessionRegistration).where(InfoSessionRegistration.session_id == session.id)
        .order_by(func.lower(InfoSessionRegistration.name), InfoSessionRegistration.id)))


def registration(reg_id) -> InfoSessionRegistration | None:
    return db.session.get(InfoSessionRegistration, reg_id) if isinstance(reg_id, int) else None


def registered_count(session_id: int) -> int:
    return db.session.scalar(select(func.count(InfoSessionRegistration.id)).where(
        InfoSessionRegistration.session_id == session_id)) or 0


def interpreters(session: InfoSession) -> dict[str, int]:
    return rules.interpreters_needed(r.interpretation for r in registrants(session))


def facts(session: InfoSession) -> rules.SessionFacts:
    return rules.SessionFacts(session.starts_at, session.cancelled, session.capacity,
                              registered_count(session.id), tuple(session.language_codes))


def is_registered(session_id: int, email: str) -> bool:
    return db.session.scalar(select(InfoSessionRegistration.id).where(
        InfoSessionRegistration.session_id == session_id,
        InfoSessionRegistration.email == email)) is not None


# ---- chapters and their sign-up links --------------------------------------------------------

def chapters_for(user: Actor) -> list[Chapter]:
    """The chapters `user` may schedule for (a secretariat: its own)."""
    return list(db.session.scalars(scoped(select(Chapter), Chapter.id, user)
                                   .order_by(Chapter.code)))


def chapter_for(user: Actor, chapter_id: int | None) -> Chapter | None:
    chapter = db.session.get(Chapter, chapter_id) if chapter_id else None
    scope = scope_of(user)
    if chapter is None or (scope is not None and chapter.id != scope):
        return None
    return chapter


def signup_link(chapter_id: int) -> SignupLink | None:
    return db.session.scalar(select(SignupLink).where(SignupLink.chapter_id == chapter_id))


def signup_links(chapter_ids: list[int]) -> dict[int, SignupLink]:
    if not chapter_ids:
        return {}
    return {link.chapter_id: link for link in db.session.scalars(
        select(SignupLink).where(SignupLink.chapter_id.in_(chapter_ids)))}


def link_by_token(token: str) -> SignupLink | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(SignupLink).where(SignupLink.token == token))


def open_sessions(chapter_id: int, now: datetime) -> list[SessionRow]:
    """A chapter's sessions still to come and not cancelled (the public sign-up page)."""
    counts = _counts()
    stmt = (select(InfoSession, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.session_id == InfoSession.id)
            .where(InfoSession.chapter_id == chapter_id, InfoSession.starts_at > now,
                   InfoSession.cancelled_at.is_(None))
            .order_by(InfoSession.starts_at, InfoSession.id))
    return [SessionRow(s, n) for s, n in db.session.execute(stmt).unique()]


def assemblies() -> list[Assembly]:
    return list(db.session.scalars(select(Assembly).order_by(Assembly.number.desc())))


# ---- the sign-up throttle --------------------------------------------------------------------

def _attempts(kind: str, key: str, since: datetime, exclude: tuple[int, ...]) -> list[datetime]:
    stmt = select(SignupAttempt.at).where(SignupAttempt.kind == kind, SignupAttempt.key == key,
                                          SignupAttempt.at > since)
    if exclude:
        stmt = stmt.where(SignupAttempt.id.not_in(exclude))
    return list(db.session.scalars(stmt))


def throttle_state(email: str, address: str, *, now: datetime, window: timedelta,
                   per_email: int, per_address: int, exclude: tuple[int, ...] = ()
                   ) -> throttle.ThrottleDecision:
    since = now - window
    return throttle.combine(
        throttle.decide(_attempts("email", email, since, exclude), now=now, limit=per_email,
                        window=window),
        throttle.decide(_attempts("address", address, since, exclude), now=now,
                        limit=per_address, window=window))
