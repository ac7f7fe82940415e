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

Also here: the canonical content of a revision and its SHA-256, which a sign-off binds,
and the checks of a statement's fields (hashtags, lines).
"""
from __future__ import annotations

import enum
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .common import N_, Decision
from .roles import Role


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.DRAFT: N_("Draft"),
    State.SUBMITTED: N_("Submitted to the chair"),
    State.CHANGES_REQUESTED: N_("Changes requested"),
    State.APPROVED: N_("Approved"),
    State.PUBLISHED: N_("Published"),
    State.WITHDRAWN: N_("Withdrawn"),
}


class Action(enum.StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"


ACTION_LABELS = {
    Action.EDIT: N_("Edit"),
    Action.SUBMIT: N_("Submit to the chair"),
    Action.APPROVE: N_("Approve and sign off"),
    Action.REQUEST_CHANGES: N_("Request changes"),
    Action.PUBLISH: N_("Mark as published"),
    Action.WITHDRAW: N_("Withdraw"),
}

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
                               state=STATE_LABELS[state])
    if action in NEEDS_TEXT and not (text or "").strip():
        return Decision.refuse(NEEDS_TEXT[action])
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


# ---- the statement's fields ------------------------------------------------------------

LANGUAGES = {"en": "English", "id": "Bahasa Indonesia", "es": "Español", "fr": "Français"}
# How each language's own name is shown in "Translation: Bahasa | Español | Français".
LANGUAGE_SHORT = {"en": "English", "id": "Bahasa", "es": "Español", "fr": "Français"}


class Occasion(enum.StrEnum):
    MIGRANTS_DAY = "migrants_day"
    WORKERS_DAY = "workers_day"
    WOMENS_DAY = "womens_day"
    ANNIVERSARY = "anniversary"
    RESPONSE = "response"
    OTHER = "other"


OCCASION_LABELS = {
    Occasion.MIGRANTS_DAY: N_("International Migrants Day (18 December)"),
    Occasion.WORKERS_DAY: N_("International Workers' Day (1 May)"),
    Occasion.WOMENS_DAY: N_("International Women's Day (8 March)"),
    Occasion.ANNIVERSARY: N_("Anniversary"),
    Occasion.RESPONSE: N_("Response to an event"),
    Occasion.OTHER: N_("Other"),
}

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
