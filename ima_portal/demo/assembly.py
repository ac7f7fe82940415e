"""The demo's Global Assembly: the 5th (Bangkok, 2022), with a few registrations. Its
registration is kept open around the day the demo is seeded, so that a new user can
register delegates (the real deadline was in 2022)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..assembly.models import Assembly
from ..auth.models import User
from ..db_types import utcnow
from ..extensions import db
from ..members.models import DuesPolicyRecord, Organization

FEE_COVERS = ("Food (except dinner) and accommodation from the night of 28 November to "
              "check-out on 4 December, and the assembly's logistics.")


def seed_assembly() -> None:
    """Adds the 5th Global Assembly and some registrations if missing. The caller commits."""
    from ..assembly import operations
    if db.session.scalar(select(Assembly).where(Assembly.number == 5)) is not None:
        return
    policy = db.session.scalar(select(DuesPolicyRecord).where(DuesPolicyRecord.is_current))
    now = utcnow()
    assembly = Assembly(
        number=5, name="5th Global Assembly", city="Bangkok", country="Thailand",
        first_day=date(2022, 11, 30), last_day=date(2022, 12, 3),
        arrive_by=date(2022, 11, 29), leave_on=date(2022, 12, 4),
        nights_from=date(2022, 11, 28), checkout_on=date(2022, 12, 4), fee_cents=250_00,
        fee_covers=FEE_COVERS, registration_opens=now - timedelta(days=30),
        registration_deadline=now + timedelta(days=60), dues_policy_id=policy.id)
    db.session.add(assembly)
    db.session.flush()
    usa = db.session.scalar(select(User).where(User.email == "secretariat.usa@example.org"))
    if usa is None:
        return
    people = [
        # organization name, participant, participation, arrival, departure, interpretation
        ("Filipino Workers Center of the Bay", "Luz Dimasalang", "voting", (11, 29), (12, 4), ""),
        ("Filipino Workers Center of the Bay", "Ramon Aquino", "observer", (11, 29), (12, 4), "tl"),
        ("Domestic Workers United – Queens", "Grace Mwangi", "non_voting", (11, 27), (12, 5), "es"),
    ]
    for org_name, name, participation, arrival, departure, language in people:
        org = db.session.scalar(select(Organization).where(Organization.name == org_name))
        if org is None:
            continue
        operations.register(usa, assembly, org, {
            "full_name": name, "email": "", "phone": "", "participation": participation,
            "delegation_lead": participation == "voting", "international": True,
            "arrival": date(2022, *arrival), "departure": date(2022, *departure),
            "accommodation": True, "interpretation": language, "dietary": "",
            "access_needs": "", "offers_speaker": participation == "voting",
            "offers_cultural": False, "offers_materials": True, "consent_list": True})
    db.session.flush()


def seed_fund() -> None:
    """The US chapter's solidarity fund for the 5th assembly (goal US$6,000: at least what
    grassroots organizers need to attend), with pledges, receipts (one settling a pledge,
    one from an anonymous donor), a grant to a delegate's fee, and a payment of another
    delegate's fee. Added once; the caller commits."""
    from ..assembly import accounts, fees
    from ..assembly.models import Registration
    from ..chapters.models import Chapter
    from ..domain.fund import GrantPurpose
    assembly = db.session.scalar(select(Assembly).where(Assembly.number == 5))
    usa = db.session.scalar(select(User).where(User.email == "secretariat.usa@example.org"))
    chapter = db.session.scalar(select(Chapter).where(Chapter.code == "IMA-USA"))
    if assembly is None or usa is None or chapter is None or \
            accounts.fund_of(chapter.id, assembly) is not None:
        return
    _, fund = fees.save_fund(usa, chapter, assembly, 6000_00)
    church = fees.pledge(usa, fund, "St. Mary's Justice Ministry", 1500_00,
                         date(2022, 10, 15), False).entry
    fees.pledge(usa, fund, "Teachers for Migrant Justice", 1000_00, date(2022, 11, 1), False)
    fees.pledge(usa, fund, "A retired nurse in Oakland", 500_00, date(2022, 10, 30), True)
    fees.receive(usa, fund, 1500_00, date(2022, 10, 14), "", False, church.id)
    fees.receive(usa, fund, 750_00, date(2022, 9, 20), "Bay Area solidarity dinner", False)
    fees.receive(usa, fund, 400_00, date(2022, 10, 2), "Anonymous well-wisher (K. L.)", True)

    def person(name: str):
        return db.session.scalar(select(Registration).where(
            Registration.assembly_id == assembly.id, Registration.full_name == name))
    luz, ramon = person("Luz Dimasalang"), person("Ramon Aquino")
    if luz is not None:
        fees.grant(usa, fund, luz, GrantPurpose.FEE, 250_00)
    if ramon is not None:
        fees.grant(usa, fund, ramon, GrantPurpose.TRAVEL, 600_00)
    grace = person("Grace Mwangi")
    if grace is not None:
        fees.record_payment(usa, grace, 100_00, "paypal", date(2022, 10, 20), "PP-5GA-0193")
    db.session.flush()
