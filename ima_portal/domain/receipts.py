"""Receipts for dues and fee payments: what a receipt says and who may see it.

A receipt is issued for each payment when it is recorded, in the language chosen for the
organization (else its chapter secretariat's, else English). For dues it names the
years the payment covers: payments are allocated to the oldest unpaid year first
(`domain.dues.allocate`), so a payment covers the years whose share of the yearly rate
falls within it, counted after what the organization paid before; what goes beyond the
last reckoned year is credit. A receipt may be downloaded by the organization's chapter
secretariat and the global secretariat; the chair and other chapters may not. The
public verification page says whether the payment still stands or was voided."""
from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from .roles import Role


class ReceiptKind(StrEnum):
    DUES = "dues"
    FEE = "fee"


class ReceiptStatus(StrEnum):
    VALID = "valid"
    VOIDED = "voided"


def years_covered(due_years: Iterable[int], rate_cents: int, paid_before_cents: int,
                  amount_cents: int) -> tuple[int, ...]:
    """The reckoned years that a payment of `amount_cents`, made after `paid_before_cents`
    had been paid, pays for (wholly or in part), oldest first."""
    if rate_cents <= 0 or amount_cents <= 0:
        return ()
    start, end = max(paid_before_cents, 0), max(paid_before_cents, 0) + amount_cents
    covered = []
    for index, year in enumerate(sorted(due_years)):
        low, high = index * rate_cents, (index + 1) * rate_cents
        if low < end and start < high:
            covered.append(year)
    return tuple(covered)


def credit_cents(due_years: Iterable[int], rate_cents: int, paid_before_cents: int,
                 amount_cents: int) -> int:
    """How much of the payment goes beyond every reckoned year (kept as credit)."""
    owed = len(list(due_years)) * max(rate_cents, 0)
    before = max(paid_before_cents, 0)
    return max(before + amount_cents - max(owed, before), 0)


def receipt_language(chosen: str | None, secretariat: str | None,
                     available: Iterable[str]) -> str:
    """The organization's chosen language, else its chapter secretariat's, else English."""
    available = list(available)
    for candidate in (chosen, secretariat):
        if candidate and candidate in available:
            return candidate
    return "en"


def may_see(role: Role, user_chapter_id: int | None, receipt_chapter_id: int) -> bool:
    """The organization's chapter secretariat and the global secretariat see a receipt."""
    if role is Role.ADMIN:
        return True
    return role is Role.SECRETARIAT and user_chapter_id == receipt_chapter_id


def status(voided: bool) -> ReceiptStatus:
    """What the public verification page says of a receipt."""
    return ReceiptStatus.VOIDED if voided else ReceiptStatus.VALID
