"""Reads of letters and certificates, scoped for a given user (no request, no
current_user). The chair sees none of it: passport data is for the delegate's chapter and
the global secretariat only (the routes refuse the chair; `visible_to` says it here too)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import contains_eager

from ..assembly.models import Assembly, Registration
from ..auth.models import User
from ..domain.assembly import RegistrationState
from ..domain.letters import DocumentKind, LetterState, who
from ..domain.statements import is_verification_code, normalize_code
from ..extensions import db
from ..scoping import scoped
from .models import IssuedDocument

WITHDRAWN_REG = Registration.state == RegistrationState.WITHDRAWN


def visible_to(user: User) -> bool:
    """May `user` see letters and certificates at all (of their own chapter, or every
    chapter's for the global secretariat)?"""
    return who(user.role, True) is not None


def _documents(user: User, assembly: Assembly, kind: DocumentKind):
    stmt = (select(IssuedDocument).join(IssuedDocument.registration)
            .options(contains_eager(IssuedDocument.registration))
            .where(IssuedDocument.assembly_id == assembly.id, IssuedDocument.kind == kind))
    return scoped(stmt, IssuedDocument.chapter_id, user)


def state_condition(state: LetterState):
    """A letter's current state in SQL: a requested or issued letter of a withdrawn
    registration counts as withdrawn (as `domain.letters.current_state` says)."""
    live = (LetterState.REQUESTED, LetterState.ISSUED)
    if state in live:
        return and_(IssuedDocument.state == state, not_(WITHDRAWN_REG))
    if state is LetterState.WITHDRAWN:
        return or_(IssuedDocument.state == state,
                   and_(IssuedDocument.state.in_(live), WITHDRAWN_REG))
    return IssuedDocument.state == state


def letters(user: User, assembly: Assembly, state: LetterState | None = None
            ) -> list[IssuedDocument]:
    """The assembly's letters within `user`'s scope, by chapter then name; in `state`."""
    stmt = _documents(user, assembly, DocumentKind.LETTER)
    if state is not None:
        stmt = stmt.where(state_condition(state))
    stmt = stmt.order_by(IssuedDocument.chapter_name, IssuedDocument.holder_name,
                         IssuedDocument.id)
    return list(db.session.scalars(stmt).unique())


def letter_counts(user: User, assembly: Assembly) -> dict[LetterState, int]:
    return {state: len(letters(user, assembly, state)) for state in LetterState}


def document_for(user: User, assembly: Assembly, kind: DocumentKind, doc_id: int
                 ) -> IssuedDocument | None:
    """One letter or certificate within `user`'s scope, or None (another chapter's: 404)."""
    if not visible_to(user):
        return None
    stmt = _documents(user, assembly, kind).where(IssuedDocument.id == doc_id)
    return db.session.scalars(stmt).unique().one_or_none()


def of_registration(reg: Registration, kind: DocumentKind) -> IssuedDocument | None:
    return db.session.scalar(select(IssuedDocument).where(
        IssuedDocument.registration_id == reg.id, IssuedDocument.kind == kind))


def _international_confirmed(user: User, assembly: Assembly):
    stmt = select(Registration).where(
        Registration.assembly_id == assembly.id, Registration.international.is_(True),
        Registration.state == RegistrationState.CONFIRMED)
    return scoped(stmt, Registration.chapter_id, user)


def international_delegates(user: User, assembly: Assembly
                            ) -> list[tuple[Registration, IssuedDocument | None]]:
    """The confirmed international delegates within `user`'s scope, each with its letter
    (or None), by chapter then name: the chapter's page of letters."""
    regs = list(db.session.scalars(_international_confirmed(user, assembly).order_by(
        Registration.chapter_id, Registration.full_name, Registration.id)))
    by_reg = {doc.registration_id: doc for doc in letters(user, assembly)}
    return [(reg, by_reg.get(reg.id)) for reg in regs]


def _without_request():
    asked = select(IssuedDocument.registration_id).where(
        IssuedDocument.kind == DocumentKind.LETTER,
        IssuedDocument.state.in_((LetterState.REQUESTED, LetterState.ISSUED)))
    return Registration.id.not_in(asked)


def delegates_needing_letter(user: User, assembly: Assembly) -> list[Registration]:
    """The confirmed international delegates within `user`'s scope who need a visa
    invitation letter (`Registration.needs_visa_letter`) and have none requested or
    issued (never requested, or refused): the "needs a visa letter" to-do item."""
    stmt = _international_confirmed(user, assembly).where(
        Registration.needs_visa_letter.is_(True), _without_request())
    return list(db.session.scalars(stmt.order_by(Registration.full_name, Registration.id)))


def needing_letter_ids(user: User, assembly: Assembly) -> set[int]:
    """The ids of `delegates_needing_letter`: a per-registration flag for a list."""
    return {reg.id for reg in delegates_needing_letter(user, assembly)}


# ---- certificates ---------------------------------------------------------------------------

def certificates(user: User, assembly: Assembly) -> list[IssuedDocument]:
    stmt = _documents(user, assembly, DocumentKind.CERTIFICATE).order_by(
        IssuedDocument.chapter_name, IssuedDocument.holder_name, IssuedDocument.id)
    return list(db.session.scalars(stmt).unique())


def without_certificate(user: User, assembly: Assembly, chapter_id: int | None = None
                        ) -> list[Registration]:
    """The confirmed delegates (international or local) within `user`'s scope, of one
    chapter or all, who have no certificate of attendance yet."""
    have = select(IssuedDocument.registration_id).where(
        IssuedDocument.kind == DocumentKind.CERTIFICATE)
    stmt = select(Registration).where(
        Registration.assembly_id == assembly.id,
        Registration.state == RegistrationState.CONFIRMED, Registration.id.not_in(have))
    if chapter_id is not None:
        stmt = stmt.where(Registration.chapter_id == chapter_id)
    stmt = scoped(stmt, Registration.chapter_id, user)
    return list(db.session.scalars(stmt.order_by(Registration.full_name, Registration.id)))


# ---- verification and erasure ----------------------------------------------------------

def by_code(code: str) -> IssuedDocument | None:
    """The issued (or since withdrawn) document a verification code (as typed) names."""
    code = normalize_code(code)
    if not is_verification_code(code):
        return None
    return db.session.scalar(select(IssuedDocument).where(
        IssuedDocument.verification_code == code))


def code_taken(code: str) -> bool:
    return db.session.scalar(select(IssuedDocument.id).where(
        IssuedDocument.verification_code == code)) is not None


def with_passport_data_of_assemblies_ended_before(day: date) -> list[IssuedDocument]:
    """Letters still holding passport data whose assembly's last day is before `day`."""
    stmt = (select(IssuedDocument).join(Assembly, Assembly.id == IssuedDocument.assembly_id)
            .where(IssuedDocument.kind == DocumentKind.LETTER,
                   IssuedDocument.personal_data_erased_at.is_(None),
                   Assembly.last_day < day)
            .order_by(IssuedDocument.id))
    return list(db.session.scalars(stmt).unique())


def requested_count(user: User, assembly: Assembly) -> int:
    """How many visa invitation letters for `assembly` that `user` may see are requested
    and not yet issued or refused (a withdrawn registration's letter does not count)."""
    stmt = (select(func.count(IssuedDocument.id))
            .join(Registration, IssuedDocument.registration_id == Registration.id)
            .where(IssuedDocument.assembly_id == assembly.id,
                   IssuedDocument.kind == DocumentKind.LETTER,
                   IssuedDocument.state == LetterState.REQUESTED,
                   Registration.state != RegistrationState.WITHDRAWN))
    return db.session.scalar(scoped(stmt, IssuedDocument.chapter_id, user)) or 0
