"""Registrations for the Global Assembly: queries limited to the user's chapter, and the
changes (each flushed with its audit entry; the route commits). The rules come from
`domain.assembly`; the one voting delegate per organization is also a database index."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..auth.access import scope
from ..auth.models import User
from ..chapters.models import Chapter
from ..db_types import utcnow
from ..domain import assembly as rules
from ..domain.assembly import Participation, RegistrationState
from ..domain.common import N_, Decision
from ..domain.dues import Standing
from ..extensions import db
from ..members import queries as members
from ..members.models import Organization
from .models import Assembly, Registration

FIELDS = ("full_name", "email", "phone", "participation", "delegation_lead", "international",
          "arrival", "departure", "accommodation", "interpretation", "dietary",
          "access_needs", "offers_speaker", "offers_cultural", "offers_materials",
          "consent_list")


VOTING_TAKEN = N_("%(org)s already has a voting delegate for this assembly: %(name)s. An "
                  "organization has exactly one; register this person as a non-voting "
                  "delegate, or withdraw the other registration first.")


def latest() -> Assembly | None:
    return db.session.scalar(select(Assembly).order_by(Assembly.first_day.desc()).limit(1))


def by_number(number: int) -> Assembly | None:
    return db.session.scalar(select(Assembly).where(Assembly.number == number))


def policy_of(assembly: Assembly):
    return members.as_policy(assembly.dues_policy)


def standing(assembly: Assembly, org: Organization) -> Standing:
    """The organization's standing under the assembly's dues policy."""
    return members.standing_from_ledger(org, members.ledger(org), policy_of(assembly))


def facts(assembly: Assembly, org: Organization, standing_: Standing | None = None
          ) -> rules.Organization:
    return rules.Organization(org.membership, org.status,
                              standing_ or standing(assembly, org))


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
            choices[Participation.VOTING] = Decision.refuse(VOTING_TAKEN, org=org.name,
                                                            name=other.full_name)
    if current is not None and not choices[current.participation]:
        choices[current.participation] = Decision.allow(
            N_("Kept as registered, but flagged: %(why)s"),
            why=choices[current.participation].message())
    return choices


def voting_delegate(assembly: Assembly, org: Organization, *, exclude_id: int | None = None
                    ) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.assembly_id == assembly.id, Registration.organization_id == org.id,
        Registration.participation == Participation.VOTING,
        Registration.state != RegistrationState.WITHDRAWN,
        Registration.id != (exclude_id or 0)))


def may_change(user: User, assembly: Assembly) -> Decision:
    return rules.may_change_registrations(user.role, utcnow(), assembly.registration_deadline,
                                          assembly.registration_opens)


def organizations_for(user: User) -> list[Organization]:
    """The organizations the user may register delegates for (their chapter's)."""
    stmt = scope(select(Organization), Organization.chapter_id).order_by(Organization.name)
    return list(db.session.scalars(stmt).unique())


def _snapshot(reg: Registration) -> dict:
    return {f: (getattr(reg, f).value if hasattr(getattr(reg, f), "value")
                else getattr(reg, f).isoformat() if isinstance(getattr(reg, f), date)
                else getattr(reg, f)) for f in FIELDS}


@dataclass
class Outcome:
    decision: Decision
    registration: Registration | None = None
    field: str | None = None  # where to show a refusal
    errors: dict[str, Decision] = dataclass_field(default_factory=dict)  # every refusal



def _check(assembly: Assembly, user: User, org: Organization, values: dict,
           current: Registration | None = None) -> Outcome:
    """Every rule at once; each refusal goes beside its field."""
    allowed = may_change(user, assembly)
    if not allowed:
        return Outcome(allowed)
    errors: dict[str, Decision] = {}
    decision = choices_for(assembly, org, current=current)[
        Participation(values["participation"])]
    if not decision:
        errors["participation"] = decision
    dates = rules.check_dates(assembly.dates, values["arrival"], values["departure"],
                              accommodation=values["accommodation"])
    for name, (reason, params) in dates.errors.items():
        errors[name] = Decision.refuse(reason, **params)
    if errors:
        first_field, first = next(iter(errors.items()))
        return Outcome(first, field=first_field, errors=errors)
    return Outcome(Decision.allow())


def _flush_or_voting_taken(assembly: Assembly, org: Organization,
                           change: Callable[[], None]) -> Outcome | None:
    """Makes `change` and flushes it in a savepoint; when the database refuses a second
    voting delegate (another secretariat registered one a moment ago), undoes this change
    alone and says so instead of failing. (The change is made inside the savepoint:
    opening one flushes what is pending before it.)"""
    try:
        with db.session.begin_nested():
            change()
            db.session.flush()
    except IntegrityError:
        other = db.session.scalar(select(Registration).where(
            Registration.assembly_id == assembly.id, Registration.organization_id == org.id,
            Registration.participation == Participation.VOTING,
            Registration.state != RegistrationState.WITHDRAWN))
        return Outcome(Decision.refuse(VOTING_TAKEN, org=org.name,
                                       name=other.full_name if other else "?"),
                       field="participation")
    return None


def register(user: User, assembly: Assembly, org: Organization, values: dict) -> Outcome:
    outcome = _check(assembly, user, org, values)
    if not outcome.decision:
        return outcome
    reg = Registration(assembly_id=assembly.id, organization_id=org.id,
                       chapter_id=org.chapter_id, created_by_id=user.id,
                       state_changed_by_id=user.id,
                       **{f: values[f] for f in FIELDS})
    reg.participation = Participation(values["participation"])
    reg.full_name = values["full_name"].strip()
    refused = _flush_or_voting_taken(assembly, org, lambda: db.session.add(reg))
    if refused is not None:
        return refused
    audit.record(user, "registration.create", reg,
                 f"Registered {reg.full_name} ({reg.participation.value.replace('_', ' ')}) "
                 f"for {org.name}, assembly {assembly.number}")
    return Outcome(Decision.allow(), reg)


def update(user: User, reg: Registration, values: dict) -> Outcome:
    assembly, org = reg.assembly, reg.organization
    if reg.state is RegistrationState.WITHDRAWN:
        return Outcome(Decision.refuse(N_("This registration was withdrawn; register the "
                                          "person again instead.")))
    outcome = _check(assembly, user, org, values, current=reg)
    if not outcome.decision:
        return outcome
    before = _snapshot(reg)

    def change() -> None:
        for f in FIELDS:
            setattr(reg, f, values[f])
        reg.participation = Participation(values["participation"])

    refused = _flush_or_voting_taken(assembly, org, change)
    if refused is not None:
        return refused
    audit.record_changes(user, "registration.update", reg, f"the registration of "
                         f"{reg.full_name}", before, _snapshot(reg))
    return Outcome(Decision.allow(), reg)


def set_state(user: User, reg: Registration, state: RegistrationState) -> Decision:
    allowed = may_change(user, reg.assembly)
    if not allowed:
        return allowed
    if reg.state is state:
        return Decision.allow()
    if reg.state is RegistrationState.WITHDRAWN:
        return Decision.refuse(N_("This registration was withdrawn; register the person "
                                  "again instead."))
    if state is RegistrationState.CONFIRMED and reg.participation is Participation.VOTING:
        vote = rules.participation_choices(facts(reg.assembly, reg.organization))[
            Participation.VOTING]
        if not vote:
            return Decision.refuse(N_("%(name)s cannot be confirmed as the voting delegate of "
                                      "%(org)s: %(why)s"), name=reg.full_name,
                                   org=reg.organization.name, why=vote.message())
    before = reg.state
    reg.state, reg.state_changed_at, reg.state_changed_by_id = state, utcnow(), user.id
    db.session.flush()
    audit.record(user, f"registration.{state.value}", reg,
                 f"{state.value.capitalize()} the registration of {reg.full_name} "
                 f"({before.value} → {state.value})")
    return Decision.allow()


# ---- lists ---------------------------------------------------------------------------------

@dataclass
class Filters:
    q: str = ""
    participation: str = ""
    state: str = ""
    arrival: str = ""  # an ISO date
    interpretation: str = ""
    chapter_id: int | None = None


@dataclass
class Row:
    registration: Registration
    standing: Standing
    flag: str | None


def registrations_query(assembly: Assembly, filters: Filters) -> Select:
    policy = policy_of(assembly)
    stmt = (select(Registration, members.paid_of_row(policy))
            .join(Organization, Registration.organization_id == Organization.id)
            .join(Chapter, Registration.chapter_id == Chapter.id)
            .where(Registration.assembly_id == assembly.id)
            .order_by(Chapter.code, Organization.name, Registration.full_name))
    stmt = scope(stmt, Registration.chapter_id)
    if filters.q.strip():
        like = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Registration.full_name).like(like),
                              func.lower(Organization.name).like(like),
                              func.lower(Registration.email).like(like)))
    if filters.participation in {p.value for p in Participation}:
        stmt = stmt.where(Registration.participation == Participation(filters.participation))
    if filters.state in {s.value for s in RegistrationState}:
        stmt = stmt.where(Registration.state == RegistrationState(filters.state))
    else:
        stmt = stmt.where(Registration.state != RegistrationState.WITHDRAWN) \
            if filters.state != "all" else stmt
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


def rows(assembly: Assembly, result) -> list[Row]:
    policy = policy_of(assembly)
    out = []
    for reg, paid in result:
        standing_ = members.standing_of(reg.organization, policy, paid)
        flag = rules.voting_flag(reg.participation, reg.state,
                                 facts(assembly, reg.organization, standing_))
        out.append(Row(reg, standing_, flag))
    return out


def voting_roll(assembly: Assembly) -> list[Row]:
    """One row per voting delegate (not withdrawn), by chapter and organization, with the
    standing that entitles it (or the flag that says it no longer does)."""
    filters = Filters(participation=Participation.VOTING.value)
    stmt = registrations_query(assembly, filters)
    return rows(assembly, db.session.execute(stmt).unique())


# ---- the assembly itself (the global secretariat) -----------------------------------------------

ASSEMBLY_FIELDS = ("number", "name", "city", "country", "first_day", "last_day", "arrive_by",
                   "leave_on", "nights_from", "checkout_on", "fee_cents", "fee_covers",
                   "registration_opens", "registration_deadline", "dues_policy_id")


def number_taken(number: int, except_id: int | None = None) -> bool:
    other = by_number(number)
    return other is not None and other.id != except_id


def save_assembly(user: User, assembly: Assembly | None, values: dict) -> Assembly:
    """Creates or changes an assembly. Registration opens when its first day starts
    anywhere and closes when the deadline day has ended everywhere (see the rules)."""
    values = dict(values)
    values["registration_opens"] = rules.opening_moment(values["registration_opens"])
    values["registration_deadline"] = rules.deadline_moment(values["registration_deadline"])
    if assembly is None:
        assembly = Assembly(**values)
        db.session.add(assembly)
        db.session.flush()
        audit.record(user, "assembly.create", assembly,
                     f"Added the {assembly.name} ({assembly.city}, {assembly.first_day})")
        return assembly

    def snapshot() -> dict:
        return {f: str(getattr(assembly, f)) for f in ASSEMBLY_FIELDS}
    before = snapshot()
    for name, value in values.items():
        setattr(assembly, name, value)
    db.session.flush()
    audit.record_changes(user, "assembly.update", assembly, f"the {assembly.name}", before,
                         snapshot())
    return assembly
