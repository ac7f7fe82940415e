"""A registration's fee account, from its entries.

From the 5th assembly's call: US$250 per international participant, nothing for a local
one. The global secretariat may waive a fee, with a reason. Every entry is kept: a
mistake is voided with a reason, never edited away; a voided entry counts for nothing.

- The fee due: the assembly's fee for an international participant, 0 for a local one,
  0 once waived (a waiver not voided), 0 for a withdrawn registration.
- Paid: payments not voided, less what was refunded. Granted: grants from the chapter's
  solidarity fund (not voided).
- The status and what is still due follow from the sums alone, so the order in which
  the entries were made never changes them; paid + granted + still due = due + excess.
- A withdrawn registration owes nothing; what was paid stays on it, "to refund or keep as
  credit", until someone records the decision (a refund or a credit entry).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .assembly import RegistrationState
from .common import N_, Decision, LabelledEnum
from .roles import Role

FEE_METHODS = ("bank", "paypal", "venmo", "cash", "other")


class FeeEntryKind(LabelledEnum):
    PAYMENT = "payment", N_("Payment")
    GRANT = "grant", N_("Grant from the solidarity fund")
    WAIVER = "waiver", N_("Fee waived")
    REFUND = "refund", N_("Refunded")
    CREDIT = "credit", N_("Kept as credit")
    VOID = "void", N_("Void")


class FeeStatus(LabelledEnum):
    NO_FEE = "no_fee", N_("No fee")
    UNPAID = "unpaid", N_("Unpaid")
    PARTLY_PAID = "partly_paid", N_("Partly paid")
    PAID = "paid", N_("Paid")
    COVERED = "covered", N_("Covered by a grant")
    PARTLY_COVERED = "partly_covered", N_("Partly covered by a grant")
    WAIVED = "waived", N_("Waived")
    OVERPAID = "overpaid", N_("Overpaid")
    TO_SETTLE = "to_settle", N_("Withdrawn: to refund or keep as credit")
    REFUNDED = "refunded", N_("Withdrawn: refunded")
    CREDITED = "credited", N_("Withdrawn: kept as credit")


# What the delegates list may filter by.
OPEN_STATUSES = (FeeStatus.UNPAID, FeeStatus.PARTLY_PAID, FeeStatus.PARTLY_COVERED)


@dataclass(frozen=True)
class FeeEntry:
    """One line of a fee account, as the rules need it. `voids` names the entry a void
    cancels."""
    id: int
    kind: FeeEntryKind
    amount_cents: int = 0
    voids: int | None = None


@dataclass(frozen=True)
class FeeAccount:
    fee_cents: int          # the fee before any waiver (0 for a local participant)
    due_cents: int          # after a waiver; 0 when withdrawn
    paid_cents: int         # payments, less refunds and credits
    granted_cents: int
    still_due_cents: int
    excess_cents: int       # paid and granted beyond what is due
    waived: bool
    withdrawn: bool
    status: FeeStatus

    @property
    def covered_cents(self) -> int:
        return self.paid_cents + self.granted_cents

    @property
    def to_settle_cents(self) -> int:
        """What a withdrawn registration holds until a refund or credit is recorded."""
        return self.paid_cents if self.withdrawn else 0


def live_entries(entries: Iterable[FeeEntry]) -> list[FeeEntry]:
    """The entries that count: neither a void nor voided."""
    entries = list(entries)
    voided = {e.voids for e in entries if e.kind is FeeEntryKind.VOID}
    return [e for e in entries if e.kind is not FeeEntryKind.VOID and e.id not in voided]


def fee_of(international: bool, fee_cents: int) -> int:
    return fee_cents if international else 0


def account(entries: Iterable[FeeEntry], *, international: bool, state: RegistrationState,
            fee_cents: int) -> FeeAccount:
    live = live_entries(entries)

    def total(kind: FeeEntryKind) -> int:
        return sum(e.amount_cents for e in live if e.kind is kind)

    fee = fee_of(international, fee_cents)
    waived = any(e.kind is FeeEntryKind.WAIVER for e in live)
    withdrawn = state is RegistrationState.WITHDRAWN
    due = 0 if waived or withdrawn else fee
    settled = total(FeeEntryKind.REFUND) + total(FeeEntryKind.CREDIT)
    paid = max(total(FeeEntryKind.PAYMENT) - settled, 0)  # never refunds more than paid
    granted = total(FeeEntryKind.GRANT)
    covered = paid + granted
    still_due = max(due - covered, 0)
    excess = max(covered - due, 0)
    if withdrawn:
        if paid > 0:
            status = FeeStatus.TO_SETTLE
        elif total(FeeEntryKind.REFUND):
            status = FeeStatus.REFUNDED
        elif total(FeeEntryKind.CREDIT):
            status = FeeStatus.CREDITED
        else:
            status = FeeStatus.NO_FEE
    elif due == 0:
        status = (FeeStatus.OVERPAID if covered > 0 else
                  FeeStatus.WAIVED if waived else FeeStatus.NO_FEE)
    elif covered == 0:
        status = FeeStatus.UNPAID
    elif covered > due:
        status = FeeStatus.OVERPAID
    elif covered == due:
        status = FeeStatus.COVERED if paid == 0 else FeeStatus.PAID
    else:
        status = FeeStatus.PARTLY_COVERED if granted > 0 else FeeStatus.PARTLY_PAID
    return FeeAccount(fee, due, paid, granted, still_due, excess, waived, withdrawn, status)


# ---- who may do what -----------------------------------------------------------------------------

def may_record_payment(role: Role, amount_cents: int | None) -> Decision:
    if role not in (Role.SECRETARIAT, Role.ADMIN):
        return Decision.refuse(N_("Chapter secretariats and the global secretariat record "
                                  "payments; the chair reads them."))
    if amount_cents is None or amount_cents <= 0:
        return Decision.refuse(N_("Enter an amount above zero, such as 250 or 250.00."))
    return Decision.allow()


def may_waive(role: Role, acct: FeeAccount, reason: str) -> Decision:
    if role is not Role.ADMIN:
        return Decision.refuse(N_("Only the global secretariat waives a fee."))
    if acct.waived:
        return Decision.refuse(N_("This fee is already waived."))
    if acct.fee_cents == 0 or acct.withdrawn:
        return Decision.refuse(N_("Nothing is due: there is no fee to waive."))
    if not reason.strip():
        return Decision.refuse(N_("Say why the fee is waived."))
    return Decision.allow()


def may_void(role: Role, entry: FeeEntry | None, entries: Iterable[FeeEntry],
             reason: str) -> Decision:
    """A payment, a waiver, a refund or a credit may be voided with a reason (a grant is
    voided on the fund's page; a void is never voided)."""
    if role not in (Role.SECRETARIAT, Role.ADMIN):
        return Decision.refuse(N_("Chapter secretariats and the global secretariat void "
                                  "entries; the chair reads them."))
    if entry is None or entry.kind in (FeeEntryKind.VOID, FeeEntryKind.GRANT):
        return Decision.refuse(N_("This entry cannot be voided here."))
    if entry.kind is FeeEntryKind.WAIVER and role is not Role.ADMIN:
        return Decision.refuse(N_("Only the global secretariat voids a waiver."))
    if entry not in live_entries(entries):
        return Decision.refuse(N_("This entry is already voided."))
    if not reason.strip():
        return Decision.refuse(N_("Say why the entry is voided."))
    return Decision.allow()


def may_settle(role: Role, acct: FeeAccount) -> Decision:
    """After a withdrawal: what was paid is refunded or kept as credit, by a decision."""
    if role not in (Role.SECRETARIAT, Role.ADMIN):
        return Decision.refuse(N_("Chapter secretariats and the global secretariat record "
                                  "this decision."))
    if acct.status is not FeeStatus.TO_SETTLE:
        return Decision.refuse(N_("Only a withdrawn registration's payments are refunded or "
                                  "kept as credit."))
    return Decision.allow()
