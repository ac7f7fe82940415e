"""A chapter's readiness for an assembly: its delegates counted by participation and
state, its fees summed, and what still needs doing, each item saying what and for whom.

What needs doing (withdrawn registrations are left out of every item):
- an organization entitled to vote (a regular member, active, up to date on its dues under
  the assembly's policy) with no voting delegate registered: a vote the roll would miss;
- a voting delegate whose organization may no longer vote (a payment voided, dues now
  owed, a suspension): flagged, never dropped;
- a fee still owed (unpaid, partly paid or partly covered) when the registration deadline
  is near: `DEADLINE_NEAR_DAYS` (14) days before it or later;
- dates outside the assembly's: arriving after the recommended arrival, leaving before
  the recommended departure, nights the fee does not cover, or dates out of the window;
- registrations pending confirmation (one item, with their number);
- a confirmed international delegate who needs a visa invitation letter and has none
  requested (`needs_visa_letter`, `visa_letter_requested`: given by whoever knows them;
  both False by default, so the item stays silent until the letters exist).

Plain Python: no flask, no sqlalchemy. The texts are marked for translation (`N_`) and
filled with their parameters by the page.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .assembly import AssemblyDates, Participation, RegistrationState, check_dates
from .common import N_, LabelledEnum, Reason
from .fees import FeeAccount

# A fee still owed becomes something to do this many days before the registration deadline.
DEADLINE_NEAR_DAYS = 14


class TodoKind(LabelledEnum):
    NO_VOTING_DELEGATE = "no_voting_delegate", N_("No voting delegate")
    VOTE_LOST = "vote_lost", N_("Voting delegate no longer entitled")
    FEE_DUE = "fee_due", N_("Fee still owed")
    DATES = "dates", N_("Dates to check")
    PENDING = "pending", N_("Awaiting confirmation")
    VISA_LETTER = "visa_letter", N_("Visa letter")


@dataclass(frozen=True)
class OrganizationFacts:
    id: int
    name: str
    may_vote: bool
    has_voting_delegate: bool


@dataclass(frozen=True)
class RegistrationFacts:
    id: int
    name: str
    organization: str
    participation: Participation
    state: RegistrationState
    arrival: date
    departure: date
    accommodation: bool = True
    international: bool = True
    still_due_cents: int = 0
    vote_lost: Reason | str | None = None  # why its organization may no longer vote
    needs_visa_letter: bool = False
    visa_letter_requested: bool = False
    organization_id: int | None = None


@dataclass(frozen=True)
class Todo:
    kind: TodoKind
    text: str                              # marked for translation, filled with params
    params: dict[str, Any] = field(default_factory=dict)
    registration_id: int | None = None
    organization_id: int | None = None


def deadline_near(today: date, deadline_on: date, days: int = DEADLINE_NEAR_DAYS) -> bool:
    """From `days` days before the deadline on (a deadline passed is nearer still)."""
    return today >= deadline_on - timedelta(days=days)


def dates_outside(dates: AssemblyDates, reg: RegistrationFacts
                  ) -> tuple[str, dict[str, Any]] | None:
    """The first thing wrong with a registration's dates against the assembly's, or None:
    out of the window, later than the recommended arrival, earlier than the recommended
    departure, or nights the fee does not cover."""
    check = check_dates(dates, reg.arrival, reg.departure, accommodation=reg.accommodation)
    if check.errors:
        return next(iter(check.errors.values()))
    if check.warnings:
        return check.warnings[0]
    return None


def todos(orgs: Iterable[OrganizationFacts], regs: Iterable[RegistrationFacts], *,
          dates: AssemblyDates, today: date, deadline_on: date) -> list[Todo]:
    """Everything that needs doing, in the order of the module's list."""
    orgs, live = list(orgs), [r for r in regs if r.state is not RegistrationState.WITHDRAWN]
    out: list[Todo] = []
    for org in orgs:
        if org.may_vote and not org.has_voting_delegate:
            out.append(Todo(TodoKind.NO_VOTING_DELEGATE,
                            N_("%(org)s may vote but has no voting delegate registered."),
                            {"org": org.name}, organization_id=org.id))
    for reg in live:
        if reg.participation is Participation.VOTING and reg.vote_lost:
            out.append(Todo(TodoKind.VOTE_LOST,
                            N_("%(name)s is the voting delegate of %(org)s, which may no "
                               "longer vote: %(why)s"),
                            {"name": reg.name, "org": reg.organization, "why": reg.vote_lost},
                            registration_id=reg.id, organization_id=reg.organization_id))
    if deadline_near(today, deadline_on):
        days = (deadline_on - today).days
        for reg in live:
            if reg.still_due_cents > 0:
                out.append(Todo(TodoKind.FEE_DUE,
                                N_("%(name)s still owes %(amount)s of the fee; the "
                                   "registration deadline is %(deadline)s."),
                                {"name": reg.name, "amount_cents": reg.still_due_cents,
                                 "deadline": deadline_on, "days": days},
                                registration_id=reg.id))
    for reg in live:
        wrong = dates_outside(dates, reg)
        if wrong is not None:
            reason, params = wrong
            out.append(Todo(TodoKind.DATES, N_("%(name)s: %(why)s"),
                            {"name": reg.name, "why": reason, "why_params": params},
                            registration_id=reg.id))
    pending = [r for r in live if r.state is RegistrationState.PENDING]
    if pending:
        out.append(Todo(TodoKind.PENDING, N_("%(num)d registration awaits confirmation."),
                        {"num": len(pending), "names": [r.name for r in pending]}))
    for reg in live:
        if reg.state is RegistrationState.CONFIRMED and reg.international and \
                reg.needs_visa_letter and not reg.visa_letter_requested:
            out.append(Todo(TodoKind.VISA_LETTER,
                            N_("%(name)s needs a visa invitation letter; none is requested "
                               "yet."), {"name": reg.name}, registration_id=reg.id))
    return out


# ---- counts and sums ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    cells: dict[tuple[Participation, RegistrationState], int]

    def of(self, participation: Participation | None = None,
           state: RegistrationState | None = None) -> int:
        return sum(n for (p, s), n in self.cells.items()
                   if (participation is None or p is participation)
                   and (state is None or s is state))

    @property
    def active(self) -> int:
        """Pending and confirmed: the registrations that count."""
        return self.of() - self.of(state=RegistrationState.WITHDRAWN)


def counts(pairs: Iterable[tuple[Participation, RegistrationState]]) -> Counts:
    """Registrations by participation and state; every cell present (0 when none)."""
    cells = {(p, s): 0 for p in Participation for s in RegistrationState}
    for pair in pairs:
        cells[pair] += 1
    return Counts(cells)


@dataclass(frozen=True)
class FeeTotals:
    due_cents: int
    paid_cents: int
    granted_cents: int
    still_due_cents: int
    to_settle_cents: int       # paid by withdrawn registrations, to refund or keep as credit


def fee_totals(fee_accounts: Sequence[FeeAccount]) -> FeeTotals:
    """The chapter's fees: due, paid and granted by the registrations that count, what
    they still owe, and what withdrawn ones hold until a refund or credit is recorded."""
    live = [a for a in fee_accounts if not a.withdrawn]
    return FeeTotals(sum(a.due_cents for a in live), sum(a.paid_cents for a in live),
                     sum(a.granted_cents for a in live), sum(a.still_due_cents for a in live),
                     sum(a.to_settle_cents for a in fee_accounts))
