"""Reads of the money around an assembly: a registration's fee account (its fee entries
and the fund grants that pay for it, voids included) and a chapter's solidarity fund.
The rules are in `domain.fees` and `domain.fund`; this module turns rows into their
entries. Nothing here writes (except `lock_fund`, which takes the fund's row) or reads
`current_user`; the caller has checked the user's scope."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update

from ..domain import fees as fee_rules
from ..domain import fund as fund_rules
from ..domain.fees import FeeEntryKind
from ..domain.fund import FundEntryKind, GrantPurpose
from ..domain.roles import Role
from ..extensions import db
from .models import Assembly, FeeEntry, FundEntry, Registration, SolidarityFund

# ---- fee accounts --------------------------------------------------------------------------------


def _fee_lines(fee_rows: Iterable[FeeEntry], grants: Iterable[FundEntry],
               grant_voids: Iterable[FundEntry]) -> list[fee_rules.FeeEntry]:
    """Fee entries keep their ids; a fund's grant and its void take negative ids (two
    tables, one account)."""
    lines = [fee_rules.FeeEntry(e.id, FeeEntryKind(e.kind), e.amount_cents, e.voids_id)
             for e in fee_rows]
    lines += [fee_rules.FeeEntry(-g.id, FeeEntryKind.GRANT, g.amount_cents) for g in grants]
    lines += [fee_rules.FeeEntry(-v.id, FeeEntryKind.VOID, 0, -(v.voids_id or 0))
              for v in grant_voids]
    return lines


@dataclass
class FeeLedger:
    """Everything one registration's fee page shows."""
    account: fee_rules.FeeAccount
    entries: list[FeeEntry]       # fee entries, oldest first
    grants: list[FundEntry]       # fee grants from the fund, oldest first
    voided: set[int]              # ids of voided fee entries
    voided_grants: set[int]
    void_of: dict[int, FeeEntry]  # the void entry of each voided fee entry
    lines: list[fee_rules.FeeEntry]


def _grants(reg_ids: list[int]) -> tuple[list[FundEntry], list[FundEntry]]:
    if not reg_ids:
        return [], []
    grants = list(db.session.scalars(select(FundEntry).where(
        FundEntry.kind == FundEntryKind.GRANT.value,
        FundEntry.purpose == GrantPurpose.FEE.value,
        FundEntry.registration_id.in_(reg_ids)).order_by(FundEntry.id)))
    ids = [g.id for g in grants]
    voids = list(db.session.scalars(select(FundEntry).where(
        FundEntry.kind == FundEntryKind.VOID.value, FundEntry.voids_id.in_(ids)))) if ids else []
    return grants, voids


def ledger(reg: Registration) -> FeeLedger:
    rows = list(db.session.scalars(select(FeeEntry).where(
        FeeEntry.registration_id == reg.id).order_by(FeeEntry.recorded_at, FeeEntry.id)))
    grants, grant_voids = _grants([reg.id])
    lines = _fee_lines(rows, grants, grant_voids)
    acct = fee_rules.account(lines, international=reg.international, state=reg.state,
                             fee_cents=reg.assembly.fee_cents)
    void_of = {e.voids_id: e for e in rows if e.voids_id}
    return FeeLedger(acct, rows, grants, set(void_of), {v.voids_id for v in grant_voids},
                     void_of, lines)


def accounts(regs: list[Registration], fee_cents: int) -> dict[int, fee_rules.FeeAccount]:
    """The fee account of each registration, in three queries whatever their number."""
    ids = [r.id for r in regs]
    rows: dict[int, list[FeeEntry]] = {i: [] for i in ids}
    if ids:
        for entry in db.session.scalars(select(FeeEntry).where(
                FeeEntry.registration_id.in_(ids))):
            rows[entry.registration_id].append(entry)
    grants, voids = _grants(ids)
    grants_of: dict[int, list[FundEntry]] = {i: [] for i in ids}
    for g in grants:
        grants_of[g.registration_id].append(g)
    granted_ids = {g.id: g.registration_id for g in grants}
    voids_of: dict[int, list[FundEntry]] = {i: [] for i in ids}
    for v in voids:
        voids_of[granted_ids[v.voids_id]].append(v)
    return {r.id: fee_rules.account(_fee_lines(rows[r.id], grants_of[r.id], voids_of[r.id]),
                                    international=r.international, state=r.state,
                                    fee_cents=fee_cents)
            for r in regs}


def account_of(reg: Registration) -> fee_rules.FeeAccount:
    return accounts([reg], reg.assembly.fee_cents)[reg.id]


# ---- the solidarity fund -------------------------------------------------------------------------

def fund_of(chapter_id: int, assembly: Assembly) -> SolidarityFund | None:
    return db.session.scalar(select(SolidarityFund).where(
        SolidarityFund.chapter_id == chapter_id, SolidarityFund.assembly_id == assembly.id))


def funds_of(assembly: Assembly) -> list[SolidarityFund]:
    return list(db.session.scalars(select(SolidarityFund).where(
        SolidarityFund.assembly_id == assembly.id).order_by(SolidarityFund.chapter_id)))


def lock_fund(fund: SolidarityFund) -> None:
    """Takes the fund's row for this transaction before its balance is read, so that two
    grants (or a grant and a void) decide one after the other on the latest committed
    entries. PostgreSQL locks the row (the other request waits, then reads this one's
    grant); SQLite takes its database write lock."""
    db.session.execute(update(SolidarityFund).where(SolidarityFund.id == fund.id)
                       .values(id=SolidarityFund.id)
                       .execution_options(synchronize_session=False))


def fund_rows(fund: SolidarityFund) -> list[FundEntry]:
    return list(db.session.scalars(select(FundEntry).where(FundEntry.fund_id == fund.id)
                                   .order_by(FundEntry.id)))


def fund_lines(rows: Iterable[FundEntry]) -> list[fund_rules.FundEntry]:
    return [fund_rules.FundEntry(e.id, FundEntryKind(e.kind), e.amount_cents, e.voids_id,
                                 e.settles_id) for e in rows]


@dataclass
class FundView:
    """A fund as one reader sees it: the sums, and each line with the donor's name as
    that reader may see it (None: "Anonymous")."""
    fund: SolidarityFund
    sums: fund_rules.FundSums
    pledges: list[FundEntry]
    receipts: list[FundEntry]
    grants: list[FundEntry]
    voided: set[int]
    void_of: dict[int, FundEntry]
    settled: set[int]            # pledges settled by a receipt not voided
    sees_donors: bool

    @property
    def balance_cents(self) -> int:
        return self.sums.balance_cents

    @property
    def percent(self) -> int:
        return fund_rules.progress_percent(self.sums.received_cents, self.fund.goal_cents)

    def donor(self, entry: FundEntry) -> str | None:
        return fund_rules.donor_shown(entry.donor, entry.anonymous, self.sees_donors)

    def open_pledges(self) -> list[FundEntry]:
        return [p for p in self.pledges if p.id not in self.voided and p.id not in self.settled]


def fund_view(fund: SolidarityFund, role: Role, chapter_id: int | None) -> FundView:
    rows = fund_rows(fund)
    void_of = {e.voids_id: e for e in rows if e.kind == FundEntryKind.VOID.value}
    voided = set(void_of)

    def kind(k: FundEntryKind) -> list[FundEntry]:
        return [e for e in rows if e.kind == k.value]
    settled = {e.settles_id for e in kind(FundEntryKind.RECEIPT)
               if e.settles_id and e.id not in voided}
    return FundView(fund, fund_rules.sums(fund_lines(rows)), kind(FundEntryKind.PLEDGE),
                    kind(FundEntryKind.RECEIPT), kind(FundEntryKind.GRANT), voided, void_of,
                    settled, fund_rules.sees_donors(role, chapter_id, fund.chapter_id))


def balance(fund: SolidarityFund) -> int:
    return fund_rules.balance(fund_lines(fund_rows(fund)))


def grantable_registrations(fund: SolidarityFund) -> list[Registration]:
    """The registrations a fund may pay for: its chapter's, for its assembly, not
    withdrawn."""
    from ..domain.assembly import RegistrationState
    return list(db.session.scalars(select(Registration).where(
        Registration.chapter_id == fund.chapter_id,
        Registration.assembly_id == fund.assembly_id,
        Registration.state != RegistrationState.WITHDRAWN).order_by(Registration.full_name)))
