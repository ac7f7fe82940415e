"""Reads for the Global Assembly: the assemblies, the organizations a user registers
delegates for, the delegates list with its filters, counts and fee total, the voting roll.
Each is given the user whose chapter scope applies (`scoping.scoped`); nothing here
writes or reads `current_user`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Select, and_, bindparam, case, exists, func, or_, select
from sqlalchemy.orm import aliased, lazyload

from ..auth.models import User
from ..chapters.models import Chapter
from ..db_types import utcnow
from ..domain import assembly as rules
from ..domain.assembly import Participation, RegistrationAction, RegistrationState
from ..domain.common import N_, Decision, Reason
from ..domain.dues import MemberStatus, Standing
from ..domain.fees import FeeAccount, FeeEntryKind, FeeStatus
from ..domain.fund import FundEntryKind, GrantPurpose
from ..extensions import db
from ..members import queries as members
from ..members.models import Organization
from ..scoping import scope_of, scoped
from . import accounts
from .models import Assembly, FeeEntry, FundEntry, Registration

# ---- the assemblies ------------------------------------------------------------------------


# The assembly a page is about, asked on most pages: built once.
@cache
def _latest() -> Select:
    return select(Assembly).order_by(Assembly.first_day.desc()).limit(1)


@cache
def _by_number() -> Select:
    return select(Assembly).where(Assembly.number == bindparam("number"))


def latest() -> Assembly | None:
    return db.session.scalar(_latest())


def by_number(number: int) -> Assembly | None:
    return db.session.scalar(_by_number(), {"number": number})


def number_taken(number: int, except_id: int | None = None) -> bool:
    other = by_number(number)
    return other is not None and other.id != except_id


def policy_of(assembly: Assembly):
    return members.as_policy(assembly.dues_policy)


# ---- organizations and what the rules need to know of them -------------------------------------

def standing(assembly: Assembly, org: Organization) -> Standing:
    """The organization's standing under the assembly's dues policy."""
    return members.standing_from_ledger(org, members.ledger(org), policy_of(assembly))


def facts(assembly: Assembly, org: Organization, standing_: Standing | None = None,
          oriented: bool | None = None) -> rules.Organization:
    """The organization as the rules see it. `oriented` when the caller already knows
    (a list asks for its applicants' orientations at once)."""
    # Only an applicant's orientation matters to the rules (asked only for applicants).
    if oriented is None:
        oriented = org.status is MemberStatus.APPLICANT and members.has_orientation(org.id)
    return rules.Organization(org.membership, org.status,
                              standing_ or standing(assembly, org), org.name, oriented)


def registration_facts(reg: Registration, org_facts: rules.Organization | None = None
                       ) -> rules.Registration:
    return rules.Registration(reg.full_name, reg.participation, reg.state,
                              org_facts or facts(reg.assembly, reg.organization))


def changer(user: User, assembly: Assembly) -> rules.Changer:
    return rules.Changer(user.role, utcnow(), assembly.registration_deadline,
                         assembly.registration_opens)


def may_change(user: User, assembly: Assembly) -> Decision:
    """May `user` register delegates and change registrations for `assembly` now?"""
    return changer(user, assembly).may_change()


def actions_for(user: User, reg: Registration) -> list[RegistrationAction]:
    """What `user` may do to `reg` now (the registration's page shows these)."""
    return rules.allowed_actions(registration_facts(reg), changer(user, reg.assembly))


def organizations_for(user: User) -> list[Organization]:
    """The organizations `user` may register delegates for (their chapter's)."""
    stmt = scoped(select(Organization), Organization.chapter_id, user).order_by(
        Organization.name)
    return list(db.session.scalars(stmt).unique())


def organization_for(user: User, org_id: int | None) -> Organization | None:
    """One of the organizations `user` may register delegates for, or None."""
    if not org_id:
        return None
    org = db.session.get(Organization, org_id)
    chapter_id = scope_of(user)
    if org is None or (chapter_id is not None and org.chapter_id != chapter_id):
        return None
    return org


def registration_for(user: User, assembly: Assembly, reg_id: int) -> Registration | None:
    """A registration of `assembly` within `user`'s scope, or None."""
    reg = db.session.get(Registration, reg_id)
    chapter_id = scope_of(user)
    if reg is None or reg.assembly_id != assembly.id or (
            chapter_id is not None and reg.chapter_id != chapter_id):
        return None
    return reg


def voting_delegate(assembly: Assembly, org: Organization, *, exclude_id: int | None = None
                    ) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.assembly_id == assembly.id, Registration.organization_id == org.id,
        Registration.participation == Participation.VOTING,
        Registration.state != RegistrationState.WITHDRAWN,
        Registration.id != (exclude_id or 0)))


def choices_for(assembly: Assembly, org: Organization, *,
                current: Registration | None = None) -> dict[Participation, Decision]:
    """The rules' choices, and the vote shown as taken when the organization already has
    a voting delegate (the database refuses a second one in any case). Editing
    `current`, what it is registered as stays open even if the rules would now refuse it:
    a voting delegate who lost the vote stays flagged (and cannot be confirmed) rather
    than being dropped by an edit."""
    choices = rules.participation_choices(facts(assembly, org))
    if choices[Participation.VOTING]:
        other = voting_delegate(assembly, org, exclude_id=current.id if current else None)
        if other is not None:
            choices[Participation.VOTING] = Decision.refuse(rules.VOTING_TAKEN, org=org.name,
                                                            name=other.full_name)
    if current is not None and not choices[current.participation]:
        choices[current.participation] = Decision.allow(
            N_("Kept as registered, but flagged: %(why)s"),
            why=choices[current.participation])
    return choices


# ---- the delegates list ------------------------------------------------------------------------

@dataclass
class Filters:
    q: str = ""
    participation: str = ""
    state: str = ""
    arrival: str = ""  # an ISO date
    interpretation: str = ""
    chapter_id: int | None = None
    fee_status: str = ""  # a FeeStatus value, or "open": anything still owing


@dataclass
class Row:
    registration: Registration
    standing: Standing
    flag: Reason | None
    actions: list[RegistrationAction]
    fee_due: int  # cents
    fee: FeeAccount | None = None

    @property
    def may_confirm(self) -> bool:
        return RegistrationAction.CONFIRM in self.actions


def _filtered(stmt: Select, user: User, assembly: Assembly, filters: Filters) -> Select:
    """`stmt` over the registrations of `assembly` that `user` may see, filtered (the
    fee filter "open" included: it is a sum; the other fee statuses are not)."""
    stmt = (stmt.join(Organization, Registration.organization_id == Organization.id)
            .join(Chapter, Registration.chapter_id == Chapter.id)
            .where(Registration.assembly_id == assembly.id))
    stmt = scoped(stmt, Registration.chapter_id, user)
    if filters.q.strip():
        like = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Registration.full_name).like(like),
                              func.lower(Organization.name).like(like),
                              func.lower(Registration.email).like(like)))
    if filters.participation in {p.value for p in Participation}:
        stmt = stmt.where(Registration.participation == Participation(filters.participation))
    if filters.state in {s.value for s in RegistrationState}:
        stmt = stmt.where(Registration.state == RegistrationState(filters.state))
    elif filters.state != "all":
        stmt = stmt.where(Registration.state != RegistrationState.WITHDRAWN)
    if filters.arrival:
        try:
            stmt = stmt.where(Registration.arrival == date.fromisoformat(filters.arrival))
        except ValueError:
            pass
    if filters.interpretation:
        stmt = stmt.where(Registration.interpretation == filters.interpretation)
    if filters.chapter_id:
        stmt = stmt.where(Registration.chapter_id == filters.chapter_id)
    return stmt


def registrations_query(user: User, assembly: Assembly, filters: Filters) -> Select:
    """The registrations of `assembly` that `user` may see, filtered (by fee status in
    Python: see `delegates`)."""
    policy = policy_of(assembly)
    stmt = (select(Registration, members.paid_of_row(policy))
            .order_by(Chapter.code, Organization.name, Registration.full_name,
                      Registration.id))
    return _filtered(stmt, user, assembly, filters)


def _rows(user: User, assembly: Assembly, pairs: list, fees: dict[int, FeeAccount]
          ) -> list[Row]:
    """The rows of the list for these (registration, what its organization paid) pairs:
    standing, flag, actions (the rules, in Python: only for the rows shown)."""
    policy = policy_of(assembly)
    changer_ = changer(user, assembly)
    oriented = members.with_orientation(
        reg.organization_id for reg, _ in pairs
        if reg.organization.status is MemberStatus.APPLICANT)
    out = []
    for reg, paid in pairs:
        standing_ = members.standing_of(reg.organization, policy, paid)
        org = facts(assembly, reg.organization, standing_,
                    oriented=reg.organization_id in oriented)
        flag = rules.voting_flag(reg.participation, reg.state, org)
        out.append(Row(reg, standing_, flag,
                       rules.allowed_actions(registration_facts(reg, org), changer_),
                       rules.fee_due(reg.international, reg.state, assembly.fee_cents),
                       fees[reg.id]))
    return out


def _fee_matches(fee: FeeAccount, fee_status: str) -> bool:
    if fee_status == "open":
        return fee.still_due_cents > 0
    return fee_status in ("", fee.status.value)


def delegates(user: User, assembly: Assembly, filters: Filters) -> list[Row]:
    """The delegates list, every row (the CSV, the voting roll, the chapter's page): each
    registration with its organization's standing, the flag of a voting delegate who lost
    the vote, what `user` may do to it, and its fee."""
    pairs = list(db.session.execute(registrations_query(user, assembly, filters)).unique())
    fees = accounts.accounts([reg for reg, _ in pairs], assembly.fee_cents)
    pairs = [(reg, paid) for reg, paid in pairs if _fee_matches(fees[reg.id], filters.fee_status)]
    return _rows(user, assembly, pairs, fees)


# ---- one page of the delegates list, its totals summed by the database ---------------------------

PAGE_SIZE = 50


@dataclass
class Totals:
    """Over every registration the filters keep (not only the page shown)."""
    count: int = 0
    fee_due_cents: int = 0     # the fees they owe (`rules.fee_due`)
    still_owed_cents: int = 0  # what their fee accounts still owe (`fees.account`)
    interpretation: dict[str, int] | None = None  # interpreters needed per language


@dataclass
class DelegatesPage:
    rows: list[Row]
    number: int     # the page shown (1, ...), within the pages there are
    per_page: int
    totals: Totals


def _positive(expr):
    return case((expr > 0, expr), else_=0)


@cache
def _fee_sums():
    """Per registration, its live fee entries and fee grants summed (two subqueries, the
    same for every request: built once; SQLAlchemy's constructs are immutable, so one
    built here serves every request and thread)."""
    voids = aliased(FeeEntry)
    live_fee = ~exists().where(voids.voids_id == FeeEntry.id,
                               voids.kind == FeeEntryKind.VOID.value)

    def kind_sum(kind: FeeEntryKind):
        return func.sum(case((FeeEntry.kind == kind.value, FeeEntry.amount_cents), else_=0))
    fee_sums = (select(FeeEntry.registration_id.label("registration_id"),
                       kind_sum(FeeEntryKind.PAYMENT).label("payments"),
                       (kind_sum(FeeEntryKind.REFUND) + kind_sum(FeeEntryKind.CREDIT))
                       .label("settled"),
                       func.sum(case((FeeEntry.kind == FeeEntryKind.WAIVER.value, 1), else_=0))
                       .label("waivers"))
                .where(FeeEntry.kind != FeeEntryKind.VOID.value, live_fee)
                .group_by(FeeEntry.registration_id).subquery("fee_sums"))
    grant_voids = aliased(FundEntry)
    live_grant = ~exists().where(grant_voids.voids_id == FundEntry.id,
                                 grant_voids.kind == FundEntryKind.VOID.value)
    grant_sums = (select(FundEntry.registration_id.label("registration_id"),
                         func.sum(FundEntry.amount_cents).label("granted"))
                  .where(FundEntry.kind == FundEntryKind.GRANT.value,
                         FundEntry.purpose == GrantPurpose.FEE.value, live_grant)
                  .group_by(FundEntry.registration_id).subquery("grant_sums"))
    return fee_sums, grant_sums


def _still_due(fee_sums, grant_sums, fee_cents: int):
    waived = func.coalesce(fee_sums.c.waivers, 0) > 0
    withdrawn = Registration.state == RegistrationState.WITHDRAWN
    due = case((or_(waived, withdrawn, Registration.international.is_(False)), 0),
               else_=fee_cents)
    paid = _positive(func.coalesce(fee_sums.c.payments, 0) - func.coalesce(fee_sums.c.settled, 0))
    covered = paid + func.coalesce(grant_sums.c.granted, 0)
    return _positive(due - covered)


def _with_fee_sums(stmt: Select, fee_sums, grant_sums) -> Select:
    return (stmt.outerjoin(fee_sums, fee_sums.c.registration_id == Registration.id)
            .outerjoin(grant_sums, grant_sums.c.registration_id == Registration.id))


def _sql_fee_filter(filters: Filters) -> bool:
    """Whether the database can apply the fee filter (none, or "open": a sum)."""
    return filters.fee_status in ("", "open")


def delegates_page(user: User, assembly: Assembly, filters: Filters, page: int,
                   per_page: int = PAGE_SIZE) -> DelegatesPage:
    """One page of the delegates list and the totals over every filtered registration,
    in a number of queries that does not grow with the list: the count, the fees due,
    what is still owed and the interpretation counts are summed by the database; the
    standing, flag, actions and fee account only for the rows of the page.

    A filter by one fee status (paid, waived, ...) needs the fee rules' status, which is
    decided in Python (`domain.fees.account`): that filter reads every registration's
    account (as the list did before it had pages), then pages the rows that match."""
    if not _sql_fee_filter(filters):
        return _page_in_python(user, assembly, filters, page, per_page)
    fee_sums, grant_sums = _fee_sums()
    still_due = _still_due(fee_sums, grant_sums, assembly.fee_cents)

    def base(stmt: Select, *, sums: bool = True) -> Select:
        """`stmt` filtered; joined to the fee sums when it sums them or when the filter
        asks for what still owes (the page's rows otherwise need no sums)."""
        if sums or filters.fee_status == "open":
            stmt = _with_fee_sums(stmt, fee_sums, grant_sums)
        stmt = _filtered(stmt, user, assembly, filters)
        return stmt.where(still_due > 0) if filters.fee_status == "open" else stmt

    fee_due = case((and_(Registration.international.is_(True),
                         Registration.state != RegistrationState.WITHDRAWN),
                    assembly.fee_cents), else_=0)
    count, due_total, owed_total = db.session.execute(base(
        select(func.count(Registration.id), func.coalesce(func.sum(fee_due), 0),
               func.coalesce(func.sum(still_due), 0)).select_from(Registration))).one()
    interpretation = dict(sorted(db.session.execute(base(
        select(Registration.interpretation, func.count(Registration.id))
        .select_from(Registration)
        .where(Registration.interpretation != "",
               Registration.state != RegistrationState.WITHDRAWN)
        .group_by(Registration.interpretation), sums=False)).all()))
    pages = max(1, -(-count // per_page))
    page = min(max(page, 1), pages)
    # The page's registrations first, then what their organizations paid: a correlated
    # sum in the sorted query would be reckoned for every filtered row before the sort.
    ids = list(db.session.scalars(
        base(select(Registration.id).select_from(Registration), sums=False)
        .order_by(Chapter.code, Organization.name, Registration.full_name, Registration.id)
        .limit(per_page).offset((page - 1) * per_page)))
    pairs = _with_paid(ids, policy_of(assembly))
    fees = accounts.accounts([reg for reg, _ in pairs], assembly.fee_cents)
    return DelegatesPage(_rows(user, assembly, pairs, fees), page, per_page,
                         Totals(count, int(due_total), int(owed_total), interpretation))


def _with_paid(ids: list[int], policy) -> list:
    """(registration, what its organization paid under `policy`) for these registrations,
    in the order of `ids`."""
    if not ids:
        return []
    found = {reg.id: (reg, paid) for reg, paid in db.session.execute(
        select(Registration, members.paid_of_row(policy))
        .join(Organization, Registration.organization_id == Organization.id)
        .where(Registration.id.in_(ids))
        # The list shows the registration's chapter, not its organization's (the same
        # one) nor its region: those are read only if asked for.
        .options(lazyload(Registration.organization, Organization.chapter),
                 lazyload(Registration.organization, Organization.region))).unique()}
    return [found[i] for i in ids if i in found]  # one deleted in between: not shown


def _page_in_python(user: User, assembly: Assembly, filters: Filters, page: int,
                    per_page: int) -> DelegatesPage:
    pairs = list(db.session.execute(registrations_query(user, assembly, filters)).unique())
    fees = accounts.accounts([reg for reg, _ in pairs], assembly.fee_cents)
    pairs = [(reg, paid) for reg, paid in pairs if _fee_matches(fees[reg.id], filters.fee_status)]
    pages = max(1, -(-len(pairs) // per_page))
    page = min(max(page, 1), pages)
    regs = [reg for reg, _ in pairs]
    interpretation: dict[str, int] = {}
    for reg in regs:
        if reg.interpretation and reg.state is not RegistrationState.WITHDRAWN:
            interpretation[reg.interpretation] = interpretation.get(reg.interpretation, 0) + 1
    totals = Totals(len(regs),
                    sum(rules.fee_due(r.international, r.state, assembly.fee_cents)
                        for r in regs),
                    sum(fees[r.id].still_due_cents for r in regs),
                    dict(sorted(interpretation.items())))
    shown = pairs[(page - 1) * per_page:page * per_page]
    return DelegatesPage(_rows(user, assembly, shown, fees), page, per_page, totals)


def fee_statuses() -> list[FeeStatus]:
    return list(FeeStatus)


def fee_total(rows: list[Row]) -> int:
    """The fees the listed registrations owe (cents)."""
    return sum(row.fee_due for row in rows)


def interpretation_counts(rows: list[Row]) -> dict[str, int]:
    """Interpreters needed per language, for the registrations listed (withdrawn ones
    left out)."""
    counts: dict[str, int] = {}
    for row in rows:
        reg = row.registration
        if reg.interpretation and reg.state is not RegistrationState.WITHDRAWN:
            counts[reg.interpretation] = counts.get(reg.interpretation, 0) + 1
    return dict(sorted(counts.items()))


def eligible_without_voting_delegate(user: User, assembly: Assembly,
                                     chapter_id: int | None = None) -> list[Organization]:
    """The organizations `user` may see (of one chapter, when given) that may vote at
    `assembly` (the domain's participation choices) but have no voting delegate registered
    (withdrawn ones do not count), by chapter and name: each one a vote the roll would
    miss."""
    policy = policy_of(assembly)
    taken = (select(Registration.organization_id)
             .where(Registration.assembly_id == assembly.id,
                    Registration.participation == Participation.VOTING,
                    Registration.state != RegistrationState.WITHDRAWN))
    stmt = (select(Organization, members.paid_of_row(policy))
            .join(Chapter, Organization.chapter_id == Chapter.id)
            .where(Organization.id.not_in(taken))
            .order_by(Chapter.code, Organization.name))
    stmt = scoped(stmt, Organization.chapter_id, user)
    if chapter_id is not None:
        stmt = stmt.where(Organization.chapter_id == chapter_id)
    out = []
    for org, paid in db.session.execute(stmt).unique():
        org_facts = facts(assembly, org, members.standing_of(org, policy, paid))
        if rules.participation_choices(org_facts)[Participation.VOTING]:
            out.append(org)
    return out


def voting_roll(user: User, assembly: Assembly) -> list[Row]:
    """One row per voting delegate (not withdrawn) that `user` may see, by chapter and
    organization, with the standing that entitles it (or the flag that says it no longer
    does)."""
    return delegates(user, assembly, Filters(participation=Participation.VOTING.value))


def pending_count(user: User, assembly: Assembly) -> int:
    """How many registrations for `assembly` that `user` may see await confirmation."""
    stmt = (select(func.count(Registration.id))
            .where(Registration.assembly_id == assembly.id,
                   Registration.state == RegistrationState.PENDING))
    return db.session.scalar(scoped(stmt, Registration.chapter_id, user)) or 0
