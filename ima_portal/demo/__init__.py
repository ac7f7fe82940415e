"""Demo data for a first look at the portal. Everything here is invented.

`seed()` is idempotent: it adds what is missing and changes nothing that exists. The
passwords are made up the first time and kept in `instance/demo-logins.json`, never in the
code; a demo account whose password was changed since is listed without one."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from ..auth import operations as accounts
from ..auth.credentials import generate_password, verify_password
from ..auth.models import User
from ..auth.queries import email_taken
from ..chapters import operations as chapter_operations
from ..chapters.queries import by_code, name_taken
from ..domain.roles import Role
from ..extensions import db

CHAPTERS = (
    # code, name, country, region code
    ("IMA-USA", "International Migrants Alliance – USA", "United States", "north-america"),
    ("IMA-Canada", "International Migrants Alliance – Canada", "Canada", "north-america"),
    ("IMA-Mexico", "Alianza Internacional de Migrantes – México", "Mexico", "latin-america"),
    ("IMA-Philippines", "International Migrants Alliance – Philippines", "Philippines", "asia"),
    ("IMA-Australia", "International Migrants Alliance – Australia", "Australia", "oceania"),
    ("IMA-Netherlands", "International Migrants Alliance – Netherlands", "Netherlands", "europe"),
    ("IMA-Kenya", "International Migrants Alliance – Kenya", "Kenya", "africa"),
    ("IMA-Lebanon", "International Migrants Alliance – Lebanon", "Lebanon", "middle-east"),
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    chapter_code: str | None
    timezone: str
    label: str


ACCOUNTS = (
    DemoAccount("secretariat.usa@example.org", "Maria Santos", Role.SECRETARIAT, "IMA-USA",
                "America/New_York", "chapter secretariat, IMA-USA"),
    DemoAccount("secretariat.canada@example.org", "Joel Okafor", Role.SECRETARIAT, "IMA-Canada",
                "America/Toronto", "chapter secretariat, IMA-Canada"),
    DemoAccount("chair@example.org", "Ana Reyes", Role.CHAIR, None, "Asia/Hong_Kong", "chair"),
    DemoAccount("admin@example.org", "Li Wen", Role.ADMIN, None, "Asia/Hong_Kong",
                "global secretariat (admin)"),
)


# Invented organizations: (chapter, name, country, type, status, joined, dues paid in US$,
# payment method). The payments are spread over the years the 5th assembly reckons.
ORGANIZATIONS = (
    ("IMA-USA", "Filipino Workers Center of the Bay", "United States", "regular", "active", 2010, 200, "paypal"),
    ("IMA-USA", "Domestic Workers United – Queens", "United States", "regular", "active", 2012, 150, "venmo"),
    ("IMA-USA", "Centro de Trabajadores Unidos", "United States", "regular", "active", 2009, 50, "cash"),
    ("IMA-USA", "Caravan Solidarity Network", "United States", "regular", "active", 2021, 100, "paypal"),
    ("IMA-USA", "Migrant Youth Collective of Chicago", "United States", "associate", "active", 2015, 200, "venmo"),
    ("IMA-USA", "Legal Aid Clinic for Migrants", "United States", "associate", "active", 2016, 0, ""),
    ("IMA-USA", "Seafarers' Welfare Desk – Seattle", "United States", "regular", "applicant", None, 0, ""),
    ("IMA-USA", "Garment Workers Mutual Aid", "United States", "regular", "suspended", 2011, 0, ""),
    ("IMA-Canada", "Migrante Montréal", "Canada", "regular", "active", 2008, 200, "bank"),
    ("IMA-Canada", "Caregivers' Association of Toronto", "Canada", "regular", "active", 2013, 120, "bank"),
    ("IMA-Canada", "Farmworkers Support Network – Okanagan", "Canada", "regular", "active", 2017, 0, ""),
    ("IMA-Canada", "Newcomer Women's Circle", "Canada", "associate", "active", 2019, 100, "cash"),
    ("IMA-Mexico", "Red de Apoyo al Migrante de Tapachula", "Mexico", "regular", "active", 2008, 200, "bank"),
    ("IMA-Mexico", "Casa del Jornalero Sonora", "Mexico", "regular", "active", 2014, 75, "cash"),
    ("IMA-Mexico", "Colectivo Mujeres en Tránsito", "Mexico", "associate", "active", 2018, 50, "other"),
    ("IMA-Philippines", "Families of Overseas Workers – Batangas", "Philippines", "regular", "active", 2008, 200, "bank"),
    ("IMA-Philippines", "Returned Migrants' Cooperative of Iloilo", "Philippines", "regular", "active", 2010, 230, "cash"),
    ("IMA-Philippines", "Seafarers' Rights Centre – Manila", "Philippines", "regular", "active", 2012, 100, "bank"),
    ("IMA-Philippines", "Migrant Health Volunteers", "Philippines", "associate", "active", 2020, 0, ""),
    ("IMA-Australia", "Pacific Workers' Solidarity – Sydney", "Australia", "regular", "active", 2011, 200, "bank"),
    ("IMA-Australia", "International Students' Union of Melbourne", "Australia", "regular", "active", 2016, 50, "paypal"),
    ("IMA-Australia", "Refugee Tenants' Action", "Australia", "associate", "left", 2012, 0, ""),
    ("IMA-Netherlands", "Undocumented Workers' Assembly Amsterdam", "Netherlands", "regular", "active", 2009, 200, "bank"),
    ("IMA-Netherlands", "Domestic Workers' Network Rotterdam", "Netherlands", "regular", "active", 2013, 150, "bank"),
    ("IMA-Netherlands", "Solidarity Kitchen Den Haag", "Netherlands", "associate", "active", 2017, 0, ""),
    ("IMA-Kenya", "Returnee Domestic Workers' Association", "Kenya", "regular", "active", 2014, 100, "cash"),
    ("IMA-Kenya", "Mombasa Migrant Support Centre", "Kenya", "regular", "active", 2019, 200, "bank"),
    ("IMA-Kenya", "Youth on the Move Nairobi", "Kenya", "associate", "applicant", None, 0, ""),
    ("IMA-Lebanon", "Migrant Domestic Workers' Community Beirut", "Lebanon", "regular", "active", 2010, 200, "cash"),
    ("IMA-Lebanon", "Ethiopian Women's Mutual Aid", "Lebanon", "regular", "active", 2015, 25, "cash"),
    ("IMA-Lebanon", "Sudanese Workers' Committee", "Lebanon", "regular", "active", 2018, 0, ""),
)


def _seed_organizations() -> None:
    from datetime import date

    from ..domain.dues import MembershipType, MemberStatus
    from ..members import operations as member_operations
    from ..members.queries import find_duplicate

    for chapter_code, name, country, kind, status, joined, paid, method in ORGANIZATIONS:
        chapter = by_code(chapter_code)
        if chapter is None or find_duplicate(chapter.id, name):
            continue
        org = member_operations.create_organization(
            None, chapter_id=chapter.id, name=name, country=country,
            region_id=chapter.region_id, membership=MembershipType(kind),
            status=MemberStatus(status), joined_on=date(joined, 6, 1) if joined else None,
            status_since=date(joined or 2022, 6, 1) if status != "suspended" else date(2021, 9, 1),
            contact_person="", email="", phone="", notes="")
        remaining, year, n = paid * 100, 2019, 0
        while remaining > 0:
            amount = min(remaining, 50_00 if remaining != 230_00 else 230_00)
            n += 1
            member_operations.record_payment(
                None, org, amount_cents=amount, currency="USD", usd_cents=amount,
                paid_on=date(min(year, 2022), 3 + n % 8, 10 + n), method=method,
                channel="chapter" if method in ("paypal", "venmo", "cash") else "global",
                reference=f"DEMO-{org.id:03d}-{n}" if method != "cash" else "")
            remaining -= amount
            year += 1


@dataclass(frozen=True)
class Login:
    email: str
    password: str
    label: str


def _passwords_file() -> Path:
    return Path(current_app.instance_path) / "demo-logins.json"


def _demo_passwords() -> dict[str, str]:
    path = _passwords_file()
    known: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [a.email for a in ACCOUNTS if a.email not in known]
    if missing:
        for email in missing:
            known[email] = generate_password()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(known, handle, indent=2)
    return known


def seed(*, if_empty: bool = False) -> list[Login]:
    """Adds the demo (when `if_empty`, only to a database without accounts) and returns
    the demo logins. The caller commits."""
    passwords = _demo_passwords()
    has_accounts = db.session.scalar(select(func.count()).select_from(User)) > 0
    regions = {r.code: r for r in chapter_operations.ensure_regions()}
    chapter_operations.ensure_alliance()
    if not (if_empty and has_accounts):
        for code, name, country, region in CHAPTERS:
            # A chapter renamed or recoded since is left as it is.
            if by_code(code) is None and not name_taken(name):
                chapter_operations.create_chapter(None, name=name, code=code, country=country,
                                                  region=regions[region])
        db.session.flush()
        for account in ACCOUNTS:
            if not email_taken(account.email):
                chapter = (by_code(account.chapter_code)
                           if account.chapter_code else None)
                accounts.create_user(None, email=account.email, name=account.name,
                                     role=account.role, chapter=chapter,
                                     password=passwords[account.email],
                                     timezone=account.timezone, must_change_password=False)
        _seed_organizations()
        from .statements import seed_statements
        seed_statements()
        from .assembly import seed_assembly, seed_fund
        seed_assembly()
        seed_fund()
        from .overview import seed_overview
        seed_overview()
        from .info_sessions import seed_info_sessions
        seed_info_sessions()
        from .letters import seed_letters
        seed_letters()
    logins = []
    for account in ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == account.email))
        if user is None or not user.active:
            continue
        # A password its owner changed is never put back: that login is not printed.
        if verify_password(user, passwords[account.email]):
            logins.append(Login(account.email, passwords[account.email], account.label))
        else:
            logins.append(Login(account.email, "", account.label + "; password changed since"))
    return logins
