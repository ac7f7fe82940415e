"""Statements: the reads, limited to what the given user may see (the rules come from
`domain.statements`). No writes, no `current_user`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from ..auth.models import LoginFailure, User
from ..chapters.models import Chapter
from ..chapters.queries import alliance
from ..domain.common import whole_number
from ..domain.roles import Role
from ..domain.statements import (
    LANGUAGES,
    Action,
    Actor,
    State,
    is_verification_code,
    may_see,
    may_see_history,
    normalize_code,
)
from ..extensions import db
from .models import SignOff, Statement, StatementComment, StatementRevision


def actor_of(user: User) -> Actor:
    """The user as the rules see them: a role and a chapter."""
    return Actor(user.role, user.chapter_id)


# ---- what a user may see ----------------------------------------------------------------

def visible(stmt: Select, user: User) -> Select:
    """`stmt` (over Statement) limited to the statements `user` may see (see
    `domain.statements.may_see`, which this mirrors in SQL)."""
    if user.role in (Role.ADMIN, Role.CHAIR):
        return stmt
    return stmt.where(or_(
        Statement.issuer_chapter_id == user.chapter_id,
        and_(Statement.issuer_chapter_id.is_(None),
             Statement.state.in_([State.APPROVED, State.PUBLISHED]))))


def get_visible(user: User, statement_id: int, *, history: bool = False) -> Statement | None:
    """The statement if `user` may see it. With `history`, only for those who may read
    its revisions, comments and comparisons (see `domain.statements.may_see_history`)."""
    statement = db.session.get(Statement, statement_id)
    if statement is None or not may_see(actor_of(user), statement.issuer_chapter_id,
                                        statement.state):
        return None
    if history and not may_see_history(actor_of(user), statement.issuer_chapter_id):
        return None
    return statement


@dataclass
class Filters:
    q: str = ""
    state: str = ""
    issuer: str = ""  # "", "alliance", or a chapter id
    language: str = ""
    occasion: str = ""


def list_query(user: User, filters: Filters) -> Select:
    """Statements (with their current revision) the user may see, newest change first."""
    rev = aliased(StatementRevision)
    stmt = (select(Statement).join(rev, Statement.current_revision_id == rev.id)
            .order_by(Statement.state_changed_at.desc(), Statement.id.desc()))
    stmt = visible(stmt, user)
    if filters.q.strip():
        like = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(rev.headline).like(like),
                              func.lower(rev.subheadlines).like(like),
                              func.lower(rev.body).like(like),
                              func.lower(rev.hashtags).like(like)))
    if filters.state in State.__members__.values():
        stmt = stmt.where(Statement.state == State(filters.state))
    if filters.issuer == "alliance":
        stmt = stmt.where(Statement.issuer_chapter_id.is_(None))
    elif whole_number(filters.issuer) is not None:
        stmt = stmt.where(Statement.issuer_chapter_id == whole_number(filters.issuer))
    if filters.language in LANGUAGES:
        stmt = stmt.where(Statement.language == filters.language)
    if filters.occasion:
        stmt = stmt.where(rev.occasion == filters.occasion)
    return stmt


def state_counts(user: User) -> dict[State, int]:
    """How many statements the user may see are in each state (for the home page)."""
    counts = dict.fromkeys(State, 0)
    stmt = visible(select(Statement.state, func.count()).group_by(Statement.state), user)
    for state, count in db.session.execute(stmt):
        counts[State(state)] = count
    return counts


def queue() -> list[Statement]:
    """The chair's queue: submitted statements, the longest waiting first."""
    return list(db.session.scalars(
        select(Statement).where(Statement.state == State.SUBMITTED)
        .order_by(Statement.state_changed_at, Statement.id)))


def queue_size() -> int:
    return db.session.scalar(select(func.count()).where(
        Statement.state == State.SUBMITTED)) or 0


def chairs() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == Role.CHAIR, User.active)))


# ---- content ---------------------------------------------------------------------------

def issuer_name(chapter: Chapter | None) -> str:
    return chapter.name if chapter is not None else alliance().name


def default_values(chapter: Chapter | None) -> dict:
    """A new statement's fields: the reference line the global secretariat set, today's
    date, the issuer's city for the date line."""
    settings = alliance()
    return {"partners": "", "headline": "", "subheadlines": "", "occasion": "other",
            "dateline_place": chapter.country if chapter else settings.secretariat_city,
            "issued_on": date.today(), "body": "", "slogans": "", "hashtags": "",
            "reference_name": settings.reference_name,
            "reference_title": settings.reference_title}


def next_revision_number(statement: Statement) -> int:
    return (db.session.scalar(select(func.max(StatementRevision.number)).where(
        StatementRevision.statement_id == statement.id)) or 0) + 1


def kept_aside(statement: Statement, author: User, content_sha256: str
               ) -> StatementRevision | None:
    """The revision set aside earlier with this very text by `author`, if any."""
    return db.session.scalar(select(StatementRevision).where(
        StatementRevision.statement_id == statement.id, StatementRevision.conflict,
        StatementRevision.author_id == author.id,
        StatementRevision.content_sha256 == content_sha256))


def out_of_date(translation: Statement) -> bool:
    """Has the original's text changed since the translation was made from it?"""
    original = translation.original
    source = translation.current.source_revision if translation.current else None
    if original is None or original.current is None:
        return False
    return source is None or source.content_sha256 != original.current.content_sha256


# ---- revisions and sign-offs ---------------------------------------------------------------

def revision_of(statement: Statement, revision_id: int) -> StatementRevision | None:
    """The revision `revision_id` if it belongs to `statement`."""
    rev = db.session.get(StatementRevision, revision_id)
    return rev if rev is not None and rev.statement_id == statement.id else None


def revision(statement: Statement, number: int) -> StatementRevision | None:
    return db.session.scalar(select(StatementRevision).where(
        StatementRevision.statement_id == statement.id, StatementRevision.number == number))


def last_approved_revision(statement: Statement) -> StatementRevision | None:
    return db.session.scalar(
        select(StatementRevision).join(SignOff, SignOff.revision_id == StatementRevision.id)
        .where(StatementRevision.statement_id == statement.id)
        .order_by(StatementRevision.number.desc()).limit(1))


def last_sent_back_revision(statement: Statement) -> StatementRevision | None:
    """The revision the chair last asked changes of."""
    comment = db.session.scalar(
        select(StatementComment).where(
            StatementComment.statement_id == statement.id,
            StatementComment.kind == Action.REQUEST_CHANGES.value)
        .order_by(StatementComment.id.desc()).limit(1))
    return comment.revision if comment else None


def last_sent_back_comment(statement: Statement) -> StatementComment | None:
    """The chair's last "Request changes" comment (with the revision it was made on)."""
    return db.session.scalar(
        select(StatementComment).where(
            StatementComment.statement_id == statement.id,
            StatementComment.kind == Action.REQUEST_CHANGES.value)
        .order_by(StatementComment.id.desc()).limit(1))


def sign_off_of(rev: StatementRevision | None) -> SignOff | None:
    if rev is None:
        return None
    return db.session.scalar(select(SignOff).where(SignOff.revision_id == rev.id))


def signed_off(statement: Statement) -> SignOff | None:
    """The sign-off of the statement's current text, if it is approved or published (what
    a printed copy carries)."""
    if statement.state not in (State.APPROVED, State.PUBLISHED):
        return None
    sign_off = sign_off_of(statement.current)
    if sign_off is None or sign_off.content_sha256 != statement.current.content_sha256:
        return None
    return sign_off


def sign_off_by_code(code: str) -> SignOff | None:
    """The sign-off a verification code (as typed) names."""
    code = normalize_code(code)
    if not is_verification_code(code):
        return None
    return db.session.scalar(select(SignOff).where(SignOff.verification_code == code))


# ---- /verify: codes that matched nothing, per address (its throttle) ---------------------------

def verify_miss_key(address: str) -> str:
    return f"verify:{address}"[:254]


def verify_misses(address: str, since: datetime) -> list[datetime]:
    """When this address asked /verify for a code that matched nothing, since `since`."""
    return list(db.session.scalars(select(LoginFailure.at).where(
        LoginFailure.kind == "address", LoginFailure.key == verify_miss_key(address),
        LoginFailure.at > since)))
