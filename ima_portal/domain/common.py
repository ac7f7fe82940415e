"""Small pieces shared by the rules."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


def N_(message: str) -> str:
    """Marks a sentence for translation without translating it here (see package doc)."""
    return message


# The largest id or whole number a request may name: the databases' INTEGER (PostgreSQL
# refuses anything larger with an error rather than finding nothing).
MAX_ID = 2**31 - 1


def whole_number(text: str | None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """A whole number typed or sent as text (ASCII digits only: "²" and "١" are not
    numbers here), within bounds; None for anything else."""
    text = (text or "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > 12:
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def counted(num: int, singular: str, plural: str) -> str:
    """A count in English for the records that stay in English (audit summaries, the
    command line): "1 letter", "3 letters". What a user reads goes through ngettext."""
    return f"{num} {singular if num == 1 else plural}"


class Plural(str):
    """A message with a singular and a plural form (marked with `NP_`): shown with the
    form its count (`num` among the parameters) asks for in the reader's language."""

    plural: str

    def __new__(cls, singular: str, plural: str):
        message = str.__new__(cls, singular)
        message.plural = plural
        return message


def NP_(singular: str, plural: str) -> Plural:  # noqa: N802 - the gettext family's spelling
    """Marks a message with its plural for translation (extracted like ngettext)."""
    return Plural(singular, plural)


@dataclass(frozen=True)
class Decision:
    """The answer to "may this happen?": `ok`, and a sentence a user can read."""

    ok: bool
    reason: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.ok

    @classmethod
    def allow(cls, reason: str = "", **params: Any) -> Decision:
        return cls(True, reason, params)

    @classmethod
    def refuse(cls, reason: str, **params: Any) -> Decision:
        return cls(False, reason, params)

    def message(self) -> str:
        """The reason with its parameters filled in (English, untranslated); a parameter
        that is itself a decision (the reason behind this one) reads as its message.
        Shown to a person, a decision goes through `web.say`, which translates both."""
        if not self.params:
            return self.reason
        return self.reason % {name: value.message() if isinstance(value, (Decision, Reason))
                              else value
                              for name, value in self.params.items()}


@dataclass(frozen=True)
class Reason:
    """Why something is so, kept as a sentence and its parameters so that each reader
    gets it in their language (`web.say`); unlike a refused `Decision` it is true, so a
    row flagged with a reason reads as flagged (`if row.flag`)."""

    reason: str
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, decision: Decision) -> Reason:
        return cls(decision.reason, decision.params)

    def message(self) -> str:
        """In English, untranslated (spreadsheets, audit)."""
        return Decision(False, self.reason, self.params).message()


class LabelledEnum(StrEnum):
    """A string enum whose members carry their label, marked for translation (shown
    through `_()`): `REGULAR = "regular", N_("Regular member")`, then `member.label`."""

    label: str

    def __new__(cls, value: str, label: str = ""):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member
