"""The public archive's reads: statements the chair signed off and that were published,
each shown as the signed revision of its latest publication. Nothing else is read here:
drafts, comments, other revisions and chapters' records never reach the archive. No
writes, no `current_user` (the archive has no signed-in reader)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, extract, func, or_, select

from ..domain.statements import LANGUAGES, State
from ..extensions import db
from .models import Publication, Statement, StatementRevision

# An index page; a feed's entries.
PAGE_SIZE = 20
FEED_SIZE = 50


@dataclass(frozen=True)
class Published:
    """A statement as the archive shows it: the statement, its latest publication (the
    revision and sign-off shown) and whether it was withdrawn since."""
    statement: Statement
    publication: Publication

    @property
    def revision(self) -> StatementRevision:
        return self.publication.revision

    @property
    def withdrawn(self) -> bool:
        return self.statement.state is State.WITHDRAWN


def _latest() -> Select:
    """The latest publication of each statement ever published."""
    return (select(func.max(Publication.id).label("id"))
            .group_by(Publication.statement_id).subquery())


def _shown(language: str | None, words: str = "", year: int | None = None) -> Select:
    latest = _latest()
    stmt = (select(Statement, Publication)
            .join(Publication, Publication.statement_id == Statement.id)
            .join(latest, latest.c.id == Publication.id)
            .join(StatementRevision, StatementRevision.id == Publication.revision_id)
            .where(Statement.state != State.WITHDRAWN))
    if language in LANGUAGES:
        stmt = stmt.where(Statement.language == language)
    for word in words.split()[:8]:
        pattern = f"%{word.lower()}%"
        stmt = stmt.where(or_(func.lower(StatementRevision.headline).like(pattern),
                              func.lower(StatementRevision.subheadlines).like(pattern),
                              func.lower(StatementRevision.body).like(pattern),
                              func.lower(StatementRevision.hashtags).like(pattern)))
    if year is not None:
        stmt = stmt.where(extract("year", StatementRevision.issued_on) == year)
    return stmt


def index(language: str | None, *, words: str = "", year: int | None = None,
          page: int = 1) -> tuple[list[Published], int]:
    """One page of the archive, newest publication first, and how many match in all."""
    stmt = _shown(language, words, year)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.execute(stmt.order_by(Publication.published_at.desc(),
                                            Publication.id.desc())
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return [Published(s, p) for s, p in rows], total


def years(language: str | None) -> list[int]:
    """The years the archive's statements (of `language`, or all) are dated, newest first."""
    year = extract("year", StatementRevision.issued_on)
    stmt = _shown(language).with_only_columns(year).distinct()
    return sorted((int(y) for y in db.session.scalars(stmt) if y is not None), reverse=True)


def feed(language: str | None) -> list[Published]:
    rows = db.session.execute(_shown(language).order_by(Publication.published_at.desc(),
                                                        Publication.id.desc())
                              .limit(FEED_SIZE)).all()
    return [Published(s, p) for s, p in rows]


def last_change(language: str | None) -> datetime | None:
    """When the archive (of `language`, or all) last changed: a publication, or the
    withdrawal of a published statement (its feed must then drop the entry)."""
    published = select(func.max(Publication.published_at))
    withdrawn = (select(func.max(Statement.state_changed_at))
                 .where(Statement.state == State.WITHDRAWN)
                 .where(Statement.id.in_(select(Publication.statement_id))))
    if language in LANGUAGES:
        published = published.join(Statement, Statement.id == Publication.statement_id) \
            .where(Statement.language == language)
        withdrawn = withdrawn.where(Statement.language == language)
    moments = [m for m in (db.session.scalar(published), db.session.scalar(withdrawn)) if m]
    return max(moments) if moments else None


def published(statement_id: int) -> Published | None:
    """The statement as the archive shows it (withdrawn ones too, to say so), or None
    when it was never published."""
    row = db.session.execute(
        select(Statement, Publication)
        .join(Publication, Publication.statement_id == Statement.id)
        .where(Statement.id == statement_id)
        .order_by(Publication.id.desc()).limit(1)).first()
    return Published(*row) if row else None


def published_siblings(statement: Statement) -> list[Statement]:
    """The other language versions of `statement` that are in the archive (published and
    not withdrawn)."""
    original_id = statement.original_id or statement.id
    family = select(Statement.id).where(or_(Statement.id == original_id,
                                            Statement.original_id == original_id))
    return list(db.session.scalars(
        select(Statement).where(Statement.id.in_(family), Statement.id != statement.id,
                                Statement.state != State.WITHDRAWN,
                                Statement.id.in_(select(Publication.statement_id)))
        .order_by(Statement.language)))
