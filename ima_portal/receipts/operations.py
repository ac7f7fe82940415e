"""Issuing a receipt when a payment is recorded (called by the members' and the fees'
`record_payment`, in the same transaction): what it will print is copied onto its row,
with a verification code; once the change commits, the worker renders its PDF and, when
the organization has a contact e-mail, sends it there (`tasks.send_receipt`)."""
from __future__ import annotations

from flask import current_app

from .. import audit
from ..assembly.models import FeeEntry, Registration
from ..domain import dues
from ..domain import receipts as rules
from ..domain.receipts import ReceiptKind
from ..domain.statements import new_verification_code
from ..extensions import db
from ..members.models import DuesEntry, Organization
from ..members.queries import as_policy, current_policy_record
from ..queue import enqueue_after_commit
from . import queries
from .models import Receipt
from .tasks import send_receipt


def _new_code() -> str:
    while True:
        code = new_verification_code()
        if not queries.code_taken(code):
            return code


def _language(org: Organization) -> str:
    return rules.receipt_language(org.language, queries.secretariat_language(org.chapter_id),
                                  current_app.config.get("LANGUAGES", ["en"]))


def _issue(actor, org: Organization, **fields) -> Receipt:
    code = _new_code()
    language = _language(org)
    receipt = Receipt(organization_id=org.id, chapter_id=org.chapter_id,
                      verification_code=code, language=language,
                      organization_name=org.name, chapter_name=org.chapter.name,
                      recorded_by_name=getattr(actor, "name", "") or "",
                      email=org.email or "", **fields)
    db.session.add(receipt)
    db.session.flush()
    audit.record(actor, "receipt.issue", org, f"Receipt {receipt.code_display} for "
                 f"{org.name}", code=code, kind=receipt.kind.value)
    enqueue_after_commit(send_receipt, receipt.id)
    return receipt


def issue_for_dues(actor, entry: DuesEntry) -> Receipt:
    """The receipt of a dues payment: the years it pays for (oldest unpaid first)."""
    org = entry.organization
    years, credit = "", 0
    try:
        policy = as_policy(current_policy_record())
    except LookupError:
        policy = None
    if policy is not None and entry.paid_on >= policy.payments_from:
        owed = dues.due_years(policy, org.joined_on) \
            if org.status is not dues.MemberStatus.APPLICANT else []
        before = queries.dues_paid_before(entry, policy.payments_from)
        years = dues.year_ranges(rules.years_covered(owed, policy.rate_cents, before,
                                                     entry.usd_cents))
        credit = rules.credit_cents(owed, policy.rate_cents, before, entry.usd_cents)
    return _issue(actor, org, kind=ReceiptKind.DUES, dues_entry_id=entry.id,
                  amount_cents=entry.amount_cents, currency=entry.currency,
                  usd_cents=entry.usd_cents, paid_on=entry.paid_on, method=entry.method,
                  reference=entry.reference, years=years, credit_cents=credit)


def issue_for_fee(actor, reg: Registration, entry: FeeEntry) -> Receipt:
    """The receipt of a fee payment: the registration it pays for."""
    return _issue(actor, reg.organization, kind=ReceiptKind.FEE, fee_entry_id=entry.id,
                  amount_cents=entry.amount_cents, currency="USD",
                  usd_cents=entry.amount_cents, paid_on=entry.paid_on, method=entry.method,
                  reference=entry.reference, registration_name=reg.full_name,
                  assembly_number=reg.assembly.number)
