"""What each role's home page counts. Every figure is a query of what exists; what needs
doing is decided in `domain.home` from these counts (a fixed number of queries whatever
the number of rows)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..assembly import queries as assembly_queries
from ..audit.models import AuditEntry
from ..auth import queries as auth_queries
from ..auth.models import User
from ..auth.queries import failed_logins_since
from ..chapters import queries as chapter_queries
from ..chapters.models import Chapter, Region
from ..db_types import utcnow
from ..domain import home
from ..domain.money import Usd
from ..domain.roles import Role
from ..domain.statements import State
from ..extensions import db
from ..letters import queries as letter_queries
from ..members import queries as member_queries
from ..statements import queries as statement_queries
from ..statements.models import Statement


@dataclass(frozen=True)
class RegionCount:
    region: Region
    chapters: int


def chapters_per_region() -> list[RegionCount]:
    stmt = (select(Region, func.count(Chapter.id))
            .outerjoin(Chapter, Chapter.region_id == Region.id)
            .group_by(Region.id).order_by(Region.id))
    return [RegionCount(region, count) for region, count in db.session.execute(stmt)]


def users_by_role() -> dict[Role, dict[str, int]]:
    counts: dict[Role, dict[str, int]] = {r: {"active": 0, "inactive": 0} for r in Role}
    stmt = select(User.role, User.active, func.count()).group_by(User.role, User.active)
    for role, active, count in db.session.execute(stmt):
        counts[role]["active" if active else "inactive"] += count
    return counts


def recent_activity(limit: int = 8) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc(),
                                                               AuditEntry.id.desc()).limit(limit)))


def failed_logins_last_day(now: datetime | None = None) -> int:
    return failed_logins_since((now or utcnow()) - timedelta(days=1))


# ---- what needs doing -------------------------------------------------------------------------

@dataclass(frozen=True)
class Home:
    """A secretariat's home: the facts counted, the to-dos the domain makes of them, and
    what the links need (the assembly's number, the organizations to remit for, the
    chapters without a secretariat)."""
    todos: list[home.Todo]
    assembly_number: int | None
    unremitted: member_queries.UnremittedSummary
    without_secretariat: list[Chapter]


def secretariat_home(user: User, counts: dict[State, int], *, now: datetime,
                     window: timedelta, per_account: int) -> Home:
    """What needs doing for `user`: a chapter secretariat sees its own chapter's, the
    global secretariat every chapter's and its own items (`counts`: the statements
    `user` may see per state, `statements.queries.state_counts`, which the page shows
    too)."""
    assembly = assembly_queries.latest()
    owing = member_queries.owing_count(user)  # none while no dues policy is current
    unremitted = member_queries.unremitted(user)
    is_global = user.role is Role.ADMIN
    without = chapter_queries.without_secretariat() if is_global else []
    facts = home.Facts(
        owing=owing,
        pending=assembly_queries.pending_count(user, assembly) if assembly else 0,
        unremitted=unremitted.payments,
        unremitted_amount=Usd(unremitted.usd_cents),
        sent_back=counts[State.CHANGES_REQUESTED],
        assembly=home.AssemblyFacts(assembly.number, assembly.name, assembly.opens_on,
                                    assembly.deadline_on) if assembly else None,
        letters=letter_queries.requested_count(user, assembly) if is_global and assembly
        else 0,
        without_secretariat=len(without),
        held=auth_queries.held_accounts(now=now, window=window, per_account=per_account)
        if is_global else 0)
    today = now.date()
    todos = home.global_todos(facts, today) if is_global else \
        home.secretariat_todos(facts, today)
    return Home(todos, assembly.number if assembly else None, unremitted, without)


@dataclass(frozen=True)
class Waiting:
    statement: Statement
    waited: tuple[str, dict]


def waiting_for_sign_off(now: datetime) -> list[Waiting]:
    """The chair's queue as cards, the longest waiting first, each with how long it has
    waited (its current revision and issuer come in the same query)."""
    return [Waiting(s, home.waited(s.state_changed_at, now))
            for s in statement_queries.queue()]
