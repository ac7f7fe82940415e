"""The demo's visa invitation letters and certificates for the 5th assembly: one letter
issued (Luz Dimasalang), one requested and waiting for the global secretariat (Grace
Mwangi), one delegate marked as needing a letter with none requested (Ramon Aquino), and a
certificate of attendance (Luz). Added once, through the same operations as the pages;
the caller commits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..assembly.models import Assembly, Registration
from ..auth.models import User
from ..db_types import utcnow
from ..domain.assembly import RegistrationState
from ..domain.letters import DocumentKind
from ..extensions import db

PASSPORTS = {
    # participant: name as in the passport, nationality, passport number, expiry, birth
    "Luz Dimasalang": ("DIMASALANG, LUZ MARIA", "Filipino", "P7731042A", date(2029, 8, 14),
                       date(1979, 6, 2)),
    "Grace Mwangi": ("MWANGI, GRACE WANJIRU", "Kenyan", "AK0456219", None, date(1988, 1, 17)),
}


def seed_letters() -> None:
    from ..assembly import operations as registrations
    from ..letters import operations, queries
    assembly = db.session.scalar(select(Assembly).where(Assembly.number == 5))
    usa = db.session.scalar(select(User).where(User.email == "secretariat.usa@example.org"))
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    if assembly is None or usa is None or admin is None:
        return
    regs = {r.full_name: r for r in db.session.scalars(
        select(Registration).where(Registration.assembly_id == assembly.id))}
    if any(queries.of_registration(r, DocumentKind.LETTER) for r in regs.values()):
        return
    for name in ("Luz Dimasalang", "Grace Mwangi", "Ramon Aquino"):
        if name in regs and regs[name].state is RegistrationState.PENDING:
            registrations.set_state(admin, regs[name], RegistrationState.CONFIRMED)
    today = utcnow().date()
    for name, (passport_name, nationality, number, expiry, born) in PASSPORTS.items():
        if name not in regs or regs[name].state is not RegistrationState.CONFIRMED:
            continue
        operations.request_letter(usa, regs[name], passport_name=passport_name,
                                  nationality=nationality, passport_number=number,
                                  passport_expiry=expiry, date_of_birth=born, today=today)
    luz = regs.get("Luz Dimasalang")
    if luz is not None:
        letter = queries.of_registration(luz, DocumentKind.LETTER)
        if letter is not None:
            operations.issue_letter(admin, letter)
        operations.issue_certificate(admin, luz, today)
    if "Ramon Aquino" in regs:
        operations.set_needs_letter(usa, regs["Ramon Aquino"], True)
    db.session.flush()
