"""What each role's home page leads with: the things that need doing, most pressing
first, each with its count, from facts the areas' queries count.

A chapter secretariat (its own chapter only):
- member organizations owing dues: an organization owing dues may not vote;
- registrations for the assembly still pending confirmation;
- payments the chapter received that it has not yet remitted to the global secretariat;
- the assembly's registration deadline, while registration is open (pressing from
  `readiness.DEADLINE_NEAR_DAYS` days before it); before it opens, when it opens;
- the chapter's statements the chair sent back for changes.

The global secretariat (every chapter):
- visa invitation letters requested and not yet issued or refused;
- chapters without an active secretariat account (nobody keeps their records);
- accounts the sign-in throttle holds now (too many failed sign-ins);
- registrations pending confirmation, payments not yet remitted by the chapters, the
  deadline, and statements sent back for changes, as for a chapter but over all of them.

The chair: the statements waiting for sign-off, each with how long it has waited
(`waited`).

An item with nothing to do is left out. Plain Python: the texts are marked for
translation (`N_`, `NP_` with the count as `num`) and filled by the page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from .common import N_, NP_
from .money import Usd
from .readiness import DEADLINE_NEAR_DAYS, deadline_near


class Item(StrEnum):
    """Each thing a home may say needs doing (what its link is chosen by)."""
    OWING = "owing"
    PENDING = "pending"
    UNREMITTED = "unremitted"
    DEADLINE = "deadline"
    OPENS = "opens"
    SENT_BACK = "sent_back"
    LETTERS = "letters"
    NO_SECRETARIAT = "no_secretariat"
    HELD = "held"


@dataclass(frozen=True)
class AssemblyFacts:
    number: int
    name: str
    opens_on: date
    deadline_on: date


@dataclass(frozen=True)
class Facts:
    """What the queries counted, for one chapter or (the global secretariat) for all."""
    owing: int = 0
    pending: int = 0
    unremitted: int = 0
    unremitted_amount: Usd = Usd(0)    # written for the reader's language by web.say
    sent_back: int = 0
    assembly: AssemblyFacts | None = None
    letters: int = 0
    without_secretariat: int = 0
    held: int = 0


@dataclass(frozen=True)
class Todo:
    item: Item
    text: str                                   # N_ or NP_ (then `num` is in params)
    params: dict[str, Any] = field(default_factory=dict)
    pressing: bool = False

    @property
    def num(self) -> int | None:
        return self.params.get("num")


def _deadline(assembly: AssemblyFacts | None, today: date) -> Todo | None:
    if assembly is None:
        return None
    if today < assembly.opens_on:
        return Todo(Item.OPENS, N_("Registration for %(assembly)s opens on %(date)s."),
                    {"assembly": assembly.name, "date": assembly.opens_on})
    if today > assembly.deadline_on:
        return None  # closed: nothing left to do before it
    days = (assembly.deadline_on - today).days
    if days == 0:
        return Todo(Item.DEADLINE, N_("Registration for %(assembly)s closes today."),
                    {"assembly": assembly.name}, pressing=True)
    return Todo(Item.DEADLINE,
                NP_("Registration for %(assembly)s closes on %(date)s: in %(num)d day.",
                    "Registration for %(assembly)s closes on %(date)s: in %(num)d days."),
                {"assembly": assembly.name, "date": assembly.deadline_on, "num": days},
                pressing=deadline_near(today, assembly.deadline_on, DEADLINE_NEAR_DAYS))


def _common(facts: Facts, today: date, *, every_chapter: bool) -> list[Todo]:
    """The items a chapter's secretariat and the global secretariat share, in order."""
    deadline = _deadline(facts.assembly, today)
    near = deadline is not None and deadline.pressing
    out: list[Todo] = []
    if deadline is not None and near:
        out.append(deadline)
    if facts.owing:
        out.append(Todo(Item.OWING, NP_(
            "%(num)d member organization owes dues, so it may not vote.",
            "%(num)d member organizations owe dues, so they may not vote."),
            {"num": facts.owing}, pressing=near))
    if facts.pending:
        out.append(Todo(Item.PENDING, NP_(
            "%(num)d delegate registration awaits confirmation.",
            "%(num)d delegate registrations await confirmation."),
            {"num": facts.pending}, pressing=near))
    if facts.unremitted and every_chapter:
        out.append(Todo(Item.UNREMITTED, NP_(
            "%(num)d payment received by a chapter (%(amount)s) is not yet remitted to "
            "the global secretariat.",
            "%(num)d payments received by the chapters (%(amount)s) are not yet remitted "
            "to the global secretariat."),
            {"num": facts.unremitted, "amount": facts.unremitted_amount}))
    elif facts.unremitted:
        out.append(Todo(Item.UNREMITTED, NP_(
            "%(num)d payment received by your chapter (%(amount)s) is not yet remitted "
            "to the global secretariat.",
            "%(num)d payments received by your chapter (%(amount)s) are not yet remitted "
            "to the global secretariat."),
            {"num": facts.unremitted, "amount": facts.unremitted_amount}))
    if deadline is not None and not near:
        out.append(deadline)
    if facts.sent_back:
        out.append(Todo(Item.SENT_BACK, NP_(
            "%(num)d statement was sent back by the chair for changes.",
            "%(num)d statements were sent back by the chair for changes."),
            {"num": facts.sent_back}))
    return out


def secretariat_todos(facts: Facts, today: date) -> list[Todo]:
    """A chapter secretariat's home: what its chapter needs done, pressing items first."""
    return _ordered(_common(facts, today, every_chapter=False))


def global_todos(facts: Facts, today: date) -> list[Todo]:
    """The global secretariat's home: what only it does first, then what the chapters
    still have to do."""
    out: list[Todo] = []
    if facts.letters:
        out.append(Todo(Item.LETTERS, NP_(
            "%(num)d visa invitation letter is requested: issue or refuse it.",
            "%(num)d visa invitation letters are requested: issue or refuse them."),
            {"num": facts.letters}, pressing=True))
    if facts.without_secretariat:
        out.append(Todo(Item.NO_SECRETARIAT, NP_(
            "%(num)d chapter has no active secretariat account: nobody keeps its records.",
            "%(num)d chapters have no active secretariat account: nobody keeps their "
            "records."), {"num": facts.without_secretariat}))
    if facts.held:
        out.append(Todo(Item.HELD, NP_(
            "%(num)d account is held by the sign-in throttle after failed sign-ins.",
            "%(num)d accounts are held by the sign-in throttle after failed sign-ins."),
            {"num": facts.held}))
    return _ordered(out + _common(facts, today, every_chapter=True))


def _ordered(todos: list[Todo]) -> list[Todo]:
    """Pressing items first; otherwise the order given (stable)."""
    return sorted(todos, key=lambda t: not t.pressing)


def waited(since: datetime, now: datetime) -> tuple[str, dict[str, Any]]:
    """How long something has waited, as the page says it: in days from a day on, in
    hours before that, "less than an hour" at first."""
    seconds = max(0, int((now - since).total_seconds()))
    days, hours = seconds // 86_400, seconds // 3_600
    if days:
        return NP_("waiting for %(num)d day", "waiting for %(num)d days"), {"num": days}
    if hours:
        return NP_("waiting for %(num)d hour", "waiting for %(num)d hours"), {"num": hours}
    return N_("waiting for less than an hour"), {}
