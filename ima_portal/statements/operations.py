"""Statements: one function per action, given the acting user. Each asks
`domain.statements` for the decision, changes the rows, audits, queues the mail and
flushes; the request (or the command line) commits."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import update

from .. import audit, transaction
from ..auth.models import LoginFailure, User
from ..chapters.queries import alliance
from ..db_types import utcnow
from ..domain.common import N_, Decision
from ..domain.roles import Role
from ..domain.statements import (
    LANGUAGES,
    Action,
    State,
    answers_for,
    content_hash,
    decide,
    edit_voids_sign_off,
    may_create,
    may_translate_into,
    new_verification_code,
    next_state,
    sign_off_confirmed,
)
from ..extensions import db
from . import notifications, queries
from .content import content_fields, normalized, revision_content, revision_values
from .models import Publication, SignOff, Statement, StatementComment, StatementRevision


def lock(statement: Statement) -> None:
    """Takes the statement's row for this transaction and reloads it, so that every
    decision below is made on the latest committed state and no other request changes the
    statement until this one commits. PostgreSQL locks the row (a concurrent request waits,
    then sees this one's result); SQLite takes its database write lock."""
    db.session.execute(update(Statement).where(Statement.id == statement.id)
                       .values(state=Statement.state)
                       .execution_options(synchronize_session=False))
    db.session.refresh(statement)


def _new_revision(statement: Statement, author: User, values: dict, *, base_id: int | None,
                  source_id: int | None, conflict: bool = False) -> StatementRevision:
    values = normalized(values)
    issuer = queries.issuer_name(statement.issuer)
    rev = StatementRevision(
        statement_id=statement.id, number=queries.next_revision_number(statement),
        author_id=author.id, conflict=conflict, base_revision_id=base_id,
        source_revision_id=source_id, issuer_name=issuer, language=statement.language,
        content_sha256=content_hash(content_fields(issuer, statement.language, values)),
        **values)
    db.session.add(rev)
    db.session.flush()
    return rev


def _set_state(statement: Statement, user: User, state: State) -> None:
    statement.state = state
    statement.state_changed_at = utcnow()
    statement.state_changed_by_id = user.id


# ---- drafting --------------------------------------------------------------------------

def create_statement(actor: User, *, issuer_chapter_id: int | None, language: str,
                     values: dict) -> Statement:
    if not may_create(queries.actor_of(actor), issuer_chapter_id):
        raise PermissionError("may not draft for this issuer")
    statement = Statement(issuer_chapter_id=issuer_chapter_id, language=language,
                          state=State.DRAFT, created_by_id=actor.id,
                          state_changed_by_id=actor.id)
    db.session.add(statement)
    db.session.flush()
    rev = _new_revision(statement, actor, values, base_id=None, source_id=None)
    statement.current = rev
    db.session.flush()
    audit.record(actor, "statement.create", statement,
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


def save(actor: User, statement: Statement, values: dict, *, base_revision_id: int | None,
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
    who = queries.actor_of(actor)
    current = statement.current
    if base_revision_id is not None and \
            queries.revision_of(statement, base_revision_id) is None:
        base_revision_id = None  # a hand-made id: treat the editor as out of date
    source_id = current.source_revision_id if current else None
    if source_revision_id is not None and statement.original is not None and \
            queries.revision_of(statement.original, source_revision_id) is not None:
        source_id = source_revision_id
    issuer = queries.issuer_name(statement.issuer)
    new_hash = content_hash(content_fields(issuer, statement.language, normalized(values)))
    if current is not None and new_hash == current.content_sha256 and \
            source_id == current.source_revision_id:
        return SaveResult(Decision.allow(), revision=current, unchanged=True)
    decision = decide(Action.EDIT, statement.state, who, statement.issuer_chapter_id)
    if not decision:
        kept = _kept_aside(statement, actor, values, base_revision_id, source_id,
                           reason="the statement is read-only now") \
            if answers_for(who, statement.issuer_chapter_id) else None
        return SaveResult(decision, revision=kept)
    if base_revision_id != statement.current_revision_id:
        rev = _kept_aside(statement, actor, values, base_revision_id, source_id,
                          reason="someone saved since")
        return SaveResult(Decision.refuse(N_("Someone else saved this statement since you "
                                             "opened it.")),
                          revision=rev, conflict=True, theirs=current)
    rev = _new_revision(statement, actor, values, base_id=base_revision_id,
                        source_id=source_id)
    statement.current = rev
    voided = None
    if statement.state is not State.DRAFT:
        before = statement.state
        if edit_voids_sign_off(before):
            voided = queries.sign_off_of(current)
        _set_state(statement, actor, next_state(Action.EDIT, before))
        audit.record(actor, "statement.edit", statement,
                     f"Edited the {before.value.replace('_', ' ')} statement: revision "
                     f"{rev.number} is a draft" + (
                         f"; the sign-off of revision {current.number} stays with that text"
                         if voided else ""),
                     revision=rev.number, previous_state=before.value)
    else:
        audit.record(actor, "statement.save", statement, f"Saved revision {rev.number}",
                     revision=rev.number)
    db.session.flush()
    return SaveResult(decision, revision=rev, voided_sign_off=voided)


def _kept_aside(statement: Statement, user: User, values: dict, base_id: int | None,
                source_id: int | None, *, reason: str) -> StatementRevision:
    """Text that could not be applied, kept as a revision that is not the current text
    (once per text: an autosave that repeats the same text adds nothing)."""
    issuer = queries.issuer_name(statement.issuer)
    digest = content_hash(content_fields(issuer, statement.language, normalized(values)))
    existing = queries.kept_aside(statement, user, digest)
    if existing is not None:
        return existing
    rev = _new_revision(statement, user, values, base_id=base_id, source_id=source_id,
                        conflict=True)
    audit.record(user, "statement.conflict", statement,
                 f"Save refused ({reason}); the text is kept as revision {rev.number}",
                 revision=rev.number)
    transaction.keep_despite_refusal()  # the save is refused; what was typed is kept
    return rev


# ---- the workflow ----------------------------------------------------------------------------

def submit(actor: User, statement: Statement, *, text: str = "",
           revision_id: int | None = None) -> Decision:
    """To the chair (with a note, if given). Given the revision the author saw, only if it
    is still the current one."""
    return _transition(actor, statement, Action.SUBMIT, text=text, revision_id=revision_id)


def approve(actor: User, statement: Statement, *, revision_id: int | None,
            text: str = "", content_sha256: str | None = None) -> Decision:
    """The chair signs off the revision they read (`revision_id`), which must still be the
    current one. From the portal's pages, `content_sha256` is the hash the confirmation
    showed (empty: no confirmation was given, refused); it must still be the current
    text's (`domain.statements.sign_off_confirmed`). None: a caller that is not a page
    (the demo data, the tests' factories) signs the revision it names."""
    return _transition(actor, statement, Action.APPROVE, text=text, revision_id=revision_id,
                       content_sha256=content_sha256)


def request_changes(actor: User, statement: Statement, *, text: str,
                    revision_id: int | None = None) -> Decision:
    """The chair sends the statement back to its authors with a comment."""
    return _transition(actor, statement, Action.REQUEST_CHANGES, text=text,
                       revision_id=revision_id)


def publish(actor: User, statement: Statement, *, text: str = "",
            revision_id: int | None = None) -> Decision:
    """Marks an approved statement published: only the text the chair signed."""
    return _transition(actor, statement, Action.PUBLISH, text=text, revision_id=revision_id)


def withdraw(actor: User, statement: Statement, *, text: str,
             revision_id: int | None = None) -> Decision:
    """Withdraws the statement, with the reason (kept, read-only)."""
    return _transition(actor, statement, Action.WITHDRAW, text=text, revision_id=revision_id)


_BY_ACTION = {Action.SUBMIT: submit, Action.APPROVE: approve,
              Action.REQUEST_CHANGES: request_changes, Action.PUBLISH: publish,
              Action.WITHDRAW: withdraw}


def transition(actor: User, statement: Statement, action: Action, *, text: str = "",
               revision_id: int | None = None, content_sha256: str | None = None
               ) -> Decision:
    """The operation of `action` (any but EDIT: see `save`), for the one view that takes
    them all. `content_sha256`: approving only, the hash its confirmation showed."""
    if action is Action.APPROVE:
        return approve(actor, statement, text=text, revision_id=revision_id,
                       content_sha256=content_sha256)
    return _BY_ACTION[action](actor, statement, text=text, revision_id=revision_id)


def _transition(actor: User, statement: Statement, action: Action, *, text: str = "",
                revision_id: int | None = None, content_sha256: str | None = None
                ) -> Decision:
    """Takes `action` if the rules allow it, on the statement as last committed (see
    `lock`). Approving binds the sign-off to the revision the chair read (`revision_id`),
    which must still be the current one, and, given the hash its confirmation showed,
    to that very text; submitting, when given the revision the author saw, too. Only a
    signed text is published."""
    lock(statement)
    who = queries.actor_of(actor)
    decision = decide(action, statement.state, who, statement.issuer_chapter_id, text=text)
    if action is Action.APPROVE and content_sha256 is not None and \
            (decision or who.role is Role.CHAIR):
        # A confirmation of another text says so first, even when that text has since
        # been sent back or edited (the state's refusal would not say why).
        current = statement.current
        confirmed = sign_off_confirmed(
            revision_id, content_sha256, current_revision_id=statement.current_revision_id,
            current_sha256=current.content_sha256 if current else "")
        if not confirmed:
            return confirmed
    if not decision:
        return decision
    current = statement.current
    if action is Action.SUBMIT and revision_id is not None and \
            revision_id != statement.current_revision_id:
        return Decision.refuse(N_("The text changed since you opened the page: read the "
                                  "current revision before submitting it."))
    if action is Action.PUBLISH:
        signed = queries.sign_off_of(current)
        if signed is None or signed.content_sha256 != current.content_sha256:
            return Decision.refuse(N_("Only the text the chair signed off can be published."))
    if action is Action.APPROVE:
        if revision_id != statement.current_revision_id:
            return Decision.refuse(N_("The text changed since you opened it: read the "
                                      "current revision before signing it off."))
        digest = content_hash(revision_content(current))
        if digest != current.content_sha256:
            raise RuntimeError(f"revision {current.id} does not match its stored hash")
        db.session.add(SignOff(statement_id=statement.id, revision_id=current.id,
                               chair_id=actor.id, content_sha256=digest,
                               verification_code=new_verification_code()))
    if action is Action.PUBLISH:
        db.session.add(Publication(statement_id=statement.id, revision_id=current.id,
                                   sign_off_id=signed.id, published_by_id=actor.id))
    before = statement.state
    _set_state(statement, actor, next_state(action, before))
    if action is Action.SUBMIT:
        statement.submitted_by_id = actor.id
    if action is Action.WITHDRAW:
        statement.withdrawn_reason = text.strip()
    if text.strip():
        db.session.add(StatementComment(statement_id=statement.id, revision_id=current.id,
                                        author_id=actor.id, kind=action.value,
                                        body=text.strip()))
    db.session.flush()
    audit.record(actor, f"statement.{action.value}", statement,
                 f"{action.value.replace('_', ' ').capitalize()}: “{current.headline}” "
                 f"(revision {current.number}, {before.value.replace('_', ' ')} → "
                 f"{statement.state.value.replace('_', ' ')})",
                 revision=current.number, sha256=current.content_sha256,
                 **({"confirmed_sha256": content_sha256.strip().lower()}
                    if action is Action.APPROVE and content_sha256 else {}),
                 **({"text": text.strip()} if text.strip() else {}))
    notifications.after_transition(statement, action, actor, text.strip())
    return decision


# ---- comments, translations, settings -----------------------------------------------------

def add_comment(actor: User, statement: Statement, body: str) -> StatementComment:
    comment = StatementComment(statement_id=statement.id,
                               revision_id=statement.current_revision_id, author_id=actor.id,
                               kind="comment", body=body.strip())
    db.session.add(comment)
    db.session.flush()
    audit.record(actor, "statement.comment", statement,
                 f"Commented on “{statement.headline}”")
    return comment


def create_translation(actor: User, original: Statement, language: str
                       ) -> Statement | Decision:
    """A translation of `original` into `language`, starting from the original's text (to
    be translated in the editor). One per language per original (a database rule too)."""
    decision = may_translate_into(
        queries.actor_of(actor), original.issuer_chapter_id,
        is_translation=original.original_id is not None, original_language=original.language,
        translated=[t.language for t in original.translations], language=language)
    if not decision:
        return decision
    statement = Statement(issuer_chapter_id=original.issuer_chapter_id, language=language,
                          original_id=original.id, state=State.DRAFT, created_by_id=actor.id,
                          state_changed_by_id=actor.id)
    db.session.add(statement)
    db.session.flush()
    rev = _new_revision(statement, actor, revision_values(original.current), base_id=None,
                        source_id=original.current_revision_id)
    statement.current = rev
    db.session.flush()
    audit.record(actor, "statement.translate", statement,
                 f"Started the {LANGUAGES[language]} translation of “{original.headline}”")
    return statement


def update_settings(actor: User, *, name: str, title: str, paper_size: str) -> None:
    """The reference line new statements start with, and the paper they print on."""
    settings = alliance()
    fields = ("reference_name", "reference_title", "paper_size")
    before = {f: getattr(settings, f) for f in fields}
    settings.reference_name, settings.reference_title = name.strip(), title.strip()
    settings.paper_size = paper_size
    audit.record_changes(actor, "alliance.statement_settings", settings,
                         "the statement settings", before,
                         {f: getattr(settings, f) for f in fields})
    db.session.flush()


def record_verify_miss(address: str) -> None:
    """A code that matched nothing, asked by `address`: kept (even though the answer is a
    404) so that guessing codes is throttled on every app server."""
    db.session.add(LoginFailure(kind="address", key=queries.verify_miss_key(address)))
    db.session.flush()
    transaction.keep_despite_refusal()
