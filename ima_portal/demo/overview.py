"""More of IMA-USA's delegation to the 5th assembly, so that its chapter page has things to
show and its badge sheet runs to a second page: names as typed in the scripts of the
members (Vietnamese, Thai, Arabic, Devanagari, Bengali, Chinese, Japanese, Korean), some
confirmed, one withdrawn (left off the badges). Added once; the caller commits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..assembly.models import Assembly, Registration
from ..auth.models import User
from ..domain.assembly import RegistrationState
from ..extensions import db
from ..members.models import Organization

PEOPLE = [
    # organization, name, participation, state, arrival, departure, interpretation
    ("Centro de Trabajadores Unidos", "Nguyễn Thị Hoa", "non_voting", "confirmed",
     (11, 29), (12, 4), ""),
    ("Centro de Trabajadores Unidos", "สมศรี ทองดี", "observer", "confirmed",
     (11, 29), (12, 4), "th"),
    ("Domestic Workers United – Queens", "فاطمة الزهراء", "non_voting", "pending",
     (11, 29), (12, 4), "ar"),
    ("Domestic Workers United – Queens", "प्रिया शर्मा", "observer", "confirmed",
     (11, 29), (12, 4), "hi"),
    ("Migrant Youth Collective of Chicago", "রাহেলা বেগম", "non_voting", "confirmed",
     (11, 29), (12, 4), ""),
    ("Migrant Youth Collective of Chicago", "李明", "observer", "pending",
     (11, 30), (12, 4), "zh"),
    ("Legal Aid Clinic for Migrants", "佐藤 さくら", "non_voting", "confirmed",
     (11, 29), (12, 4), "ja"),
    ("Legal Aid Clinic for Migrants", "김서연", "observer", "confirmed",
     (11, 29), (12, 4), "ko"),
    ("Legal Aid Clinic for Migrants", "Daniel Withdrawn-Example", "observer", "withdrawn",
     (11, 29), (12, 4), ""),
]


def seed_overview() -> None:
    from ..assembly import operations
    assembly = db.session.scalar(select(Assembly).where(Assembly.number == 5))
    usa = db.session.scalar(select(User).where(User.email == "secretariat.usa@example.org"))
    if assembly is None or usa is None or db.session.scalar(select(Registration).where(
            Registration.assembly_id == assembly.id,
            Registration.full_name == PEOPLE[0][1])) is not None:
        return
    for org_name, name, participation, state, arrival, departure, language in PEOPLE:
        org = db.session.scalar(select(Organization).where(Organization.name == org_name))
        if org is None:
            continue
        outcome = operations.register(usa, assembly, org, {
            "full_name": name, "email": "", "phone": "", "participation": participation,
            "delegation_lead": False, "international": True,
            "arrival": date(2022, *arrival), "departure": date(2022, *departure),
            "accommodation": True, "interpretation": language, "dietary": "",
            "access_needs": "", "offers_speaker": False, "offers_cultural": False,
            "offers_materials": False, "consent_list": True})
        if outcome.decision and state != "pending":
            operations.set_state(usa, outcome.registration, RegistrationState(state))
    db.session.flush()
