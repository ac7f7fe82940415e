"""Statements: queries limited to what the user may see, and the changes (each flushed
with its audit entry; the route commits). The rules come from `domain.statements`."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import aliased

from .. import audit, transaction
from ..auth.models import User
from ..chapters.models import Chapter
from ..chapters.queries import alliance
from ..domain.common import N_, Decision
from ..domain.roles import Role
from ..domain.statements import (
    LANGUAGES,
    Action,
    Actor,
    State,
    answers_for,
    content_hash,
    decide,
    edit_voids_sign_off,
    lines,
    may_see,
    next_state,
    parse_hashtags,
)
from ..extensions import db
from . import notifications
from .models import SignOff, Statement, StatementComment, StatementRevision

# The text fields a revision keeps, as the editor sends them.
TEXT_FIELDS = ("partners", "headline", "subheadlines", "occasion", "dateline_place", "body",
               "slogans", "hashtags", "reference_name", "reference_title")


def actor_of(user: User) -> Actor:
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


def may_see_history(user: User, statement: Statement) -> bool:
    """Revisions, comments and comparisons: for the statement's authors and reviewers."""
    return user.role in (Role.ADMIN, Role.CHAIR) or answers_for(
        actor_of(user), statement.issuer_chapter_id)


def get_visible(user: User, statement_id: int) -> Statement | None:
    statement = db.session.get(Statement, statement_id)
    if statement is None or not may_see(actor_of(user), statement.issuer_chapter_id,
                                        statement.state):
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
    elif filters.issuer.isdigit():
        stmt = stmt.where(Statement.issuer_chapter_id == int(filters.issuer))
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


# ---- content -------------------------------------------------------------------------------

def issuer_name(chapter: Chapter | None) -> str:
    return chapter.name if chapter is not None else alliance().name


def normalized(values: dict) -> dict:
    """The editor's values as a revision keeps them: one item a line, hashtags with '#'
    and one space between, no trailing blanks."""
    out = {name: (values.get(name) or "").strip() for name in TEXT_FIELDS}
    for name in ("partners", "subheadlines", "slogans"):
        out[name] = "\n".join(lines(out[name]))
    tags, _problems = parse_hashtags(out["hashtags"])
    out["hashtags"] = " ".join(tags)
    out["body"] = out["body"].replace("\r\n", "\n")
    out["issued_on"] = values.get("issued_on")
    return out


def content_fields(issuer: str, language: str, values: dict) -> dict:
    """The fields a sign-off binds (see `domain.statements.CONTENT_FIELDS`)."""
    return {"issuer": issuer, "language": language,
            "partners": lines(values["partners"]), "headline": values["headline"],
            "subheadlines": lines(values["subheadlines"]), "occasion": values["occasion"],
            "dateline_place": values["dateline_place"], "issued_on": values["issued_on"],
            "body": values["body"], "slogans": lines(values["slogans"]),
            "hashtags": values["hashtags"].split(), "reference_name": values["reference_name"],
            "reference_title": values["reference_title"]}


def revision_values(rev: StatementRevision) -> dict:
    values = {name: getattr(rev, name) for name in TEXT_FIELDS}
    values["issued_on"] = rev.issued_on
    return values


def revision_content(rev: StatementRevision) -> dict:
    return content_fields(rev.issuer_name, rev.language, revision_values(rev))


def default_values(chapter: Chapter | None) -> dict:
    """A new statement's fields: the reference line the global secretariat set, today's
    date, the issuer's city for the date line."""
    settings = alliance()
    return {"partners": "", "headline": "", "subheadlines": "", "occasion": "other",
            "dateline_place": chapter.country if chapter else settings.secretariat_city,
            "issued_on": date.today(), "body": "", "slogans": "", "hashtags": "",
            "reference_name": settings.reference_name,
            "reference_title": settings.reference_title}


def _new_revision(statement: Statement, author: User, values: dict, *, base_id: int | None,
                  source_id: int | None, conflict: bool = False) -> StatementRevision:
    values = normalized(values)
    number = (db.session.scalar(select(func.max(StatementRevision.number)).where(
        StatementRevision.statement_id == statement.id)) or 0) + 1
    issuer = issuer_name(statement.issuer)
    rev = StatementRevision(
        statement_id=statement.id, number=number, author_id=author.id, conflict=conflict,
        base_revision_id=base_id, source_revision_id=source_id, issuer_name=issuer,
        language=statement.language,
        content_sha256=content_hash(content_fields(issuer, statement.language, values)),
        **values)
    db.session.add(rev)
    db.session.flush()
    return rev


# ---- changes ---------------------------------------------------------------------------------

def may_create(user: User, issuer_chapter_id: int | None) -> Decision:
    if answers_for(actor_of(user), issuer_chapter_id):
        return Decision.allow()
    if user.role is Role.CHAIR:
        return Decision.refuse(N_("The chair reviews statements; their authors draft them."))
    return Decision.refuse(N_("A chapter secretariat drafts its own chapter's statements; the "
                              "global secretariat drafts the alliance's."))


def create_statement(user: User, *, issuer_chapter_id: int | None, language: str,
                     values: dict) -> Statement:
    if not may_create(user, issuer_chapter_id):
        raise PermissionError("may not draft for this issuer")
    statement = Statement(issuer_chapter_id=issuer_chapter_id, language=language,
                          state=State.DRAFT, created_by_id=user.id,
                          state_changed_by_id=user.id)
    db.session.add(statement)
    db.session.flush()
    rev = _new_revision(statement, user, values, base_id=None, source_id=None)
    statement.current = rev
    db.session.flush()
    audit.record(user, "statement.create", statement,
                 f"Drafted statement “{rev.headline}” ({LANGUAGES[language]})")
    return statement


@dataclass
class SaveResult:
    decision: Decision
    revision: StatementRevision | None = None
    conflict: bool = False
    unchanged: bool = False
    voided_sign_off: SignOff | None = None
    theirs: StatementRevision | None = field(default=None)

    @property
    def saved(self) -> bool:
        return self.decision.ok and not self.conflict and not self.unchanged


def lock(statement: Statement) -> None:
    """Takes the statement's row for this transaction and reloads it, so that every
    decision below is made on the latest committed state and no other request changes the
    statement until this one commits. PostgreSQL locks the row (a concurrent request waits,
    then sees this one's result); SQLite takes its database write lock."""
    db.session.execute(update(Statement).where(Statement.id == statement.id)
                       .values(state=Statement.state)
                       .execution_options(synchronize_session=False))
    db.session.refresh(statement)


def save(user: User, statement: Statement, values: dict, *, base_revision_id: int | None,
         source_revision_id: int | None = None) -> SaveResult:
    """Keeps the editor's text as a new revision, unless:
    - the rules refuse (a submitted or withdrawn statement is read-only): the text is kept
      aside as a revision that is not applied, so that nothing typed is lost;
    - someone saved since the editor opened `base_revision_id`: the text is kept aside the
      same way and the current text is left alone (`conflict`);
    - nothing changed (`unchanged`), whatever revision the editor started from.
    Editing an approved or published statement makes it a draft again; its sign-off stays
    with the revision it signed. `source_revision_id` (a translation): the revision of the
    original the translator has brought the translation up to date with."""
    lock(statement)
    actor = actor_of(user)
    current = statement.current
    if base_revision_id is not None and revision_of(statement, base_revision_id) is None:
        base_revision_id = None  # a hand-made id: treat the editor as out of date
    source_id = current.source_revision_id if current else None
    if source_revision_id is not None and statement.original is not None and \
            revision_of(statement.original, source_revision_id) is not None:
        source_id = source_revision_id
    issuer = issuer_name(statement.issuer)
    new_hash = content_hash(content_fields(issuer, statement.language, normalized(values)))
    if current is not None and new_hash == current.content_sha256 and \
            source_id == current.source_revision_id:
        return SaveResult(Decision.allow(), revision=current, unchanged=True)
    decision = decide(Action.EDIT, statement.state, actor, statement.issuer_chapter_id)
    if not decision:
        kept = _kept_aside(statement, user, values, base_revision_id, source_id,
                           reason="the statement is read-only now") \
            if answers_for(actor, statement.issuer_chapter_id) else None
        return SaveResult(decision, revision=kept)
    if base_revision_id != statement.current_revision_id:
        rev = _kept_aside(statement, user, values, base_revision_id, source_id,
                          reason="someone saved since")
        return SaveResult(Decision.refuse(N_("Someone else saved this statement since you "
                                             "opened it.")),
                          revision=rev, conflict=True, theirs=current)
    rev = _new_revision(statement, user, values, base_id=base_revision_id, source_id=source_id)
    statement.current = rev
    voided = None
    if statement.state is not State.DRAFT:
        before = statement.state
        if edit_voids_sign_off(before):
            voided = sign_off_of(current)
        _set_state(statement, user, next_state(Action.EDIT, before))
        audit.record(user, "statement.edit", statement,
                     f"Edited the {before.value.replace('_', ' ')} statement: revision "
                     f"{rev.number} is a draft" + (
                         f"; the sign-off of revision {current.number} stays with that text"
                         if voided else ""),
                     revision=rev.number, previous_state=before.value)
    else:
        audit.record(user, "statement.save", statement, f"Saved revision {rev.number}",
                     revision=rev.number)
    db.session.flush()
    return SaveResult(decision, revision=rev, voided_sign_off=voided)


def revision_of(statement: Statement, revision_id: int) -> StatementRevision | None:
    """The revision `revision_id` if it belongs to `statement`."""
    rev = db.session.get(StatementRevision, revision_id)
    return rev if rev is not None and rev.statement_id == statement.id else None


def _kept_aside(statement: Statement, user: User, values: dict, base_id: int | None,
                source_id: int | None, *, reason: str) -> StatementRevision:
    """Text that could not be applied, kept as a revision that is not the current text
    (once per text: an autosave that repeats the same text adds nothing)."""
    normal = normalized(values)
    issuer = issuer_name(statement.issuer)
    digest = content_hash(content_fields(issuer, statement.language, normal))
    existing = db.session.scalar(select(StatementRevision).where(
        StatementRevision.statement_id == statement.id, StatementRevision.conflict,
        StatementRevision.author_id == user.id,
        StatementRevision.content_sha256 == digest))
    if existing is not None:
        return existing
    rev = _new_revision(statement, user, values, base_id=base_id, source_id=source_id,
                        conflict=True)
    audit.record(user, "statement.conflict", statement,
                 f"Save refused ({reason}); the text is kept as revision {rev.number}",
                 revision=rev.number)
    transaction.keep_despite_refusal()  # the save is refused; what was typed is kept
    return rev


def _set_state(statement: Statement, user: User, state: State) -> None:
    from ..db_types import utcnow
    statement.state = state
    statement.state_changed_at = utcnow()
    statement.state_changed_by_id = user.id


def sign_off_of(rev: StatementRevision | None) -> SignOff | None:
    if rev is None:
        return None
    return db.session.scalar(select(SignOff).where(SignOff.revision_id == rev.id))


def transition(user: User, statement: Statement, action: Action, *, text: str = "",
               revision_id: int | None = None) -> Decision:
    """Takes `action` (not EDIT: see `save`) if the rules allow it, on the statement as
    last committed (see `lock`). Approving binds the sign-off to the revision the chair
    read (`revision_id`), which must still be the current one; submitting, when given the
    revision the author saw, too. Only a signed text is published."""
    lock(statement)
    decision = decide(action, statement.state, actor_of(user), statement.issuer_chapter_id,
                      text=text)
    if not decision:
        return decision
    current = statement.current
    if action is Action.SUBMIT and revision_id is not None and \
            revision_id != statement.current_revision_id:
        return Decision.refuse(N_("The text changed since you opened the page: read the "
                                  "current revision before submitting it."))
    if action is Action.PUBLISH:
        signed = sign_off_of(current)
        if signed is None or signed.content_sha256 != current.content_sha256:
            return Decision.refuse(N_("Only the text the chair signed off can be published."))
    if action is Action.APPROVE:
        if revision_id != statement.current_revision_id:
            return Decision.refuse(N_("The text changed since you opened it: read the "
                                      "current revision before signing it off."))
        digest = content_hash(revision_content(current))
        if digest != current.content_sha256:
            raise RuntimeError(f"revision {current.id} does not match its stored hash")
        from .printing import new_verification_code
        db.session.add(SignOff(statement_id=statement.id, revision_id=current.id,
                               chair_id=user.id, content_sha256=digest,
                               verification_code=new_verification_code()))
    before = statement.state
    _set_state(statement, user, next_state(action, before))
    if action is Action.SUBMIT:
        statement.submitted_by_id = user.id
    if action is Action.WITHDRAW:
        statement.withdrawn_reason = text.strip()
    if text.strip():
        db.session.add(StatementComment(statement_id=statement.id, revision_id=current.id,
                                        author_id=user.id, kind=action.value,
                                        body=text.strip()))
    db.session.flush()
    audit.record(user, f"statement.{action.value}", statement,
                 f"{action.value.replace('_', ' ').capitalize()}: “{current.headline}” "
                 f"(revision {current.number}, {before.value.replace('_', ' ')} → "
                 f"{statement.state.value.replace('_', ' ')})",
                 revision=current.number, sha256=current.content_sha256,
                 **({"text": text.strip()} if text.strip() else {}))
    notifications.after_transition(statement, action, user, text.strip())
    return decision


def add_comment(user: User, statement: Statement, body: str) -> StatementComment:
    comment = StatementComment(statement_id=statement.id,
                               revision_id=statement.current_revision_id, author_id=user.id,
                               kind="comment", body=body.strip())
    db.session.add(comment)
    db.session.flush()
    audit.record(user, "statement.comment", statement,
                 f"Commented on “{statement.headline}”")
    return comment


# ---- translations -------------------------------------------------------------------------

def create_translation(user: User, original: Statement, language: str) -> Statement | Decision:
    """A translation of `original` into `language`, starting from the original's text (to
    be translated in the editor). One per language per original (a database rule too)."""
    if original.original_id is not None:
        return Decision.refuse(N_("Translate the original statement, not a translation."))
    if not may_create(user, original.issuer_chapter_id):
        return may_create(user, original.issuer_chapter_id)
    if language not in LANGUAGES or language == original.language:
        return Decision.refuse(N_("Choose a language other than the original's."))
    if any(t.language == language for t in original.translations):
        return Decision.refuse(N_("This statement already has a translation in %(language)s."),
                               language=LANGUAGES[language])
    statement = Statement(issuer_chapter_id=original.issuer_chapter_id, language=language,
                          original_id=original.id, state=State.DRAFT, created_by_id=user.id,
                          state_changed_by_id=user.id)
    db.session.add(statement)
    db.session.flush()
    rev = _new_revision(statement, user, revision_values(original.current), base_id=None,
                        source_id=original.current_revision_id)
    statement.current = rev
    db.session.flush()
    audit.record(user, "statement.translate", statement,
                 f"Started the {LANGUAGES[language]} translation of “{original.headline}”")
    return statement


def out_of_date(translation: Statement) -> bool:
    """Has the original's text changed since the translation was made from it?"""
    original = translation.original
    source = translation.current.source_revision if translation.current else None
    if original is None or original.current is None:
        return False
    return source is None or source.content_sha256 != original.current.content_sha256


# ---- history ----------------------------------------------------------------------------------

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


def revision(statement: Statement, number: int) -> StatementRevision | None:
    return db.session.scalar(select(StatementRevision).where(
        StatementRevision.statement_id == statement.id, StatementRevision.number == number))


def chairs() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == Role.CHAIR, User.active)))


def update_settings(user: User, *, name: str, title: str, paper_size: str) -> None:
    """The reference line new statements start with, and the paper they print on."""
    settings = alliance()
    fields = ("reference_name", "reference_title", "paper_size")
    before = {f: getattr(settings, f) for f in fields}
    settings.reference_name, settings.reference_title = name.strip(), title.strip()
    settings.paper_size = paper_size
    audit.record_changes(user, "alliance.statement_settings", settings,
                         "the statement settings", before,
                         {f: getattr(settings, f) for f in fields})
    db.session.flush()


def sign_off_by_code(code: str) -> SignOff | None:
    from .printing import normalize_code
    code = normalize_code(code)
    if len(code) != 10:
        return None
    return db.session.scalar(select(SignOff).where(SignOff.verification_code == code))
