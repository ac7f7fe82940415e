"""Changes to the Global Assembly's records: one function per action, given the acting
user first. Each asks `domain.assembly` for the decision, changes the rows, audits and
flushes; none commits (the request does) and none reads `current_user`. The one voting
delegate per organization is also a database index."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from sqlalchemy.exc import IntegrityError

from .. import audit
from ..auth.models import User
from ..db_types import utcnow
from ..domain import assembly as rules
from ..domain.assembly import Participation, RegistrationState
from ..domain.common import Decision
from ..extensions import db
from ..members.models import Organization
from . import queries
from .models import Assembly, Registration

FIELDS = ("full_name", "email", "phone", "participation", "delegation_lead", "international",
          "arrival", "departure", "accommodation", "interpretation", "dietary",
          "access_needs", "offers_speaker", "offers_cultural", "offers_materials",
          "consent_list")

ASSEMBLY_FIELDS = ("number", "name", "city", "country", "first_day", "last_day", "arrive_by",
                   "leave_on", "nights_from", "checkout_on", "fee_cents", "fee_covers",
                   "registration_opens", "registration_deadline", "dues_policy_id")


@dataclass
class Outcome:
    decision: Decision
    registration: Registration | None = None
    field: str | None = None  # where to show a refusal
    errors: dict[str, Decision] = dataclass_field(default_factory=dict)  # every refusal


def _snapshot(reg: Registration) -> dict:
    return {f: (getattr(reg, f).value if hasattr(getattr(reg, f), "value")
                else getattr(reg, f).isoformat() if isinstance(getattr(reg, f), date)
                else getattr(reg, f)) for f in FIELDS}


def _check(user: User, assembly: Assembly, org: Organization, values: dict,
           current: Registration | None = None) -> Outcome:
    """Every rule at once; each refusal goes beside its field."""
    allowed = queries.may_change(user, assembly)
    if not allowed:
        return Outcome(allowed)
    errors: dict[str, Decision] = {}
    decision = queries.choices_for(assembly, org, current=current)[
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
        other = queries.voting_delegate(assembly, org)
        return Outcome(Decision.refuse(rules.VOTING_TAKEN, org=org.name,
                                       name=other.full_name if other else "?"),
                       field="participation")
    return None


def register(user: User, assembly: Assembly, org: Organization, values: dict) -> Outcome:
    """Registers a participant for one of `org`'s places (pending confirmation)."""
    outcome = _check(user, assembly, org, values)
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
    allowed = rules.decide_registration(rules.RegistrationAction.EDIT,
                                        queries.registration_facts(reg),
                                        queries.changer(user, assembly))
    if not allowed:
        return Outcome(allowed)
    outcome = _check(user, assembly, org, values, current=reg)
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
    """Confirms, sends back to pending or withdraws `reg` (the record is kept)."""
    decision = rules.decide_registration(rules.action_to(state),
                                         queries.registration_facts(reg),
                                         queries.changer(user, reg.assembly))
    if not decision or reg.state is state:
        return decision
    before = reg.state
    reg.state, reg.state_changed_at, reg.state_changed_by_id = state, utcnow(), user.id
    db.session.flush()
    audit.record(user, f"registration.{state.value}", reg,
                 f"{state.value.capitalize()} the registration of {reg.full_name} "
                 f"({before.value} → {state.value})")
    return Decision.allow()


@dataclass
class Confirmed:
    done: int = 0
    refusals: list[Decision] = dataclass_field(default_factory=list)


def confirm_many(user: User, assembly: Assembly, ids: Iterable[int]) -> Confirmed:
    """Confirms the pending registrations among `ids` that `user` may see; the others
    are left as they are. Each refusal is returned once."""
    result = Confirmed()
    for reg_id in dict.fromkeys(ids):
        reg = queries.registration_for(user, assembly, reg_id)
        if reg is None or reg.state is not RegistrationState.PENDING:
            continue
        decision = set_state(user, reg, RegistrationState.CONFIRMED)
        if decision:
            result.done += 1
        elif decision not in result.refusals:
            result.refusals.append(decision)
    return result


# ---- the assembly itself (the global secretariat) -----------------------------------------------

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
