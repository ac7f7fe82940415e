"""Statements: their states, the actions that move them, and who may take each.

    draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published
      ▲                   │
      │            request changes (a comment is required)
      │                   ▼
      └──── edit ─── changes requested

- A statement is issued by the alliance (no chapter) or by one chapter.
- A chapter secretariat drafts, submits and publishes its own chapter's statements; the
  global secretariat does so for every statement, the alliance's included.
- Only the chair approves or requests changes: not even the global secretariat.
- A submitted statement is read-only to its authors until the chair decides.
- Editing an approved or published statement makes a new draft revision; the sign-off
  stays on record for the old text and does not carry over.
- Any statement not yet withdrawn may be withdrawn, with a reason, by those who answer
  for it: its issuer's secretariat, the global secretariat, or the chair.
- A withdrawn statement is kept, read-only.

Also here: who may draft, translate and decide (what the pages show), the canonical
content of a revision and its SHA-256, which a sign-off binds, the verification codes
printed on signed copies, and the checks of a statement's fields (hashtags, lines).
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .common import N_, Decision, LabelledEnum
from .roles import Role


class State(LabelledEnum):
    DRAFT = "draft", N_("Draft")
    SUBMITTED = "submitted", N_("Submitted to the chair")
    CHANGES_REQUESTED = "changes_requested", N_("Changes requested")
    APPROVED = "approved", N_("Approved")
    PUBLISHED = "published", N_("Published")
    WITHDRAWN = "withdrawn", N_("Withdrawn")


class Action(LabelledEnum):
    EDIT = "edit", N_("Edit")
    SUBMIT = "submit", N_("Submit to the chair")
    APPROVE = "approve", N_("Approve and sign off")
    REQUEST_CHANGES = "request_changes", N_("Request changes")
    PUBLISH = "publish", N_("Mark as published")
    WITHDRAW = "withdraw", N_("Withdraw")


# The state each action leads to, from the states it may start in.
TRANSITIONS: dict[Action, tuple[frozenset[State], State]] = {
    Action.EDIT: (frozenset({State.DRAFT, State.CHANGES_REQUESTED, State.APPROVED,
                             State.PUBLISHED}), State.DRAFT),
    Action.SUBMIT: (frozenset({State.DRAFT}), State.SUBMITTED),
    Action.APPROVE: (frozenset({State.SUBMITTED}), State.APPROVED),
    Action.REQUEST_CHANGES: (frozenset({State.SUBMITTED}), State.CHANGES_REQUESTED),
    Action.PUBLISH: (frozenset({State.APPROVED}), State.PUBLISHED),
    Action.WITHDRAW: (frozenset(set(State) - {State.WITHDRAWN}), State.WITHDRAWN),
}

# Actions that must carry a text: the chair's comment, the reason for withdrawing.
NEEDS_TEXT = {
    Action.REQUEST_CHANGES: N_("Say what should change: the author reads this comment."),
    Action.WITHDRAW: N_("Give the reason for withdrawing the statement."),
}

_NOT_FROM = {
    State.SUBMITTED: N_("The statement is with the chair; it cannot be changed until the "
                        "chair approves it or asks for changes."),
    State.WITHDRAWN: N_("The statement has been withdrawn; it is kept as it was."),
}


@dataclass(frozen=True)
class Actor:
    role: Role
    chapter_id: int | None = None


def answers_for(actor: Actor, issuer_chapter_id: int | None) -> bool:
    """Is `actor` among the authors of a statement issued by `issuer_chapter_id` (None:
    the alliance)? The global secretariat is, for every statement; a chapter secretariat
    only for its own chapter's."""
    if actor.role is Role.ADMIN:
        return True
    return (actor.role is Role.SECRETARIAT and issuer_chapter_id is not None
            and actor.chapter_id == issuer_chapter_id)


def may_see(actor: Actor, issuer_chapter_id: int | None, state: State) -> bool:
    """The chair and the global secretariat see every statement. A chapter secretariat
    sees its own chapter's, and the alliance's once the chair has approved them (to read
    and circulate them; the global secretariat translates the alliance's); never another
    chapter's."""
    if actor.role in (Role.ADMIN, Role.CHAIR):
        return True
    if issuer_chapter_id is None:
        return state in (State.APPROVED, State.PUBLISHED)
    return answers_for(actor, issuer_chapter_id)


def decide(action: Action, state: State, actor: Actor, issuer_chapter_id: int | None,
           text: str | None = None) -> Decision:
    """May `actor` take `action` on a statement in `state` issued by `issuer_chapter_id`?
    `text` is the comment or reason the action carries, where it needs one."""
    sources, _target = TRANSITIONS[action]
    if action in (Action.APPROVE, Action.REQUEST_CHANGES):
        if actor.role is not Role.CHAIR:
            return Decision.refuse(N_("Only the chair approves statements or asks for "
                                      "changes."))
    elif action is Action.WITHDRAW:
        if not (actor.role is Role.CHAIR or answers_for(actor, issuer_chapter_id)):
            return Decision.refuse(N_("Only the statement's issuer, the global secretariat "
                                      "or the chair may withdraw it."))
    elif not answers_for(actor, issuer_chapter_id):
        if actor.role is Role.CHAIR:
            return Decision.refuse(N_("The chair reviews statements; their authors draft, "
                                      "submit and publish them."))
        return Decision.refuse(N_("Only the issuing chapter's secretariat or the global "
                                  "secretariat may do this."))
    if state not in sources:
        return Decision.refuse(_NOT_FROM.get(state, _wrong_state(action)),
                               state=state.label)
    if action in NEEDS_TEXT and not (text or "").strip():
        return Decision.refuse(NEEDS_TEXT[action])
    return Decision.allow()


def sign_off_confirmed(shown_revision_id: int | None, shown_sha256: str | None, *,
                       current_revision_id: int | None, current_sha256: str) -> Decision:
    """May the chair's sign-off go ahead? A sign-off is a signature: it is given on the
    confirmation that named the headline and the SHA-256 of the exact text, and binds
    that text only. Refused when no confirmation was given (no hash), or when the text
    changed since the confirmation was shown (another revision, another hash)."""
    if not (shown_sha256 or "").strip():
        return Decision.refuse(N_("Confirm the sign-off first: the confirmation names the "
                                  "headline and the SHA-256 of the text you sign."))
    if shown_revision_id != current_revision_id or \
            shown_sha256.strip().lower() != current_sha256:
        return Decision.refuse(N_("The statement changed since you confirmed it (someone "
                                  "edited it): nothing was signed. Read the current text, "
                                  "then sign it off again."))
    return Decision.allow()


def _wrong_state(action: Action) -> str:
    return {
        Action.SUBMIT: N_("Only a draft can be submitted (this statement is: %(state)s). "
                          "Edit it first if changes were requested."),
        Action.APPROVE: N_("Only a submitted statement can be approved (this one is: "
                           "%(state)s)."),
        Action.REQUEST_CHANGES: N_("Only a submitted statement can be sent back (this one "
                                   "is: %(state)s)."),
        Action.PUBLISH: N_("Only an approved statement can be published (this one is: "
                           "%(state)s)."),
    }.get(action, N_("This cannot be done to a statement that is: %(state)s."))


def next_state(action: Action, state: State) -> State:
    """The state after `action`; raises if the action cannot start from `state`."""
    sources, target = TRANSITIONS[action]
    if state not in sources:
        raise ValueError(f"{action} cannot start from {state}")
    return target


def allowed_actions(state: State, actor: Actor, issuer_chapter_id: int | None) -> list[Action]:
    """The actions `actor` could take now (those needing a text count as allowed)."""
    return [a for a in Action
            if decide(a, state, actor, issuer_chapter_id, text="x").ok]


def edit_voids_sign_off(state: State) -> bool:
    """Does editing a statement in `state` leave its signed text behind?"""
    return state in (State.APPROVED, State.PUBLISHED)


def may_see_history(actor: Actor, issuer_chapter_id: int | None) -> bool:
    """Revisions, comments and comparisons: for the statement's authors and reviewers
    (a chapter secretariat reads the alliance's approved statements, not their drafts,
    revisions or comments)."""
    return actor.role in (Role.ADMIN, Role.CHAIR) or answers_for(actor, issuer_chapter_id)


def may_draft(actor: Actor) -> Decision:
    """May `actor` draft statements at all (for some issuer)? The secretariats do; the
    chair reviews."""
    if actor.role in (Role.SECRETARIAT, Role.ADMIN):
        return Decision.allow()
    return Decision.refuse(N_("The chair reviews statements; their authors draft them."))


def may_create(actor: Actor, issuer_chapter_id: int | None) -> Decision:
    """May `actor` draft a statement issued by `issuer_chapter_id` (None: the alliance)?"""
    if answers_for(actor, issuer_chapter_id):
        return Decision.allow()
    if actor.role is Role.CHAIR:
        return Decision.refuse(N_("The chair reviews statements; their authors draft them."))
    return Decision.refuse(N_("A chapter secretariat drafts its own chapter's statements; the "
                              "global secretariat drafts the alliance's."))


def may_decide(actor: Actor) -> Decision:
    """May `actor` approve statements or ask for changes (the queue's buttons)? Only the
    chair: not even the global secretariat, who sees the queue too."""
    if actor.role is Role.CHAIR:
        return Decision.allow()
    return Decision.refuse(N_("Only the chair approves statements or asks for changes."))


def may_translate(actor: Actor, issuer_chapter_id: int | None, *,
                  is_translation: bool) -> Decision:
    """May `actor` start translations of a statement? Only of an original, and only its
    authors."""
    if is_translation:
        return Decision.refuse(N_("Translate the original statement, not a translation."))
    return may_create(actor, issuer_chapter_id)


def missing_languages(language: str, translated: Iterable[str], *,
                      is_translation: bool = False) -> list[str]:
    """The languages a statement in `language`, with translations in `translated`, could
    still be translated into (none for a translation: translate its original)."""
    if is_translation:
        return []
    have = set(translated) | {language}
    return [code for code in LANGUAGES if code not in have]


def may_translate_into(actor: Actor, issuer_chapter_id: int | None, *, is_translation: bool,
                       original_language: str, translated: Iterable[str],
                       language: str) -> Decision:
    """May `actor` start the `language` translation of an original in `original_language`
    that has translations in `translated`? One per language per original."""
    decision = may_translate(actor, issuer_chapter_id, is_translation=is_translation)
    if not decision:
        return decision
    if language not in LANGUAGES or language == original_language:
        return Decision.refuse(N_("Choose a language other than the original's."))
    if language in set(translated):
        return Decision.refuse(N_("This statement already has a translation in %(language)s."),
                               language=LANGUAGES[language])
    return Decision.allow()


# ---- verification codes ------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper
CODE_LENGTH = 10


def new_verification_code(choice: Callable[[str], str] = secrets.choice) -> str:
    """Ten letters and digits of `CODE_ALPHABET` (50 bits): printed as two groups of five."""
    return "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str | None) -> str:
    """A code as typed (any case, with dashes or spaces) as it is stored."""
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())


def is_verification_code(code: str) -> bool:
    """Could `code` (normalized) be a verification code at all?"""
    return len(code) == CODE_LENGTH


def code_display(code: str | None) -> str:
    """The code as printed: two groups of five (K7QMB-3XPA9)."""
    code = code or ""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == CODE_LENGTH else code


# ---- the statement's fields ------------------------------------------------------------

LANGUAGES = {"en": "English", "id": "Bahasa Indonesia", "es": "Español", "fr": "Français"}
# How each language's own name is shown in "Translation: Bahasa | Español | Français".
LANGUAGE_SHORT = {"en": "English", "id": "Bahasa", "es": "Español", "fr": "Français"}


class Occasion(LabelledEnum):
    MIGRANTS_DAY = "migrants_day", N_("International Migrants Day (18 December)")
    WORKERS_DAY = "workers_day", N_("International Workers' Day (1 May)")
    WOMENS_DAY = "womens_day", N_("International Women's Day (8 March)")
    ANNIVERSARY = "anniversary", N_("Anniversary")
    RESPONSE = "response", N_("Response to an event")
    OTHER = "other", N_("Other")

    @classmethod
    def label_of(cls, value: str) -> str:
        """The label of an occasion stored as `value`; an unknown value is shown as is."""
        return cls(value).label if value in cls.__members__.values() else value


HASHTAG_MAX = 60
_HASHTAG = re.compile(r"^#[^\W_]\w*$")


def parse_hashtags(text: str) -> tuple[list[str], list[str]]:
    """Hashtags typed with spaces, commas or new lines between them; a missing '#' is
    added. Returns (tags, problems): a tag is letters, digits and underscores (any
    alphabet), starting with a letter or digit, not only digits, at most 60 long.
    Repeats (whatever their case) are dropped."""
    tags: list[str] = []
    problems: list[str] = []
    seen: set[str] = set()
    for raw in re.split(r"[\s,;]+", text or ""):
        if not raw:
            continue
        tag = unicodedata.normalize("NFC", raw if raw.startswith("#") else "#" + raw)
        if not _HASHTAG.match(tag):
            problems.append(tag)
        elif tag[1:].isdigit():
            problems.append(tag)
        elif len(tag) > HASHTAG_MAX:
            problems.append(tag)
        elif tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags, problems


def lines(text: str | None) -> list[str]:
    """The non-blank lines of a multi-line field (sub-headlines, slogans, partners)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# The fields of a revision that its sign-off binds, in a fixed order.
CONTENT_FIELDS = ("issuer", "partners", "language", "headline", "subheadlines", "occasion",
                  "dateline_place", "issued_on", "body", "slogans", "hashtags",
                  "reference_name", "reference_title")


def canonical_content(fields: Mapping[str, Any]) -> bytes:
    """The exact text a sign-off binds, as bytes: every content field, its text in
    Unicode NFC with Windows line ends made plain, as JSON with sorted keys. Two
    revisions that read the same give the same bytes; any change of a letter does not."""
    def norm(value: Any) -> Any:
        if isinstance(value, str):
            return unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return [norm(v) for v in value]
        return value

    missing = [name for name in CONTENT_FIELDS if name not in fields]
    if missing:
        raise KeyError(f"content fields missing: {', '.join(missing)}")
    data = {name: norm(fields[name]) for name in CONTENT_FIELDS}
    return json.dumps(data, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def content_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical content."""
    return hashlib.sha256(canonical_content(fields)).hexdigest()


def archive_offers_pdf(state: State, current_revision_id: int | None,
                       published_revision_id: int) -> bool:
    """The public archive offers a published statement's PDF only while it prints the
    published text: the statement's current revision is the one published and signed
    (not while a revised text is being prepared, which would print the draft)."""
    return (current_revision_id == published_revision_id
            and state in (State.APPROVED, State.PUBLISHED))
