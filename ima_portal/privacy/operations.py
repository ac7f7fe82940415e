"""Export and erasure of one person's data, by the global secretariat."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

import pyotp

from .. import audit
from ..auth import operations as accounts
from ..auth.credentials import hash_password
from ..auth.models import User
from ..auth.queries import active_admin_count
from ..db_types import utcnow
from ..domain.common import N_, Decision
from ..domain.privacy import ERASED_NAME, account_alias, may_erase_registration
from ..domain.roles import Role
from ..extensions import db
from ..letters import pdf as letter_pdf
from .queries import PersonData


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export(actor: User, data: PersonData) -> bytes:
    """The person's data as JSON (their own copy: the passport data of their letters
    included); audited."""
    out = {"email": data.email, "exported_at": _iso(utcnow()), "account": None,
           "registrations": [], "visa_letters_and_certificates": [], "info_sessions": [],
           "contact_person_of": []}
    if data.account is not None:
        u = data.account
        out["account"] = {"name": u.name, "email": u.email, "role": u.role.value,
                          "chapter": u.chapter.code if u.chapter else None,
                          "time_zone": u.timezone, "active": u.active,
                          "created_at": _iso(u.created_at),
                          "last_sign_in": _iso(u.last_login_at),
                          "two_factor_sign_in": u.has_second_factor}
    for r in data.registrations:
        out["registrations"].append({
            "assembly": r.assembly.name, "full_name": r.full_name, "email": r.email,
            "phone": r.phone, "organization": r.organization.name,
            "chapter": r.chapter.code, "participation": r.participation.value,
            "state": r.state.value, "international": r.international,
            "arrival": _iso(r.arrival), "departure": _iso(r.departure),
            "accommodation": r.accommodation, "interpretation": r.interpretation,
            "dietary": r.dietary, "access_needs": r.access_needs})
    for d in data.documents:
        out["visa_letters_and_certificates"].append({
            "kind": d.kind.value, "state": d.state.value, "name": d.holder_name,
            "nationality": d.nationality, "passport_number": d.passport_number,
            "passport_expiry": _iso(d.passport_expiry), "date_of_birth": _iso(d.date_of_birth),
            "issued_at": _iso(d.issued_at), "verification_code": d.verification_code})
    for s in data.info_sessions:
        out["info_sessions"].append({
            "session": s.session.title, "starts_at_utc": _iso(s.session.starts_at),
            "name": s.name, "email": s.email, "organization": s.organization,
            "interpretation": s.interpretation, "time_zone": s.timezone,
            "registered_at": _iso(s.created_at)})
    for o in data.contact_of:
        out["contact_person_of"].append({"organization": o.name, "contact_person":
                                         o.contact_person, "email": o.email,
                                         "phone": o.phone})
    audit.record(actor, "privacy.export", None,
                 f"Exported the data held about one person ({_fingerprint(data.email)})")
    return json.dumps(out, ensure_ascii=False, indent=2).encode("utf-8")


def _fingerprint(email: str) -> str:
    """What the audit log keeps of the address: enough to match a repeated request,
    not the address itself."""
    return "sha256:" + hashlib.sha256(email.encode()).hexdigest()[:16]


@dataclass
class Erasure:
    registrations: int = 0
    documents: int = 0
    info_sessions: int = 0
    contacts: int = 0
    account: bool = False


def may_erase(actor: User, data: PersonData, today: date) -> Decision:
    if actor.role is not Role.ADMIN:
        return Decision.refuse(N_("Only the global secretariat erases a person's data."))
    if data.account is not None and data.account.id == actor.id:
        return Decision.refuse(N_("You cannot erase your own account; ask another global "
                                  "secretariat member."))
    if data.account is not None and data.account.role is Role.ADMIN \
            and data.account.active and active_admin_count() <= 1:
        return Decision.refuse(N_("This is the last active global secretariat account."))
    for reg in data.registrations:
        decision = may_erase_registration(reg.state, reg.assembly.last_day, today)
        if not decision:
            return Decision.refuse(decision.reason, name=reg.full_name)
    return Decision.allow()


def erase(actor: User, data: PersonData, today: date) -> Erasure | Decision:
    """Erases the person's data except what the ledgers and the record keep
    (`domain.privacy`)."""
    decision = may_erase(actor, data, today)
    if not decision:
        return decision
    done = Erasure()
    now = utcnow()
    for reg in data.registrations:
        reg.full_name = ERASED_NAME
        reg.email = reg.phone = reg.dietary = reg.access_needs = ""
        done.registrations += 1
    for doc in data.documents:
        doc.holder_name = ERASED_NAME
        doc.nationality = doc.passport_number = None
        doc.passport_expiry = doc.date_of_birth = None
        doc.personal_data_erased_at = doc.personal_data_erased_at or now
        letter_pdf.forget(doc)
        done.documents += 1
    for signup in data.info_sessions:
        db.session.delete(signup)
        done.info_sessions += 1
    for org in data.contact_of:
        org.contact_person = org.email = org.phone = ""
        done.contacts += 1
    if data.account is not None:
        user = data.account
        user.name, user.email = account_alias(user.id)
        user.active = False
        user.password_hash = hash_password(pyotp.random_base32())  # nobody knows it
        user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
        accounts._end_all_sessions(user)
        done.account = True
    audit.record(actor, "privacy.erase", None,
                 f"Erased the data of one person ({_fingerprint(data.email)}): "
                 f"registrations {done.registrations}, letters and certificates "
                 f"{done.documents}, info session sign-ups {done.info_sessions}, "
                 f"organization contacts {done.contacts}, account "
                 f"{'yes' if done.account else 'no'}")
    db.session.flush()
    return done
