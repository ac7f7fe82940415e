"""The demo's info sessions: IMA-USA's weekly session before the assembly (Wednesdays,
6-7 pm Pacific / 9-10 pm Eastern, English and Spanish, interpretation on request), its
public sign-up link, a few people signed up, and the orientation of one applicant (the
other applicant has none yet, so the registration page shows why it cannot join)."""
from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from ..assembly.models import Assembly
from ..auth.models import User
from ..chapters.queries import by_code
from ..db_types import utcnow
from ..extensions import db
from ..info_sessions.models import InfoSession
from ..members.models import Organization, Orientation

LA = "America/Los_Angeles"
PEOPLE = [("Rosa Cruz", "rosa.cruz@example.org", "Migrante Bay Area", "es"),
          ("Tran Thi Mai", "mai.tran@example.org", "Vietnamese Workers' Center", ""),
          ("Jean-Baptiste Mbala", "jb.mbala@example.org", "Collectif des sans-papiers", "fr"),
          ("Ana López", "ana.lopez@example.org", "Unión de Trabajadoras Domésticas", "es")]


def seed_info_sessions() -> None:
    """Adds IMA-USA's weekly sessions if it has none. The caller commits."""
    from ..info_sessions import operations
    from ..members import operations as member_operations
    usa = by_code("IMA-USA")
    sec = db.session.scalar(select(User).where(User.email == "secretariat.usa@example.org"))
    if usa is None or sec is None or db.session.scalar(
            select(InfoSession.id).where(InfoSession.chapter_id == usa.id)) is not None:
        return
    assembly = db.session.scalar(select(Assembly).order_by(Assembly.number.desc()))
    today = utcnow().date()
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    result = operations.schedule_sessions(
        sec, usa, day=wednesday, start=time(18), end=time(19), timezone=LA, weeks=6,
        call_link="https://meet.example.org/ima-usa-info-session", languages=["en", "es"],
        title="Info session on the Global Assembly", assembly=assembly)
    operations.signup_link(sec, usa)
    first = result.sessions[0]
    for name, email, organization, language in PEOPLE:
        operations.register(first, name=name, email=email, organization=organization,
                            interpretation=language, timezone=LA if not language else
                            "America/New_York", address="demo", throttled=False)
    applicant = db.session.scalar(select(Organization).where(
        Organization.name == "Seafarers' Welfare Desk – Seattle"))
    if applicant is not None and db.session.scalar(select(Orientation.id).where(
            Orientation.organization_id == applicant.id)) is None:
        member_operations.record_orientation(
            sec, applicant, held_on=today - timedelta(days=5), attended="Joel Ramos (the desk), the chapter secretariat",
            notes="Went through the alliance's constitution, dues and the assembly's call.")
