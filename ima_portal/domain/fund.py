"""A chapter's solidarity fund for one assembly (the US chapter's goal: at least
US$6,000, so grassroots organizers can attend).

- Pledges are promises (donor, amount, promised date, anonymous or named); receipts are
  money in (a receipt may settle a pledge); grants are money out, to a delegate's fee or
  travel, each with who decided. A mistake is voided with a reason; a voided entry counts
  for nothing.
- The balance is receipts minus grants. It never goes below zero: a grant larger than the
  balance is refused with the balance shown, and so is the void of a receipt that the
  grants already spent. The sums do not depend on the order of the entries.
- Donors' names are seen only by the fund's chapter and the global secretariat; everyone
  else reads an anonymous donor as "Anonymous".
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .common import N_, Decision, LabelledEnum
from .money import Usd
from .roles import Role


class FundEntryKind(LabelledEnum):
    PLEDGE = "pledge", N_("Pledge")
    RECEIPT = "receipt", N_("Receipt")
    GRANT = "grant", N_("Grant")
    VOID = "void", N_("Void")


class GrantPurpose(LabelledEnum):
    FEE = "fee", N_("Registration fee")
    TRAVEL = "travel", N_("Travel")


@dataclass(frozen=True)
class FundEntry:
    id: int
    kind: FundEntryKind
    amount_cents: int = 0
    voids: int | None = None
    settles: int | None = None  # a receipt: the pledge it settles


@dataclass(frozen=True)
class FundSums:
    pledged_cents: int       # pledges not voided
    outstanding_cents: int   # pledges not voided and not settled by a receipt
    received_cents: int
    granted_cents: int

    @property
    def balance_cents(self) -> int:
        return self.received_cents - self.granted_cents


def live(entries: Iterable[FundEntry]) -> list[FundEntry]:
    entries = list(entries)
    voided = {e.voids for e in entries if e.kind is FundEntryKind.VOID}
    return [e for e in entries if e.kind is not FundEntryKind.VOID and e.id not in voided]


def sums(entries: Iterable[FundEntry]) -> FundSums:
    counted = live(entries)

    def total(kind: FundEntryKind) -> int:
        return sum(e.amount_cents for e in counted if e.kind is kind)

    settled = {e.settles for e in counted if e.kind is FundEntryKind.RECEIPT and e.settles}
    outstanding = sum(e.amount_cents for e in counted
                      if e.kind is FundEntryKind.PLEDGE and e.id not in settled)
    return FundSums(total(FundEntryKind.PLEDGE), outstanding, total(FundEntryKind.RECEIPT),
                    total(FundEntryKind.GRANT))


def balance(entries: Iterable[FundEntry]) -> int:
    """Receipts minus grants, voids left out (cents)."""
    return sums(entries).balance_cents


def progress_percent(received_cents: int, goal_cents: int) -> int:
    """How far the receipts are towards the goal, 0 to 100 (a bar cannot overflow)."""
    if goal_cents <= 0:
        return 100 if received_cents > 0 else 0
    return max(0, min(100, received_cents * 100 // goal_cents))


def may_keep(role: Role, chapter_id: int | None, fund_chapter_id: int) -> Decision:
    """The fund's chapter secretariat and the global secretariat keep a fund."""
    if role is Role.ADMIN or (role is Role.SECRETARIAT and chapter_id == fund_chapter_id):
        return Decision.allow()
    return Decision.refuse(N_("The chapter's secretariat and the global secretariat keep "
                              "its solidarity fund."))


def sees_donors(role: Role, chapter_id: int | None, fund_chapter_id: int) -> bool:
    """Donors' names are seen by the fund's chapter and the global secretariat only."""
    return role is Role.ADMIN or chapter_id == fund_chapter_id


def donor_shown(donor: str, anonymous: bool, sees_names: bool) -> str | None:
    """The donor's name as a reader sees it; None means "Anonymous"."""
    if anonymous and not sees_names:
        return None
    return donor or None


def decide_grant(entries: Iterable[FundEntry], amount_cents: int | None) -> Decision:
    """A grant never takes the balance below zero; a refusal carries the balance."""
    current = balance(entries)
    if amount_cents is None or amount_cents <= 0:
        return Decision.refuse(N_("Enter an amount above zero, such as 250 or 250.00."),
                               balance=Usd(current))
    if amount_cents > current:
        return Decision.refuse(N_("The fund holds %(balance)s: a grant of %(amount)s would "
                                  "take it below zero."), balance=Usd(current),
                               amount=Usd(amount_cents))
    return Decision.allow()


def decide_void(entries: Iterable[FundEntry], entry_id: int, reason: str) -> Decision:
    """Any entry but a void may be voided, once, with a reason; not a receipt whose money
    the grants already spent (the balance would go below zero)."""
    entries = list(entries)
    counted = live(entries)
    entry = next((e for e in counted if e.id == entry_id), None)
    if entry is None:
        return Decision.refuse(N_("This entry is already voided, or cannot be voided."))
    if not reason.strip():
        return Decision.refuse(N_("Say why the entry is voided."))
    if entry.kind is FundEntryKind.RECEIPT:
        current = balance(entries)
        if entry.amount_cents > current:
            return Decision.refuse(N_("The fund holds %(balance)s: voiding this receipt of "
                                      "%(amount)s would take it below zero. Void a grant "
                                      "first."), balance=Usd(current),
                                   amount=Usd(entry.amount_cents))
    return Decision.allow()


def decide_receipt(entries: Iterable[FundEntry], amount_cents: int | None,
                   settles: int | None = None) -> Decision:
    if amount_cents is None or amount_cents <= 0:
        return Decision.refuse(N_("Enter an amount above zero, such as 250 or 250.00."))
    if settles is not None:
        counted = live(entries)
        pledge = next((e for e in counted
                       if e.id == settles and e.kind is FundEntryKind.PLEDGE), None)
        if pledge is None:
            return Decision.refuse(N_("Choose a pledge of this fund that is not voided."))
        if any(e.kind is FundEntryKind.RECEIPT and e.settles == settles for e in counted):
            return Decision.refuse(N_("This pledge is already settled."))
    return Decision.allow()
