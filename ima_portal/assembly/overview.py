"""The chapter's assembly page, read: its delegates counted by participation and state,
its fees summed, its solidarity fund against the goal and what still needs doing
(`domain.readiness`), and the registrations a badge sheet prints. Reads only, given the
user whose scope applies (the caller has checked that the user may see the chapter)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..auth.models import User
from ..chapters.models import Chapter
from ..domain import readiness
from ..domain.assembly import RegistrationState
from ..domain.fund import may_keep
from ..domain.roles import Role
from ..extensions import db
from ..letters import queries as letter_queries
from ..members.models import Organization
from ..scoping import scope_of, scoped
from . import accounts, queries
from .models import Assembly, Registration, SolidarityFund


@dataclass
class ChapterOverview:
    assembly: Assembly
    chapter: Chapter
    counts: readiness.Counts
    fees: readiness.FeeTotals
    fund: SolidarityFund | None
    fund_view: accounts.FundView | None
    todos: list[readiness.Todo]
    deadline_near: bool


def chapter_for(user: User, code: str) -> Chapter | None:
    """The chapter `code` if `user` may see it (a secretariat: their own only)."""
    chapter = db.session.scalar(select(Chapter).where(Chapter.code == code))
    scope = scope_of(user)
    if chapter is None or (scope is not None and chapter.id != scope):
        return None
    return chapter


def chapters_for(user: User) -> list[Chapter]:
    scope = scope_of(user)
    stmt = select(Chapter).order_by(Chapter.code)
    if scope is not None:
        stmt = stmt.where(Chapter.id == scope)
    return list(db.session.scalars(stmt))


def counts_by_chapter(user: User, assembly: Assembly) -> dict[int, readiness.Counts]:
    """Each chapter's registrations by participation and state, in one query."""
    stmt = scoped(select(Registration.chapter_id, Registration.participation,
                         Registration.state, func.count())
                  .where(Registration.assembly_id == assembly.id)
                  .group_by(Registration.chapter_id, Registration.participation,
                            Registration.state), Registration.chapter_id, user)
    pairs: dict[int, list] = {}
    for chapter_id, participation, state, n in db.session.execute(stmt):
        pairs.setdefault(chapter_id, []).extend([(participation, state)] * n)
    return {chapter_id: readiness.counts(p) for chapter_id, p in pairs.items()}


def registration_facts(row: queries.Row, needing_letter: frozenset[int] = frozenset()
                       ) -> readiness.RegistrationFacts:
    """The facts of one registration the rules read; `needing_letter`: the registrations
    that need a visa letter nobody requested yet (`letters.queries`)."""
    reg = row.registration
    return readiness.RegistrationFacts(
        reg.id, reg.full_name, reg.organization.name, reg.participation, reg.state,
        reg.arrival, reg.departure, accommodation=reg.accommodation,
        international=reg.international,
        still_due_cents=row.fee.still_due_cents if row.fee else 0, vote_lost=row.flag,
        needs_visa_letter=reg.needs_visa_letter,
        visa_letter_requested=reg.id not in needing_letter,
        organization_id=reg.organization_id)


def chapter_overview(user: User, assembly: Assembly, chapter: Chapter,
                     today: date) -> ChapterOverview:
    rows = queries.delegates(user, assembly,
                             queries.Filters(state="all", chapter_id=chapter.id))
    missing = queries.eligible_without_voting_delegate(user, assembly, chapter.id)
    orgs = [readiness.OrganizationFacts(org.id, org.name, True, False) for org in missing]
    needing_letter = frozenset(letter_queries.needing_letter_ids(user, assembly))
    todos = readiness.todos(orgs, [registration_facts(row, needing_letter) for row in rows],
                            dates=assembly.dates, today=today,
                            deadline_on=assembly.deadline_on)
    fund = accounts.fund_of(chapter.id, assembly)
    view = accounts.fund_view(fund, user.role, user.chapter_id) if fund else None
    return ChapterOverview(
        assembly, chapter,
        readiness.counts((row.registration.participation, row.registration.state)
                         for row in rows),
        readiness.fee_totals([row.fee for row in rows if row.fee is not None]),
        fund, view, todos, readiness.deadline_near(today, assembly.deadline_on))


def may_open_fund(user: User, chapter: Chapter) -> bool:
    return bool(may_keep(user.role, user.chapter_id, chapter.id))


# ---- name badges ---------------------------------------------------------------------------------

BADGE_STATES = (RegistrationState.CONFIRMED, RegistrationState.PENDING)


def badge_registrations(user: User, assembly: Assembly, chapter: Chapter
                        ) -> list[Registration]:
    """The chapter's registrations that get a badge: confirmed and pending (withdrawn
    left out), by organization and name."""
    stmt = (select(Registration)
            .join(Organization, Registration.organization_id == Organization.id)
            .where(Registration.assembly_id == assembly.id,
                   Registration.chapter_id == chapter.id,
                   Registration.state.in_(BADGE_STATES))
            .order_by(Organization.name, Registration.full_name))
    return list(db.session.scalars(scoped(stmt, Registration.chapter_id, user)).unique())


def badge_registration(user: User, assembly: Assembly, reg_id: int) -> Registration | None:
    """One registration's badge: within `user`'s scope and not withdrawn."""
    reg = queries.registration_for(user, assembly, reg_id)
    if reg is None or reg.state not in BADGE_STATES:
        return None
    return reg


def sees_every_chapter(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.CHAIR)
