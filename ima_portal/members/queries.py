"""Member organizations and their dues: reads, limited to the chapter of the user they are
given (never the signed-in user's: the command line and the worker call them too)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from ..domain import dues
from ..domain.common import N_
from ..domain.dues import MembershipType, MemberStatus, Standing
from ..domain.names import name_key
from ..extensions import db
from ..scoping import Actor, scoped
from .models import (
    DuesBalance,
    DuesEntry,
    DuesPolicyRecord,
    Organization,
    Orientation,
    Remittance,
)

# --- the dues policy ----------------------------------------------------------------------


@cache
def _current_policy() -> Select:
    return select(DuesPolicyRecord).where(DuesPolicyRecord.is_current)


def current_policy_record() -> DuesPolicyRecord:
    record = db.session.scalar(_current_policy())
    if record is None:
        raise LookupError("no current dues policy")
    return record


def all_policies() -> list[DuesPolicyRecord]:
    return list(db.session.scalars(select(DuesPolicyRecord).order_by(
        DuesPolicyRecord.first_year.desc(), DuesPolicyRecord.id.desc())))


def other_current_policies(policy: DuesPolicyRecord) -> list[DuesPolicyRecord]:
    """The policies marked current besides `policy` (none once it is made current)."""
    return list(db.session.scalars(select(DuesPolicyRecord).where(
        DuesPolicyRecord.is_current, DuesPolicyRecord.id != policy.id)))


def as_policy(record: DuesPolicyRecord) -> dues.DuesPolicy:
    return dues.DuesPolicy(rate_cents=record.rate_cents, first_year=record.first_year,
                           last_year=record.last_year, payments_from=record.payments_from)


# --- what an organization has paid, in SQL ---------------------------------------------

def _not_voided():
    void = aliased(DuesEntry)
    return ~exists().where(void.voids_id == DuesEntry.id)


STANDING_FILTERS = {
    "good": N_("In good standing"),
    "owing": N_("Owing dues"),
    "votes": N_("May vote"),
    "no-vote": N_("May not vote"),
}

SORTS = {
    "name": N_("Name"),
    "country": N_("Country"),
    "chapter": N_("Chapter"),
    "owed": N_("Most owed first"),
    "recent": N_("Recently added"),
}


@dataclass
class Row:
    organization: Organization
    standing: Standing


@dataclass
class Filters:
    q: str = ""
    chapter_id: int | None = None
    region_id: int | None = None
    membership: str = ""
    status: str = ""
    standing: str = ""
    sort: str = "name"


def paid_of_row(policy: dues.DuesPolicy):
    """What one organization paid, as a correlated subquery: computed only for the rows
    a page shows (the index on organization_id makes each a small lookup)."""
    return (select(func.coalesce(func.sum(DuesEntry.usd_cents), 0))
            .where(DuesEntry.organization_id == Organization.id, DuesEntry.kind == "payment",
                   DuesEntry.paid_on >= policy.payments_from, _not_voided())
            .correlate(Organization).scalar_subquery())


def organizations_query(user: Actor, filters: Filters) -> Select:
    """Organizations `user` may see, with what they paid under the current policy,
    filtered and sorted: what each owes and paid under it is its kept balance
    (`DuesBalance`), so filtering or sorting by standing sums no ledger. (An assembly's
    own policy, if another, is reckoned from the ledger: `paid_of_row`.)"""
    due, paid_col = DuesBalance.due_cents, DuesBalance.paid_cents
    stmt = _filtered(select(Organization, paid_col.label("paid"))
                     .join(DuesBalance, DuesBalance.organization_id == Organization.id),
                     user, filters)
    order = {
        "country": (func.lower(Organization.country), Organization.name_key),
        "chapter": (Organization.chapter_id, Organization.name_key),
        "owed": ((due - paid_col).desc(), Organization.name_key),
        "recent": (Organization.id.desc(),),
    }.get(filters.sort, (Organization.name_key,))
    return stmt.order_by(*order, Organization.id)


def organizations_count(user: Actor, filters: Filters) -> Select:
    """How many rows `organizations_query` has: the balances are joined only when the
    standing filter reads them (every organization has one, so the count is the same;
    PostgreSQL read the whole table of balances to join it for the count)."""
    stmt = select(func.count()).select_from(Organization)
    if filters.standing in STANDING_FILTERS:
        stmt = stmt.join(DuesBalance, DuesBalance.organization_id == Organization.id)
    return _filtered(stmt, user, filters)


def _filtered(stmt: Select, user: Actor, filters: Filters) -> Select:
    stmt = scoped(stmt, Organization.chapter_id, user)
    if filters.q.strip():
        like = f"%{name_key(filters.q)}%"
        stmt = stmt.where(or_(Organization.name_key.like(like),
                              func.lower(Organization.country).like(f"%{filters.q.strip().lower()}%")))
    if filters.chapter_id:
        stmt = stmt.where(Organization.chapter_id == filters.chapter_id)
    if filters.region_id:
        stmt = stmt.where(Organization.region_id == filters.region_id)
    if filters.membership in {m.value for m in MembershipType}:
        stmt = stmt.where(Organization.membership == MembershipType(filters.membership))
    if filters.status in {s.value for s in MemberStatus}:
        stmt = stmt.where(Organization.status == MemberStatus(filters.status))
    good = DuesBalance.paid_cents >= DuesBalance.due_cents
    votes = and_(good, Organization.membership == MembershipType.REGULAR,
                 Organization.status == MemberStatus.ACTIVE)
    if filters.standing == "good":
        stmt = stmt.where(good)
    elif filters.standing == "owing":
        stmt = stmt.where(~good)
    elif filters.standing == "votes":
        stmt = stmt.where(votes)
    elif filters.standing == "no-vote":
        stmt = stmt.where(~votes)
    return stmt


def rows(result, policy: dues.DuesPolicy) -> list[Row]:
    return [Row(org, standing_of(org, policy, paid)) for org, paid in result]


def standing_of(org: Organization, policy: dues.DuesPolicy, paid_cents: int) -> Standing:
    return dues.standing_from_total(int(paid_cents or 0), policy, membership=org.membership,
                                    status=org.status, status_since=org.status_since,
                                    joined_on=org.joined_on)


def search_standing(user: Actor, q: str, policy: dues.DuesPolicy, limit: int = 12
                    ) -> list[Row]:
    """The dues check: organizations whose name or country matches, with their standing,
    in one query whatever their number."""
    if not q.strip():
        return []
    stmt = organizations_query(user, Filters(q=q)).limit(limit)
    return rows(db.session.execute(stmt).unique(), policy)


# --- one organization ----------------------------------------------------------------------

def ledger(org: Organization) -> list[DuesEntry]:
    return list(db.session.scalars(select(DuesEntry).where(DuesEntry.organization_id == org.id)
                                   .order_by(DuesEntry.id)))


def voided_ids(entries: list[DuesEntry]) -> dict[int, DuesEntry]:
    """Payment id -> the entry that voided it."""
    return {e.voids_id: e for e in entries if e.kind == "void" and e.voids_id}


def standing_from_ledger(org: Organization, entries: list[DuesEntry],
                         policy: dues.DuesPolicy) -> Standing:
    voided = voided_ids(entries)
    payments = [dues.Payment(e.usd_cents, e.paid_on) for e in entries
                if e.kind == "payment" and e.id not in voided]
    return dues.standing(payments, policy, membership=org.membership, status=org.status,
                         status_since=org.status_since, joined_on=org.joined_on)


def find_duplicate(chapter_id: int, name: str, *, except_id: int | None = None
                   ) -> Organization | None:
    stmt = select(Organization).where(Organization.chapter_id == chapter_id,
                                      Organization.name_key == name_key(name))
    if except_id is not None:
        stmt = stmt.where(Organization.id != except_id)
    return db.session.scalar(stmt)


# --- the ledger ------------------------------------------------------------------------------

def reference_key(reference: str) -> str:
    return " ".join(reference.split()).casefold()


def existing_payment(method: str, reference: str) -> DuesEntry | None:
    """The live (not voided) payment with this method and reference, if any."""
    key = reference_key(reference)
    if not key:
        return None
    return db.session.scalar(select(DuesEntry).where(
        DuesEntry.kind == "payment", DuesEntry.method == method,
        DuesEntry.reference_key == key, _not_voided()))


def replaced_candidate(method: str, key: str) -> int | None:
    """The newest voided payment with this method and reference that nothing replaces yet:
    a new entry with the same reference replaces it."""
    replaced = aliased(DuesEntry)
    return db.session.scalar(
        select(DuesEntry.id).where(
            DuesEntry.kind == "payment", DuesEntry.method == method,
            DuesEntry.reference_key == key,
            ~exists().where(replaced.replaces_id == DuesEntry.id))
        .order_by(DuesEntry.id.desc()).limit(1))


def remittances(entries: list[DuesEntry]) -> dict[int, Remittance]:
    """Payment id -> its remittance, for the payments shown."""
    ids = [e.id for e in entries if e.kind == "payment"]
    if not ids:
        return {}
    return {r.entry_id: r for r in db.session.scalars(
        select(Remittance).where(Remittance.entry_id.in_(ids)))}




def lock_payment(payment: DuesEntry) -> None:
    """Holds `payment` until the transaction ends (PostgreSQL; SQLite has one writer at
    a time): a void and a remittance of the same payment, at the same moment, follow
    one another, and the second sees the first."""
    db.session.execute(select(DuesEntry.id).where(DuesEntry.id == payment.id)
                       .with_for_update())


def is_voided(payment: DuesEntry) -> bool:
    return db.session.scalar(select(DuesEntry.id).where(DuesEntry.voids_id == payment.id)) \
        is not None


def is_remitted(payment: DuesEntry) -> bool:
    return db.session.scalar(select(Remittance.id).where(Remittance.entry_id == payment.id)) \
        is not None


def all_rows(user: Actor, filters: Filters) -> list[Row]:
    """Every organization of the list as filtered (for the CSV exports: every page),
    with its standing under the current policy."""
    policy = as_policy(current_policy_record())
    result = db.session.execute(organizations_query(user, filters)).unique()
    return rows(result, policy)


# --- an applicant's orientation -------------------------------------------------------------

def orientations(org_id: int) -> list[Orientation]:
    """An organization's recorded orientations, the latest first."""
    return list(db.session.scalars(select(Orientation).where(
        Orientation.organization_id == org_id).order_by(Orientation.held_on.desc(),
                                                        Orientation.id.desc())))


def has_orientation(org_id: int) -> bool:
    return db.session.scalar(select(Orientation.id).where(
        Orientation.organization_id == org_id).limit(1)) is not None


def with_orientation(org_ids: Iterable[int]) -> set[int]:
    """Which of these organizations have a recorded orientation (one query for a list,
    where `has_orientation` would ask once a row)."""
    ids = set(org_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Orientation.organization_id).where(
        Orientation.organization_id.in_(ids)).distinct()))


# --- what a home page counts ------------------------------------------------------------------

def owing_count(user: Actor) -> int:
    """How many organizations `user` may see owe dues under the current policy (the
    list's "Owing dues" filter, counted over the kept balances in one query; none while
    no policy is current)."""
    stmt = select(func.count()).select_from(DuesBalance).where(
        DuesBalance.paid_cents < DuesBalance.due_cents)
    return db.session.scalar(scoped(stmt, DuesBalance.chapter_id, user)) or 0


@dataclass(frozen=True)
class Unremitted:
    organization_id: int
    name: str
    payments: int
    usd_cents: int


@dataclass(frozen=True)
class UnremittedSummary:
    """The live payments through a chapter not yet remitted, over the organizations a
    user may see: how many, how much, from how many organizations, and the first few of
    those organizations by name."""
    payments: int
    usd_cents: int
    organizations: int
    first: list[Unremitted]


def unremitted(user: Actor, *, first: int = 5) -> UnremittedSummary:
    """Two queries over the kept balances, whatever the size of the ledger."""
    totals = scoped(select(func.count(), func.sum(DuesBalance.unremitted_payments),
                           func.sum(DuesBalance.unremitted_cents))
                    .where(DuesBalance.unremitted_payments > 0),
                    DuesBalance.chapter_id, user)
    organizations, payments, cents = db.session.execute(totals).one()
    listed = scoped(select(Organization.id, Organization.name,
                           DuesBalance.unremitted_payments, DuesBalance.unremitted_cents)
                    .join(DuesBalance, DuesBalance.organization_id == Organization.id)
                    .where(DuesBalance.unremitted_payments > 0)
                    .order_by(Organization.name_key, Organization.id).limit(first),
                    Organization.chapter_id, user)
    return UnremittedSummary(
        int(payments or 0), int(cents or 0), int(organizations or 0),
        [Unremitted(*row) for row in db.session.execute(listed)])
