"""Delegates' verifiable documents: visa invitation letters and certificates of attendance.

- A chapter secretariat requests a visa invitation letter for one of its confirmed
  international delegates (name as in the passport, nationality, passport number, date
  of birth; the passport's expiry if known). The global secretariat issues it or refuses
  it with a reason. A letter whose registration is withdrawn is withdrawn too; the global
  secretariat may also withdraw an issued letter, with a reason.
- Passport data is seen only by the delegate's chapter and the global secretariat; lists
  show the passport number masked; it is erased a set number of days after the assembly,
  the letter's record and its verification staying.
- A certificate of attendance is issued by the global secretariat to a confirmed delegate,
  not before the assembly's last day.
- An issued letter or certificate carries a verification code that the public page
  `/verify/<code>` answers: valid, or withdrawn.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .common import N_, Decision, LabelledEnum
from .roles import Role


class DocumentKind(LabelledEnum):
    LETTER = "letter", N_("Visa invitation letter")
    CERTIFICATE = "certificate", N_("Certificate of attendance")


class LetterState(LabelledEnum):
    REQUESTED = "requested", N_("Requested")
    ISSUED = "issued", N_("Issued")
    REFUSED = "refused", N_("Refused")
    WITHDRAWN = "withdrawn", N_("Withdrawn")


class LetterAction(LabelledEnum):
    REQUEST = "request", N_("Request the letter")      # also: correct a request, ask again
    ISSUE = "issue", N_("Issue the letter")
    REFUSE = "refuse", N_("Refuse")
    WITHDRAW = "withdraw", N_("Withdraw")
    SEE_PASSPORT = "see_passport", N_("See the passport data")
    DOWNLOAD = "download", N_("Download the letter (PDF)")


# Who: the delegate's own chapter secretariat ("chapter") or the global secretariat
# ("global"). Nobody else (another chapter, the chair) takes any action on a letter.
CHAPTER, GLOBAL = "chapter", "global"
BOTH = frozenset({CHAPTER, GLOBAL})
ONLY_GLOBAL = frozenset({GLOBAL})
NOBODY: frozenset[str] = frozenset()

# The one table: (the letter's state, or None before any request; action) -> who may.
RULES: dict[tuple[LetterState | None, LetterAction], frozenset[str]] = {
    (None, LetterAction.REQUEST): BOTH,
    (LetterState.REQUESTED, LetterAction.REQUEST): BOTH,      # correct what was typed
    (LetterState.REQUESTED, LetterAction.ISSUE): ONLY_GLOBAL,
    (LetterState.REQUESTED, LetterAction.REFUSE): ONLY_GLOBAL,
    (LetterState.REQUESTED, LetterAction.WITHDRAW): BOTH,     # the chapter cancels its request
    (LetterState.REQUESTED, LetterAction.SEE_PASSPORT): BOTH,
    (LetterState.ISSUED, LetterAction.WITHDRAW): ONLY_GLOBAL,
    (LetterState.ISSUED, LetterAction.SEE_PASSPORT): BOTH,
    (LetterState.ISSUED, LetterAction.DOWNLOAD): BOTH,
    (LetterState.REFUSED, LetterAction.REQUEST): BOTH,        # ask again, corrected
    (LetterState.REFUSED, LetterAction.SEE_PASSPORT): BOTH,
    (LetterState.WITHDRAWN, LetterAction.SEE_PASSPORT): BOTH,
}

REFUSALS = {
    LetterAction.REQUEST: N_("A letter can be requested only before it is issued, or again "
                             "after a refusal."),
    LetterAction.ISSUE: N_("Only a requested letter is issued, by the global secretariat."),
    LetterAction.REFUSE: N_("Only a requested letter is refused, by the global secretariat."),
    LetterAction.WITHDRAW: N_("This letter cannot be withdrawn now."),
    LetterAction.SEE_PASSPORT: N_("Passport data is seen only by the delegate's chapter and "
                                  "the global secretariat."),
    LetterAction.DOWNLOAD: N_("Only an issued letter is downloaded."),
}


def who(role: Role, own_chapter: bool) -> str | None:
    """The part a user plays for one delegate's letter: their own chapter's secretariat,
    the global secretariat, or none (another chapter, the chair)."""
    if role is Role.ADMIN:
        return GLOBAL
    if role is Role.SECRETARIAT and own_chapter:
        return CHAPTER
    return None


@dataclass(frozen=True)
class Delegate:
    """What the rules need to know of the registration a letter is for."""
    confirmed: bool
    international: bool
    withdrawn: bool = False


def current_state(stored: LetterState, registration_withdrawn: bool) -> LetterState:
    """A requested or issued letter of a withdrawn registration is withdrawn."""
    if registration_withdrawn and stored in (LetterState.REQUESTED, LetterState.ISSUED):
        return LetterState.WITHDRAWN
    return stored


def decide_letter(action: LetterAction, state: LetterState | None, role: Role,
                  own_chapter: bool, delegate: Delegate) -> Decision:
    """May a user of `role` (of the delegate's chapter or not) take `action` on a letter in
    `state` (None: not requested yet) for `delegate`?"""
    part = who(role, own_chapter)
    if part is None:
        return Decision.refuse(N_("Only the delegate's chapter secretariat and the global "
                                  "secretariat deal with visa invitation letters."))
    if state is not None:
        state = current_state(state, delegate.withdrawn)
    if part not in RULES.get((state, action), NOBODY):
        if part == CHAPTER and action in (LetterAction.ISSUE, LetterAction.REFUSE) and \
                state is LetterState.REQUESTED:
            return Decision.refuse(N_("The global secretariat issues or refuses the letters."))
        return Decision.refuse(REFUSALS[action])
    if action in (LetterAction.REQUEST, LetterAction.ISSUE):
        if delegate.withdrawn:
            return Decision.refuse(N_("The registration was withdrawn."))
        if not delegate.international:
            return Decision.refuse(N_("A visa invitation letter is for an international "
                                      "delegate."))
        if not delegate.confirmed:
            return Decision.refuse(N_("Confirm the registration first: a letter is for a "
                                      "confirmed delegate."))
    return Decision.allow()


def allowed_letter_actions(state: LetterState | None, role: Role, own_chapter: bool,
                           delegate: Delegate) -> list[LetterAction]:
    return [a for a in LetterAction if decide_letter(a, state, role, own_chapter, delegate)]


# ---- the request's fields ------------------------------------------------------------------

PASSPORT_NUMBER = re.compile(r"^[A-Z0-9]{5,20}$")


def normalize_passport_number(number: str | None) -> str:
    """As printed in a passport: capitals and digits, spaces and dashes left out."""
    return re.sub(r"[\s\-]", "", (number or "")).upper()


def check_request(*, passport_name: str, nationality: str, passport_number: str,
                  passport_expiry: date | None, date_of_birth: date | None,
                  departure: date, today: date) -> dict[str, tuple[str, dict[str, Any]]]:
    """The request's errors by field, each a sentence and its parameters."""
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    if not passport_name.strip():
        errors["passport_name"] = (N_("Enter the name exactly as the passport writes it."), {})
    elif len(passport_name.strip()) > 160:
        errors["passport_name"] = (N_("At most 160 characters."), {})
    if not nationality.strip():
        errors["nationality"] = (N_("Enter the nationality, as in the passport."), {})
    elif len(nationality.strip()) > 80:
        errors["nationality"] = (N_("At most 80 characters."), {})
    number = normalize_passport_number(passport_number)
    if not number:
        errors["passport_number"] = (N_("Enter the passport number."), {})
    elif not PASSPORT_NUMBER.match(number):
        errors["passport_number"] = (N_("A passport number has 5 to 20 letters and digits."),
                                     {})
    if date_of_birth is None:
        errors["date_of_birth"] = (N_("Enter the date of birth, such as 1985-04-23."), {})
    elif date_of_birth >= today:
        errors["date_of_birth"] = (N_("The date of birth must be in the past."), {})
    elif date_of_birth < date(today.year - 120, 1, 1):
        errors["date_of_birth"] = (N_("Check the year of birth."), {})
    if passport_expiry is not None and passport_expiry <= departure:
        errors["passport_expiry"] = (N_("The passport expires before the delegate leaves "
                                        "(%(day)s): it must be renewed first."),
                                     {"day": departure})
    return errors


def mask_passport(number: str | None) -> str:
    """A passport number as lists show it: only its last three characters ("•••••567")."""
    if not number:
        return ""
    return "•••••" + number[-3:]


# ---- certificates of attendance --------------------------------------------------------------

def may_issue_certificate(role: Role, today: date, last_day: date,
                          delegate: Delegate) -> Decision:
    """The global secretariat issues a certificate of attendance to a confirmed delegate,
    not before the assembly's last day."""
    if role is not Role.ADMIN:
        return Decision.refuse(N_("The global secretariat issues certificates of "
                                  "attendance."))
    if today < last_day:
        return Decision.refuse(N_("Certificates of attendance are issued from the assembly's "
                                  "last day, %(day)s."), day=last_day)
    if delegate.withdrawn or not delegate.confirmed:
        return Decision.refuse(N_("Only a confirmed delegate receives a certificate."))
    return Decision.allow()


def may_see_certificate(role: Role, own_chapter: bool) -> Decision:
    if who(role, own_chapter) is None:
        return Decision.refuse(N_("Certificates are seen by the delegate's chapter and the "
                                  "global secretariat."))
    return Decision.allow()


# ---- what the public verification page says ---------------------------------------------

class Validity(LabelledEnum):
    VALID = "valid", N_("Valid")
    WITHDRAWN = "withdrawn", N_("Withdrawn")


def public_validity(state: LetterState) -> Validity | None:
    """What `/verify/<code>` says of a document in `state` (None: it answers nothing, as
    for an unknown code: only issued documents have codes that answer)."""
    if state is LetterState.ISSUED:
        return Validity.VALID
    if state is LetterState.WITHDRAWN:
        return Validity.WITHDRAWN
    return None


# ---- erasing passport data ------------------------------------------------------------------

DEFAULT_KEEP_DAYS = 90


def erasure_due(last_day: date, today: date, keep_days: int) -> bool:
    """Passport data is erased once the assembly ended more than `keep_days` days ago."""
    if keep_days < 0:
        raise ValueError("keep_days must not be negative")
    return today > last_day + timedelta(days=keep_days)
