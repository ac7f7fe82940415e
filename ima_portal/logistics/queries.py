"""Reads for the logistics pages: the assembly, and its registrations as stays for the
rules in `domain/logistics.py`. Withdrawn registrations never count. Given the user whose
chapter scope applies (the pages are the global secretariat's, who sees every chapter);
nothing here reads the request or `current_user`."""
from __future__ import annotations

from sqlalchemy import select

from ..assembly.models import Assembly, Registration
from ..auth.models import User
from ..domain.assembly import RegistrationState
from ..domain.logistics import Stay, in_date_order
from ..extensions import db
from ..scoping import scoped


def latest() -> Assembly | None:
    return db.session.scalar(select(Assembly).order_by(Assembly.first_day.desc()).limit(1))


def by_number(number: int) -> Assembly | None:
    return db.session.scalar(select(Assembly).where(Assembly.number == number))


def stay_of(reg: Registration) -> Stay:
    return Stay(reg.full_name, reg.arrival, reg.departure,
                organization=reg.organization.name, chapter=reg.chapter.code,
                country=reg.organization.country or "", phone=reg.phone or "",
                accommodation=reg.accommodation, interpretation=reg.interpretation or "",
                dietary=reg.dietary or "", access_needs=reg.access_needs or "",
                confirmed=reg.state is RegistrationState.CONFIRMED)


def stays(user: User, assembly: Assembly) -> list[Stay]:
    """Every pending or confirmed registration of `assembly` that `user` may see, as a
    stay, in date order (arrival, departure, name)."""
    stmt = scoped(select(Registration).where(
        Registration.assembly_id == assembly.id,
        Registration.state != RegistrationState.WITHDRAWN), Registration.chapter_id, user)
    return in_date_order(stay_of(reg) for reg in db.session.scalars(stmt).unique())
