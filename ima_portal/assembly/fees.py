"""Changes to fee accounts and solidarity funds: one function per action, given the
acting user first. Each asks `domain.fees` or `domain.fund` for the decision, adds an
entry (entries are never edited: a mistake is voided with a reason), audits and flushes;
none commits. A grant or a void locks its fund's row before reading the balance, so two
grants that together exceed it cannot both pass."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from .. import audit
from ..auth.models import User
from ..chapters.models import Chapter
from ..domain import fees as fee_rules
from ..domain import fund as fund_rules
from ..domain.common import N_, Decision
from ..domain.fees import FeeEntryKind
from ..domain.fund import FundEntryKind, GrantPurpose
from ..domain.money import format_usd
from ..extensions import db
from ..receipts import operations as receipts
from . import accounts, queries
from .models import Assembly, FeeEntry, FundEntry, Registration, SolidarityFund


@dataclass
class Done:
    """What an action did: the decision, the entry it added, and where a refusal goes."""
    decision: Decision
    entry: FeeEntry | FundEntry | None = None
    field: str | None = None


# ---- fee accounts --------------------------------------------------------------------------------

def record_payment(user: User, reg: Registration, amount_cents: int | None, method: str,
                   paid_on: date, reference: str = "") -> Done:
    decision = fee_rules.may_record_payment(user.role, amount_cents)
    if not decision:
        return Done(decision, field="amount" if fee_rules.may_record_payment(
            user.role, 1) else None)
    if method not in fee_rules.FEE_METHODS:
        return Done(Decision.refuse(N_("Choose how it was paid.")), field="method")
    entry = FeeEntry(registration_id=reg.id, kind=FeeEntryKind.PAYMENT.value,
                     amount_cents=amount_cents, method=method, paid_on=paid_on,
                     reference=reference.strip(), recorded_by_id=user.id)
    db.session.add(entry)
    db.session.flush()
    audit.record(user, "fee.payment", reg,
                 f"Recorded a fee payment of {format_usd(amount_cents)} ({method}"
                 f"{', ' + entry.reference if entry.reference else ''}) for {reg.full_name}")
    receipts.issue_for_fee(user, reg, entry)
    return Done(Decision.allow(), entry)


def waive(user: User, reg: Registration, reason: str) -> Done:
    decision = fee_rules.may_waive(user.role, accounts.account_of(reg), reason)
    if not decision:
        return Done(decision, field="reason")
    entry = FeeEntry(registration_id=reg.id, kind=FeeEntryKind.WAIVER.value,
                     reason=reason.strip(), recorded_by_id=user.id)
    db.session.add(entry)
    db.session.flush()
    audit.record(user, "fee.waive", reg, f"Waived the fee of {reg.full_name}: {entry.reason}")
    return Done(Decision.allow(), entry)


def void_fee_entry(user: User, reg: Registration, entry_id: int, reason: str) -> Done:
    book = accounts.ledger(reg)
    row = next((e for e in book.entries if e.id == entry_id), None)
    line = next((e for e in book.lines if row is not None and e.id == row.id), None)
    decision = fee_rules.may_void(user.role, line, book.lines, reason)
    if not decision:
        return Done(decision, field="reason")
    void = FeeEntry(registration_id=reg.id, kind=FeeEntryKind.VOID.value, voids_id=entry_id,
                    reason=reason.strip(), recorded_by_id=user.id)
    db.session.add(void)
    db.session.flush()
    audit.record(user, "fee.void", reg, f"Voided a fee {row.kind} of "
                 f"{format_usd(row.amount_cents)} for {reg.full_name}: {void.reason}")
    return Done(Decision.allow(), void)


def settle(user: User, reg: Registration, kind: FeeEntryKind, reason: str = "") -> Done:
    """After a withdrawal, what was paid is refunded or kept as credit (the decision)."""
    acct = accounts.account_of(reg)
    decision = fee_rules.may_settle(user.role, acct)
    if not decision or kind not in (FeeEntryKind.REFUND, FeeEntryKind.CREDIT):
        return Done(decision if not decision else Decision.refuse(N_("Choose a decision.")))
    entry = FeeEntry(registration_id=reg.id, kind=kind.value, amount_cents=acct.paid_cents,
                     reason=reason.strip(), recorded_by_id=user.id)
    db.session.add(entry)
    db.session.flush()
    audit.record(user, f"fee.{kind.value}", reg, f"{kind.label}: {format_usd(acct.paid_cents)}"
                 f" paid for the withdrawn registration of {reg.full_name}")
    return Done(Decision.allow(), entry)


@dataclass
class MarkedPaid:
    done: int = 0
    total_cents: int = 0
    skipped: list[str] = dataclass_field(default_factory=list)


def mark_paid_many(user: User, assembly: Assembly, ids: Iterable[int], reference: str,
                   method: str, paid_on: date) -> MarkedPaid:
    """Records, for each registration among `ids` that `user` may see and that still
    owes, one payment of what it still owes, all with the same reference (a bank transfer
    for several delegates). The others are named in `skipped`."""
    result = MarkedPaid()
    regs = [r for i in dict.fromkeys(ids)
            if (r := queries.registration_for(user, assembly, i)) is not None]
    owed = accounts.accounts(regs, assembly.fee_cents)
    for reg in regs:
        acct = owed[reg.id]
        if acct.still_due_cents <= 0:
            result.skipped.append(reg.full_name)
            continue
        done = record_payment(user, reg, acct.still_due_cents, method, paid_on, reference)
        if done.decision:
            result.done += 1
            result.total_cents += acct.still_due_cents
        else:
            result.skipped.append(reg.full_name)
    return result


# ---- the solidarity fund -------------------------------------------------------------------------

def save_fund(user: User, chapter: Chapter, assembly: Assembly, goal_cents: int
              ) -> tuple[Decision, SolidarityFund | None]:
    """Opens the chapter's fund for the assembly, or changes its goal."""
    decision = fund_rules.may_keep(user.role, user.chapter_id, chapter.id)
    if not decision:
        return decision, None
    fund = accounts.fund_of(chapter.id, assembly)
    if fund is None:
        fund = SolidarityFund(chapter_id=chapter.id, assembly_id=assembly.id,
                              goal_cents=goal_cents, created_by_id=user.id)
        db.session.add(fund)
        db.session.flush()
        audit.record(user, "fund.create", fund, f"Opened the solidarity fund of {chapter.code} "
                     f"for assembly {assembly.number}, goal {format_usd(goal_cents)}")
    elif fund.goal_cents != goal_cents:
        before = fund.goal_cents
        fund.goal_cents = goal_cents
        db.session.flush()
        audit.record(user, "fund.goal", fund, f"Changed the goal of the solidarity fund of "
                     f"{chapter.code}: {format_usd(before)} → {format_usd(goal_cents)}")
    return Decision.allow(), fund


def _kept(user: User, fund: SolidarityFund) -> Decision:
    return fund_rules.may_keep(user.role, user.chapter_id, fund.chapter_id)


def pledge(user: User, fund: SolidarityFund, donor: str, amount_cents: int | None,
           promised_on: date | None, anonymous: bool) -> Done:
    decision = _kept(user, fund)
    if not decision:
        return Done(decision)
    if amount_cents is None or amount_cents <= 0:
        return Done(Decision.refuse(N_("Enter an amount above zero, such as 250 or 250.00.")),
                    field="amount")
    if not donor.strip():
        return Done(Decision.refuse(N_("Enter the donor's name (it can be shown as "
                                       "anonymous).")), field="donor")
    entry = FundEntry(fund_id=fund.id, kind=FundEntryKind.PLEDGE.value,
                      amount_cents=amount_cents, donor=donor.strip(), anonymous=anonymous,
                      promised_on=promised_on, recorded_by_id=user.id)
    db.session.add(entry)
    db.session.flush()
    audit.record(user, "fund.pledge", fund, f"Pledge of {format_usd(amount_cents)} to the "
                 f"solidarity fund of {fund.chapter.code}")
    return Done(Decision.allow(), entry)


def receive(user: User, fund: SolidarityFund, amount_cents: int | None, received_on: date,
            donor: str, anonymous: bool, settles_id: int | None = None) -> Done:
    decision = _kept(user, fund)
    if not decision:
        return Done(decision)
    accounts.lock_fund(fund)  # a pledge is settled once
    decision = fund_rules.decide_receipt(accounts.fund_lines(accounts.fund_rows(fund)),
                                         amount_cents, settles_id)
    if not decision:
        return Done(decision, field="settles_id" if amount_cents and amount_cents > 0
                    else "amount")
    if settles_id and not donor.strip():
        settled = db.session.get(FundEntry, settles_id)
        donor, anonymous = settled.donor, settled.anonymous
    entry = FundEntry(fund_id=fund.id, kind=FundEntryKind.RECEIPT.value,
                      amount_cents=amount_cents, donor=donor.strip(), anonymous=anonymous,
                      received_on=received_on, settles_id=settles_id, recorded_by_id=user.id)
    db.session.add(entry)
    db.session.flush()
    audit.record(user, "fund.receipt", fund, f"Received {format_usd(amount_cents)} for the "
                 f"solidarity fund of {fund.chapter.code}")
    return Done(Decision.allow(), entry)


def grant(user: User, fund: SolidarityFund, reg: Registration | None, purpose: GrantPurpose,
          amount_cents: int | None) -> Done:
    """A grant from the fund to a registration's fee or travel; refused, with the balance,
    when it would take the fund below zero (also when another grant is made at the same
    moment: the fund's row is locked before the balance is read)."""
    decision = _kept(user, fund)
    if not decision:
        return Done(decision)
    if reg is None or reg.chapter_id != fund.chapter_id or reg.assembly_id != fund.assembly_id:
        return Done(Decision.refuse(N_("Choose one of the chapter's delegates.")),
                    field="registration_id")
    accounts.lock_fund(fund)
    decision = fund_rules.decide_grant(accounts.fund_lines(accounts.fund_rows(fund)),
                                       amount_cents)
    if not decision:
        return Done(decision, field="amount")
    entry = FundEntry(fund_id=fund.id, kind=FundEntryKind.GRANT.value,
                      amount_cents=amount_cents, registration_id=reg.id,
                      purpose=purpose.value, decided_by_id=user.id, recorded_by_id=user.id)
    db.session.add(entry)
    db.session.flush()
    audit.record(user, "fund.grant", fund, f"Granted {format_usd(amount_cents)} to "
                 f"{reg.full_name} ({purpose.value}) from the solidarity fund of "
                 f"{fund.chapter.code}")
    return Done(Decision.allow(), entry)


def void_fund_entry(user: User, fund: SolidarityFund, entry_id: int, reason: str) -> Done:
    decision = _kept(user, fund)
    if not decision:
        return Done(decision)
    accounts.lock_fund(fund)
    rows = accounts.fund_rows(fund)
    decision = fund_rules.decide_void(accounts.fund_lines(rows), entry_id, reason)
    if not decision:
        return Done(decision, field="reason")
    row = next(e for e in rows if e.id == entry_id)
    void = FundEntry(fund_id=fund.id, kind=FundEntryKind.VOID.value, voids_id=entry_id,
                     reason=reason.strip(), recorded_by_id=user.id)
    db.session.add(void)
    db.session.flush()
    audit.record(user, "fund.void", fund, f"Voided a {row.kind} of "
                 f"{format_usd(row.amount_cents)} in the solidarity fund of "
                 f"{fund.chapter.code}: {void.reason}")
    return Done(Decision.allow(), void)

