"""Member organizations and their dues: the changes. Each is given the acting user, asks
`domain.dues` where a rule decides, changes rows, audits and flushes; the request's
transaction commits (the command line's, the caller)."""
from __future__ import annotations

from datetime import date

from .. import audit
from ..domain import dues, info_sessions
from ..domain.common import N_, Decision
from ..domain.money import format_usd
from ..domain.names import name_key
from ..extensions import db
from ..receipts import operations as receipts
from ..scoping import scope_of
from .models import (
    DuesEntry,
    DuesPolicyRecord,
    Organization,
    Orientation,
    Remittance,
    StatusChange,
)
from .queries import (
    existing_payment,
    is_remitted,
    is_voided,
    lock_payment,
    other_current_policies,
    reference_key,
    replaced_candidate,
)

# --- the dues policy ----------------------------------------------------------------------


def _policy_summary(p: DuesPolicyRecord) -> str:
    return (f"{p.name}: {format_usd(p.rate_cents)} a year for {p.first_year}-{p.last_year}, "
            f"payments from {p.payments_from.isoformat()}")


def make_current(actor, policy: DuesPolicyRecord) -> None:
    """Every standing is reckoned under `policy` from now on (one current policy: the
    database keeps it so with a partial unique index)."""
    for other in other_current_policies(policy):
        other.is_current = False
    db.session.flush()
    policy.is_current = True
    db.session.flush()
    audit.record(actor, "dues_policy.current", policy, f"Standing now reckoned under "
                 f"{_policy_summary(policy)}")


def create_policy(actor, *, name: str, rate_cents: int, first_year: int, last_year: int,
                  payments_from: date, current: bool) -> DuesPolicyRecord:
    dues.DuesPolicy(rate_cents, first_year, last_year, payments_from)  # the rule's checks
    policy = DuesPolicyRecord(name=name.strip(), rate_cents=rate_cents, first_year=first_year,
                              last_year=last_year, payments_from=payments_from,
                              is_current=False)
    db.session.add(policy)
    db.session.flush()
    audit.record(actor, "dues_policy.create", policy, f"Added dues policy "
                 f"{_policy_summary(policy)}")
    if current:
        make_current(actor, policy)
    return policy


# --- one organization ----------------------------------------------------------------------

def _snapshot(org: Organization) -> dict:
    return {"name": org.name, "country": org.country, "region_id": org.region_id,
            "membership": org.membership.value, "status": org.status.value,
            "joined_on": org.joined_on.isoformat() if org.joined_on else None,
            "contact_person": org.contact_person, "email": org.email, "phone": org.phone,
            "notes": org.notes}


def create_organization(actor, *, chapter_id: int, status_since: date, status_note: str = "",
                        **fields) -> Organization:
    org = Organization(chapter_id=chapter_id, status_since=status_since, **fields)
    org.name = org.name.strip()
    org.name_key = name_key(org.name)
    db.session.add(org)
    db.session.flush()
    db.session.add(StatusChange(organization=org, status=org.status, effective_on=status_since,
                                note=status_note, recorded_by_id=getattr(actor, "id", None)))
    audit.record(actor, "organization.create", org, f"Added organization {org.name}",
                 **_snapshot(org))
    return org


def update_organization(actor, org: Organization, *, status_since: date,
                        status_note: str = "", **fields) -> None:
    before = _snapshot(org)
    old_status = org.status
    for key, value in fields.items():
        setattr(org, key, value)
    org.name = org.name.strip()
    org.name_key = name_key(org.name)
    if org.status != old_status:
        org.status_since = status_since
        db.session.add(StatusChange(organization=org, status=org.status,
                                    effective_on=status_since, note=status_note,
                                    recorded_by_id=getattr(actor, "id", None)))
    audit.record_changes(actor, "organization.update", org, f"organization {org.name}",
                         before, _snapshot(org))
    db.session.flush()


# A reference already recorded in another chapter: refused without naming anything of
# that chapter's records (its organization, the date).
ELSEWHERE_REFERENCE = N_("This reference was already recorded for a payment of another "
                         "chapter. Check the reference; if it is the same payment, ask the "
                         "global secretariat.")


# --- the ledger ------------------------------------------------------------------------------

def record_payment(actor, org: Organization, *, amount_cents: int, currency: str,
                   usd_cents: int, paid_on: date, channel: str, method: str,
                   reference: str = "") -> DuesEntry | Decision:
    existing = existing_payment(method, reference)
    if existing is not None and scope_of(actor) not in (None, existing.organization.chapter_id):
        return Decision.refuse(ELSEWHERE_REFERENCE)
    if existing is not None:
        return Decision.refuse(
            N_("This %(method)s reference was already recorded on %(date)s for %(org)s."),
            method=method, date=existing.paid_on, org=existing.organization.name,
            organization_id=existing.organization_id)
    key = reference_key(reference)
    entry = DuesEntry(organization=org, kind="payment", amount_cents=amount_cents,
                      currency=currency, usd_cents=usd_cents if currency != "USD" else amount_cents,
                      paid_on=paid_on, channel=channel, method=method,
                      reference=reference.strip(), reference_key=key,
                      replaces_id=replaced_candidate(method, key) if key else None,
                      recorded_by_id=getattr(actor, "id", None))
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "dues.payment", org,
                 f"Recorded {format_usd(entry.usd_cents)} paid by {org.name} on "
                 f"{paid_on.isoformat()}", entry_id=entry.id, method=method, channel=channel)
    receipts.issue_for_dues(actor, entry)
    return entry


def mark_remitted(actor, org: Organization, payment: DuesEntry, remitted_on: date) -> Decision:
    """The chapter passed `payment` on to the global secretariat on `remitted_on`."""
    lock_payment(payment)
    of_org = payment.kind == "payment" and payment.organization_id == org.id
    decision = dues.may_remit(of_this_organization=of_org, channel=payment.channel or "",
                              voided=of_org and is_voided(payment),
                              remitted=of_org and is_remitted(payment),
                              paid_on=payment.paid_on or remitted_on, remitted_on=remitted_on,
                              today=date.today())
    if not decision:
        return decision
    db.session.add(Remittance(entry_id=payment.id, remitted_on=remitted_on,
                              recorded_by_id=getattr(actor, "id", None)))
    db.session.flush()
    audit.record(actor, "dues.remitted", org, f"Marked {format_usd(payment.usd_cents)} of "
                 f"{org.name} as remitted to the global secretariat on "
                 f"{remitted_on.isoformat()}", entry_id=payment.id)
    return Decision.allow()


def void_payment(actor, org: Organization, payment: DuesEntry, reason: str) -> Decision:
    lock_payment(payment)
    of_org = payment.kind == "payment" and payment.organization_id == org.id
    decision = dues.may_void(of_this_organization=of_org, voided=of_org and is_voided(payment),
                             remitted=of_org and is_remitted(payment), reason=reason)
    if not decision:
        return decision
    entry = DuesEntry(organization=org, kind="void", voids_id=payment.id, reason=reason.strip(),
                      recorded_by_id=getattr(actor, "id", None))
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "dues.void", org,
                 f"Voided the payment of {format_usd(payment.usd_cents)} of {org.name}: "
                 f"{reason.strip()}", entry_id=payment.id)
    return Decision.allow()


def import_organizations(actor, rows) -> int:
    """Adds the organizations of the checked rows of a CSV import (`importing.preview`'s
    valid rows); the caller's single commit makes it all or nothing."""
    for row in rows:
        create_organization(actor, status_note="imported from CSV", **dict(row.values))
    return len(rows)


# --- an applicant's orientation -------------------------------------------------------------

def record_orientation(actor, org: Organization, *, held_on: date, attended: str,
                       notes: str = "", today: date | None = None) -> Decision:
    """Records an applicant's orientation with its chapter (before it joins at the
    assembly). Kept as written: a later orientation is another record."""
    decision = info_sessions.may_record_orientation(actor.role, org.status)
    if not decision:
        return decision
    problem = info_sessions.check_orientation(held_on, today or date.today())
    if problem:
        return Decision.refuse(problem, field="held_on")
    orientation = Orientation(organization_id=org.id, held_on=held_on,
                              attended=attended.strip(), notes=notes.strip(),
                              recorded_by_id=actor.id)
    db.session.add(orientation)
    db.session.flush()
    audit.record(actor, "organization.orientation", org,
                 f"Recorded the orientation of {org.name} held on {held_on.isoformat()}",
                 held_on=held_on.isoformat(), attended=orientation.attended)
    return Decision.allow()
