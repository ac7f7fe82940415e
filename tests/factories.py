"""Factories: each returns a callable that makes a committed record with sensible
defaults, every field overridable (in the manner of Indico's factory fixtures)."""
from __future__ import annotations

import itertools
from functools import lru_cache

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from ima_portal.auth.credentials import PASSWORD_METHOD, hash_password
from ima_portal.auth.models import User
from ima_portal.chapters.models import Chapter, Region
from ima_portal.domain.roles import Role

# The factories' own password is hashed with scrypt at a lower work factor: each sign-in
# of a test checks it (most tests sign in at least once), and at the portal's cost, about
# 0.1 s a check, that was the largest share of the suite. The check is the same code
# (werkzeug reads the cost from the hash); any other password a test gives is hashed as
# the portal hashes it.
CHEAP_METHOD = f"{PASSWORD_METHOD}:1024:8:1"


@lru_cache(maxsize=8)
def _hash(password: str) -> str:
    if password == Factories.PASSWORD:
        return generate_password_hash(password, method=CHEAP_METHOD)
    return hash_password(password)


class Factories:
    PASSWORD = "correct horse battery staple"
    _seq = itertools.count(1)

    def __init__(self, db):
        self.db = db

    def region(self, code: str = "north-america") -> Region:
        return self.db.session.scalar(select(Region).where(Region.code == code))

    def chapter(self, code: str | None = None, *, name: str | None = None,
                country: str = "United States", region: str = "north-america") -> Chapter:
        n = next(self._seq)
        code = code or f"IMA-T{n}"
        chapter = Chapter(code=code, name=name or f"Test chapter {code}", country=country,
                          region=self.region(region))
        self.db.session.add(chapter)
        self.db.session.commit()
        return chapter

    def user(self, role: str | Role = Role.SECRETARIAT, *, chapter: Chapter | None = None,
             email: str | None = None, name: str | None = None, password: str | None = None,
             active: bool = True, must_change_password: bool = False,
             timezone: str = "UTC") -> User:
        role = Role(role)
        n = next(self._seq)
        if role is Role.SECRETARIAT and chapter is None:
            chapter = self.chapter()
        user = User(email=email or f"{role.value}{n}@example.org", name=name or f"Person {n}",
                    role=role, chapter=chapter if role is Role.SECRETARIAT else None,
                    password_hash=_hash(password or self.PASSWORD), active=active,
                    must_change_password=must_change_password, timezone=timezone)
        self.db.session.add(user)
        self.db.session.commit()
        return user


def _org_defaults():
    from datetime import date

    from ima_portal.domain.dues import MembershipType, MemberStatus
    return {"country": "United States", "membership": MembershipType.REGULAR,
            "status": MemberStatus.ACTIVE, "status_since": date(2015, 1, 1),
            "joined_on": date(2015, 1, 1), "contact_person": "", "email": "", "phone": "",
            "notes": ""}


def organization(self, chapter=None, name: str | None = None, **fields):
    """An organization of `chapter` (a new one by default), through the operation."""
    from ima_portal.members import operations
    chapter = chapter or self.chapter()
    from ima_portal.domain.dues import MembershipType, MemberStatus
    values = _org_defaults()
    values.update(fields)
    values["membership"] = MembershipType(values["membership"])
    values["status"] = MemberStatus(values["status"])
    values.setdefault("region_id", chapter.region_id)
    org = operations.create_organization(None, chapter_id=chapter.id,
                                         name=name or f"Organization {next(self._seq)}",
                                         **values)
    self.db.session.commit()
    return org


def payment(self, org, dollars: float, *, paid_on=None, method: str = "bank",
            reference: str = "", channel: str = "chapter"):
    from datetime import date

    from ima_portal.members import operations
    cents = round(dollars * 100)
    entry = operations.record_payment(None, org, amount_cents=cents, currency="USD",
                                      usd_cents=cents, paid_on=paid_on or date(2021, 5, 1),
                                      channel=channel, method=method, reference=reference)
    self.db.session.commit()
    return entry


Factories.organization = organization
Factories.payment = payment


def statement_values(**fields) -> dict:
    from datetime import date
    values = {"partners": "", "headline": "Migrants are not commodities!", "subheadlines": "",
              "occasion": "migrants_day", "dateline_place": "Hong Kong",
              "issued_on": date(2022, 12, 18),
              "body": "On this day we salute the migrants of the world.\n\nOrganize!",
              "slogans": "Migrants' rights are human rights!", "hashtags": "#MigrantsDay",
              "reference_name": "Ana Reyes", "reference_title": "IMA chairperson"}
    values.update(fields)
    return values


def statement(self, author, *, chapter=None, language: str = "en", state: str = "draft",
              chair=None, **fields):
    """A statement drafted by `author` for `chapter` (None: the alliance), taken through
    the operations to `state` (submitted, approved, published, changes_requested)."""
    from ima_portal.statements import operations
    st = operations.create_statement(author, issuer_chapter_id=chapter.id if chapter else None,
                                   language=language, values=statement_values(**fields))
    if state != "draft":
        operations.submit(author, st)
    if state in ("approved", "published", "changes_requested"):
        chair = chair or self.user("chair")
        if state == "changes_requested":
            operations.request_changes(chair, st, text="Shorter, please.")
        else:
            operations.approve(chair, st, revision_id=st.current_revision_id)
    if state == "published":
        operations.publish(author, st)
    self.db.session.commit()
    return st


Factories.statement = statement


def assembly(self, number: int = 5, **fields):
    """The 5th Global Assembly (Bangkok, 2022) with its registration open now."""
    from datetime import date, timedelta

    from ima_portal.assembly.models import Assembly
    from ima_portal.db_types import utcnow
    now = utcnow()
    values = {"number": number, "name": f"{number}th Global Assembly", "city": "Bangkok",
              "country": "Thailand", "first_day": date(2022, 11, 30),
              "last_day": date(2022, 12, 3), "arrive_by": date(2022, 11, 29),
              "leave_on": date(2022, 12, 4), "nights_from": date(2022, 11, 28),
              "checkout_on": date(2022, 12, 4), "fee_cents": 250_00,
              "registration_opens": now - timedelta(days=10),
              "registration_deadline": now + timedelta(days=10), "dues_policy_id": 1}
    values.update(fields)
    record = Assembly(**values)
    self.db.session.add(record)
    self.db.session.commit()
    return record


Factories.assembly = assembly
