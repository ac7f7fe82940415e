"""Dues standing, computed when read (no cron job).

The constitution: US$50 a year; at an assembly, dues are reckoned since the last assembly
(with assemblies four years apart, US$200). Only a regular member that is active and up
to date on its dues may vote, with exactly one voting delegate.

The rule here:
- A `DuesPolicy` names the years an assembly reckons, the yearly rate, and the first day
  from which payments count towards them.
- An organization owes the rate for each reckoned year from the year it joined (an
  organization that joined in 2021 owes nothing for 2019 and 2020).
- Payments (voided ones left out by the caller) are allocated to the oldest unpaid year
  first; what is left over is credit. Allocation depends only on the total, so the order
  in which payments were entered never changes the result.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .common import N_, Decision, LabelledEnum
from .money import Usd


class MembershipType(LabelledEnum):
    REGULAR = "regular", N_("Regular member")
    ASSOCIATE = "associate", N_("Associate member")


class MemberStatus(LabelledEnum):
    APPLICANT = "applicant", N_("Applicant")
    ACTIVE = "active", N_("Active")
    SUSPENDED = "suspended", N_("Suspended")
    LEFT = "left", N_("Left")

DEFAULT_RATE_CENTS = 50_00


@dataclass(frozen=True)
class DuesPolicy:
    rate_cents: int
    first_year: int
    last_year: int
    payments_from: date

    def __post_init__(self) -> None:
        if self.rate_cents < 0:
            raise ValueError("the yearly rate cannot be negative")
        if self.last_year < self.first_year:
            raise ValueError("the last dues year comes before the first")

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


@dataclass(frozen=True)
class Payment:
    usd_cents: int
    paid_on: date


@dataclass(frozen=True)
class YearDues:
    year: int
    due_cents: int
    paid_cents: int

    @property
    def owed_cents(self) -> int:
        return self.due_cents - self.paid_cents

    @property
    def settled(self) -> bool:
        return self.paid_cents >= self.due_cents


@dataclass(frozen=True)
class Standing:
    years: tuple[YearDues, ...]
    total_due_cents: int
    total_paid_cents: int      # every counted payment, credit included
    credit_cents: int          # paid beyond what is due
    good_standing: bool
    may_vote: bool
    reason: str                # a sentence with %(name)s parameters, marked for translation
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def owed_cents(self) -> int:
        return self.total_due_cents - (self.total_paid_cents - self.credit_cents)

    @property
    def balance_cents(self) -> int:
        """Paid minus due: negative when owing, positive with credit."""
        return self.total_paid_cents - self.total_due_cents

    @property
    def unpaid_years(self) -> tuple[int, ...]:
        return tuple(y.year for y in self.years if not y.settled)

    def sentence(self) -> str:
        """The reason in English with its parameters filled in."""
        return self.reason % self.params if self.params else self.reason


def year_ranges(years: Iterable[int]) -> str:
    """(2019, 2020, 2021, 2023) -> '2019-2021, 2023'."""
    ordered = sorted(set(years))
    parts: list[str] = []
    start = prev = None
    for year in ordered:
        if start is None:
            start = prev = year
        elif year == prev + 1:
            prev = year
        else:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
            start = prev = year
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ", ".join(parts)


def due_years(policy: DuesPolicy, joined_on: date | None) -> list[int]:
    """The reckoned years an organization owes: those from the year it joined."""
    joined_year = joined_on.year if joined_on else policy.first_year
    return [y for y in policy.years if y >= joined_year]


def counted_total(policy: DuesPolicy, payments: Iterable[Payment], *,
                  as_of: date | None = None) -> int:
    """The sum of the payments that count towards the policy's years."""
    return sum(p.usd_cents for p in payments if p.paid_on >= policy.payments_from
               and (as_of is None or p.paid_on <= as_of))


def allocate(policy: DuesPolicy, total_paid: int, *, joined_on: date | None = None,
             owes: bool = True) -> tuple[tuple[YearDues, ...], int]:
    """Per-year dues after allocating `total_paid` cents oldest year first; returns the
    years and the credit left over. With `owes=False` (an applicant) nothing is due and
    every payment is credit."""
    pool = total_paid
    years = []
    for year in (due_years(policy, joined_on) if owes else []):
        paid = min(policy.rate_cents, max(pool, 0))
        pool -= paid
        years.append(YearDues(year, policy.rate_cents, paid))
    return tuple(years), max(pool, 0)


def standing(payments: Iterable[Payment], policy: DuesPolicy, *,
             membership: MembershipType, status: MemberStatus,
             status_since: date | None = None, joined_on: date | None = None,
             as_of: date | None = None) -> Standing:
    """An organization's standing from its (non-voided) payments."""
    return standing_from_total(counted_total(policy, payments, as_of=as_of), policy,
                               membership=membership, status=status,
                               status_since=status_since, joined_on=joined_on)


def standing_from_total(total_paid: int, policy: DuesPolicy, *, membership: MembershipType,
                        status: MemberStatus, status_since: date | None = None,
                        joined_on: date | None = None) -> Standing:
    """The same, from the total of the counted payments (summed by the database when a
    list shows many organizations at once)."""
    years, credit = allocate(policy, total_paid, joined_on=joined_on,
                             owes=status is not MemberStatus.APPLICANT)
    total_due = sum(y.due_cents for y in years)
    unpaid = [y for y in years if not y.settled]
    owed = sum(y.owed_cents for y in unpaid)
    good = not unpaid
    since = {"since": status_since if status_since else "?"}

    def result(may_vote: bool, reason: str, **params: Any) -> Standing:
        return Standing(years, total_due, total_paid, credit, good, may_vote, reason, params)

    if status is MemberStatus.APPLICANT:
        return result(False, N_("not yet a member: the application is pending"))
    if status is MemberStatus.SUSPENDED:
        return result(False, N_("suspended since %(since)s"), **since)
    if status is MemberStatus.LEFT:
        return result(False, N_("left the alliance on %(since)s"), **since)
    if not good:
        reason = N_("owes %(amount)s for %(years)s")
        params = {"amount": Usd(owed), "years": year_ranges(y.year for y in unpaid)}
        if membership is MembershipType.ASSOCIATE:
            reason = N_("associate members do not vote; owes %(amount)s for %(years)s")
        return result(False, reason, **params)
    if membership is MembershipType.ASSOCIATE:
        return result(False, N_("associate members do not vote"))
    if credit:
        return result(True, N_("regular member in good standing, with %(credit)s credit"),
                      credit=Usd(credit))
    return result(True, N_("regular member in good standing"))


# --- what a ledger line allows -------------------------------------------------------------

def may_remit(*, of_this_organization: bool, channel: str, voided: bool, remitted: bool,
              paid_on: date, remitted_on: date, today: date) -> Decision:
    """May a payment be marked as remitted by the chapter to the global secretariat on
    `remitted_on`? Only a live payment the chapter received, once, on a day between the
    payment and today."""
    if not of_this_organization:
        return Decision.refuse(N_("Only a payment of this organization can be remitted."))
    if channel != "chapter":
        return Decision.refuse(N_("This payment went directly to the global secretariat."))
    if voided:
        return Decision.refuse(N_("A voided payment is not remitted."))
    if remitted:
        return Decision.refuse(N_("This payment is already marked as remitted."))
    if remitted_on < paid_on or remitted_on > today:
        return Decision.refuse(N_("The remittance date must fall between the payment and "
                                  "today."))
    return Decision.allow()


def may_void(*, of_this_organization: bool, voided: bool, remitted: bool,
             reason: str) -> Decision:
    """May a payment be voided? Once, with a reason, and not after the chapter remitted it
    (that is settled with the global secretariat first)."""
    if not of_this_organization:
        return Decision.refuse(N_("Only a payment of this organization can be voided."))
    if voided:
        return Decision.refuse(N_("This payment has already been voided."))
    if not reason.strip():
        return Decision.refuse(N_("Say why the payment is voided."))
    if remitted:
        return Decision.refuse(N_("This payment was already remitted to the global "
                                  "secretariat; settle it with them before voiding it."))
    return Decision.allow()
