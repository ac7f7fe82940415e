"""Changes to letters and certificates: one function per action, given the acting user.
Each asks `domain/letters.py` for the Decision, changes rows, audits, flushes; never
commits (the request, or the command line, does)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import update

from ..assembly.models import Assembly, Registration
from ..audit.services import record
from ..auth.models import User
from ..db_types import utcnow
from ..domain.assembly import RegistrationState
from ..domain.common import N_, Decision
from ..domain.letters import (
    Delegate,
    DocumentKind,
    LetterAction,
    LetterState,
    check_request,
    decide_letter,
    erasure_due,
    may_issue_certificate,
    normalize_passport_number,
)
from ..domain.roles import Role
from ..domain.statements import new_verification_code
from ..extensions import db
from . import pdf, queries
from .models import IssuedDocument


def delegate_of(reg: Registration) -> Delegate:
    return Delegate(confirmed=reg.state is RegistrationState.CONFIRMED,
                    international=reg.international,
                    withdrawn=reg.state is RegistrationState.WITHDRAWN)


def own_chapter(user: User, reg: Registration) -> bool:
    return user.chapter_id is not None and user.chapter_id == reg.chapter_id


def decide(user: User, action: LetterAction, reg: Registration,
           doc: IssuedDocument | None) -> Decision:
    return decide_letter(action, doc.state if doc else None, user.role,
                         own_chapter(user, reg), delegate_of(reg))


@dataclass
class Outcome:
    decision: Decision
    errors: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    document: IssuedDocument | None = None

    @property
    def ok(self) -> bool:
        return bool(self.decision) and not self.errors


def set_needs_letter(actor: User, reg: Registration, needs: bool) -> Decision:
    """Says whether the delegate needs a visa invitation letter (the chapter's to-do)."""
    decision = decide_letter(LetterAction.REQUEST, None, actor.role, own_chapter(actor, reg),
                             Delegate(confirmed=True, international=True,
                                      withdrawn=reg.state is RegistrationState.WITHDRAWN))
    if not decision:
        return decision
    if reg.needs_visa_letter != needs:
        reg.needs_visa_letter = needs
        record(actor, "letter.needed" if needs else "letter.not_needed", reg,
               f"{reg.full_name}: {'needs' if needs else 'does not need'} a visa letter")
        db.session.flush()
    return decision


def request_letter(actor: User, reg: Registration, *, passport_name: str, nationality: str,
                   passport_number: str, passport_expiry: date | None,
                   date_of_birth: date | None, today: date) -> Outcome:
    """Requests (or corrects, or asks again after a refusal) the letter of `reg`."""
    doc = queries.of_registration(reg, DocumentKind.LETTER)
    decision = decide(actor, LetterAction.REQUEST, reg, doc)
    if not decision:
        return Outcome(decision, document=doc)
    errors = check_request(passport_name=passport_name, nationality=nationality,
                           passport_number=passport_number, passport_expiry=passport_expiry,
                           date_of_birth=date_of_birth, departure=reg.departure, today=today)
    if errors:
        return Outcome(decision, errors, doc)
    again = doc is not None and doc.state is LetterState.REFUSED
    if doc is None:
        doc = IssuedDocument(kind=DocumentKind.LETTER, registration=reg,
                             assembly_id=reg.assembly_id, chapter_id=reg.chapter_id)
        db.session.add(doc)
    doc.state = LetterState.REQUESTED
    doc.holder_name = passport_name.strip()
    doc.nationality = nationality.strip()
    doc.passport_number = normalize_passport_number(passport_number)
    doc.passport_expiry = passport_expiry
    doc.date_of_birth = date_of_birth
    doc.organization_name = reg.organization.name
    doc.chapter_name = reg.chapter.name
    doc.stay_from, doc.stay_to = reg.arrival, reg.departure
    doc.requested_by_id, doc.requested_at = actor.id, utcnow()
    doc.reason = ""
    reg.needs_visa_letter = True
    db.session.flush()
    # The audit names what changed, never the passport data itself.
    record(actor, "letter.request_again" if again else "letter.request", doc,
           f"Visa letter requested for {reg.full_name}", registration_id=reg.id)
    db.session.flush()
    return Outcome(decision, document=doc)


def _new_code() -> str:
    while True:
        code = new_verification_code()
        if not queries.code_taken(code):
            return code


def _issue(actor: User, doc: IssuedDocument) -> None:
    reg = doc.registration
    code = _new_code()  # (asks the database: before the row changes, or it would flush)
    doc.state = LetterState.ISSUED
    doc.decided_by_id = actor.id
    doc.decided_at = doc.issued_at = utcnow()
    doc.issuer_name = actor.name
    doc.issuer_title = Role.ADMIN.label  # (English, as stored; pages show it translated)
    doc.organization_name = reg.organization.name
    doc.chapter_name = reg.chapter.name
    doc.stay_from, doc.stay_to = reg.arrival, reg.departure
    doc.verification_code = code


def _locked(doc: IssuedDocument) -> IssuedDocument:
    """`doc` read again with its row taken for this transaction, so that two members
    deciding on one letter at once decide one after the other, the second on the first's
    outcome (one code per letter). A no-op UPDATE, as for statements and funds: PostgreSQL
    locks the row (the other request waits, then reads this one's result); SQLite takes its
    database write lock."""
    db.session.execute(update(IssuedDocument).where(IssuedDocument.id == doc.id)
                       .values(state=IssuedDocument.state)
                       .execution_options(synchronize_session=False))
    db.session.refresh(doc)
    return doc


def issue_letter(actor: User, doc: IssuedDocument) -> Decision:
    """The global secretariat issues a requested letter: a verification code, the issuer's
    name, the PDF rendered and kept with its SHA-256."""
    doc = _locked(doc)
    decision = decide(actor, LetterAction.ISSUE, doc.registration, doc)
    if not decision:
        return decision
    _issue(actor, doc)
    db.session.flush()
    pdf.render(doc)
    record(actor, "letter.issue", doc, f"Visa letter issued for {doc.registration.full_name}",
           code=doc.verification_code, sha256=doc.pdf_sha256)
    db.session.flush()
    return decision


def refuse_letter(actor: User, doc: IssuedDocument, reason: str) -> Outcome:
    doc = _locked(doc)
    decision = decide(actor, LetterAction.REFUSE, doc.registration, doc)
    if not decision:
        return Outcome(decision, document=doc)
    if not reason.strip():
        return Outcome(decision, {"reason": (N_("Say why the letter is refused: the chapter "
                                                "reads it."), {})}, doc)
    doc.state = LetterState.REFUSED
    doc.reason = reason.strip()[:300]
    doc.decided_by_id, doc.decided_at = actor.id, utcnow()
    record(actor, "letter.refuse", doc, f"Visa letter refused for {doc.registration.full_name}",
           reason=doc.reason)
    db.session.flush()
    return Outcome(decision, document=doc)


def withdraw_letter(actor: User, doc: IssuedDocument, reason: str) -> Outcome:
    """The chapter cancels its request, or the global secretariat withdraws an issued
    letter (its code then answers "withdrawn")."""
    doc = _locked(doc)
    decision = decide(actor, LetterAction.WITHDRAW, doc.registration, doc)
    if not decision:
        return Outcome(decision, document=doc)
    if doc.state is LetterState.ISSUED and not reason.strip():
        return Outcome(decision, {"reason": (N_("Say why the letter is withdrawn."), {})}, doc)
    doc.state = LetterState.WITHDRAWN
    doc.reason = reason.strip()[:300]
    doc.decided_by_id, doc.decided_at = actor.id, utcnow()
    record(actor, "letter.withdraw", doc,
           f"Visa letter withdrawn for {doc.registration.full_name}", reason=doc.reason)
    db.session.flush()
    return Outcome(decision, document=doc)


# ---- certificates ---------------------------------------------------------------------------

def issue_certificate(actor: User, reg: Registration, today: date) -> Decision:
    """A certificate of attendance for one confirmed delegate (nothing if it has one)."""
    decision = may_issue_certificate(actor.role, today, reg.assembly.last_day,
                                     delegate_of(reg))
    if not decision:
        return decision
    if queries.of_registration(reg, DocumentKind.CERTIFICATE) is not None:
        return Decision.refuse(N_("%(name)s already has a certificate."), name=reg.full_name)
    doc = IssuedDocument(kind=DocumentKind.CERTIFICATE, registration=reg,
                         assembly_id=reg.assembly_id, chapter_id=reg.chapter_id,
                         holder_name=reg.full_name)
    _issue(actor, doc)
    db.session.add(doc)
    db.session.flush()
    record(actor, "certificate.issue", doc, f"Certificate of attendance for {reg.full_name}",
           code=doc.verification_code)
    db.session.flush()
    return decision


def issue_certificates(actor: User, assembly: Assembly, today: date,
                       chapter_id: int | None = None) -> tuple[int, Decision]:
    """Certificates for every confirmed delegate of the assembly (or of one chapter) who
    has none yet: how many were issued, or the refusal."""
    regs = queries.without_certificate(actor, assembly, chapter_id)
    issued = 0
    for reg in regs:
        decision = issue_certificate(actor, reg, today)
        if not decision:
            return issued, decision
        issued += 1
    return issued, Decision.allow()


def certificate_pdf(actor: User, doc: IssuedDocument) -> bytes:
    """The certificate's PDF: kept from its first rendering (recorded with its SHA-256)."""
    data = pdf.kept(doc)
    if data is None:
        data = pdf.render(doc)
        record(actor, "certificate.render", doc, f"Certificate PDF made for {doc.holder_name}",
               sha256=doc.pdf_sha256)
        db.session.flush()
    return data


# ---- erasing passport data ------------------------------------------------------------------

def erase_passport_data(actor: User | None, today: date, keep_days: int) -> int:
    """Erases the passport number, date of birth, nationality and expiry of every letter
    whose assembly ended more than `keep_days` days ago, and the kept PDF that prints them;
    the letter's record, its SHA-256 and its verification stay. Returns how many."""
    erased = 0
    for doc in queries.with_passport_data_of_assemblies_ended_before(
            today - timedelta(days=keep_days)):
        if not erasure_due(doc.assembly.last_day, today, keep_days):
            continue
        doc.nationality = doc.passport_number = None
        doc.passport_expiry = doc.date_of_birth = None
        doc.personal_data_erased_at = utcnow()
        pdf.forget(doc)
        record(actor, "letter.erase_passport_data", doc,
               f"Passport data erased for {doc.holder_name}", keep_days=keep_days)
        erased += 1
    db.session.flush()
    return erased
