"""Everything the portal holds about one e-mail address, across the areas."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..assembly.models import Registration
from ..auth.credentials import normalize_email
from ..auth.models import User
from ..extensions import db
from ..info_sessions.models import InfoSessionRegistration
from ..letters.models import IssuedDocument
from ..members.models import Organization


@dataclass
class PersonData:
    email: str
    account: User | None = None
    registrations: list[Registration] = field(default_factory=list)
    documents: list[IssuedDocument] = field(default_factory=list)
    info_sessions: list[InfoSessionRegistration] = field(default_factory=list)
    contact_of: list[Organization] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.account or self.registrations or self.info_sessions
                    or self.contact_of)


def person(email: str) -> PersonData:
    address = normalize_email(email)
    data = PersonData(address)
    data.account = db.session.scalar(select(User).where(User.email == address))
    data.registrations = list(db.session.scalars(
        select(Registration).where(func.lower(Registration.email) == address)
        .order_by(Registration.id)))
    ids = [r.id for r in data.registrations]
    if ids:
        data.documents = list(db.session.scalars(
            select(IssuedDocument).where(IssuedDocument.registration_id.in_(ids))
            .order_by(IssuedDocument.id)).unique())
    data.info_sessions = list(db.session.scalars(
        select(InfoSessionRegistration).where(
            func.lower(InfoSessionRegistration.email) == address)
        .order_by(InfoSessionRegistration.id)))
    data.contact_of = list(db.session.scalars(
        select(Organization).where(func.lower(Organization.email) == address)
        .order_by(Organization.id)))
    return data
