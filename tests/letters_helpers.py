"""Helpers of the letters and certificates tests (kept out of conftest and factories)."""
from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

from pypdf import PdfReader

from ima_portal.assembly.models import Registration
from ima_portal.domain.assembly import Participation, RegistrationState

PASSPORT = "P1234567"
LETTER_FORM = {"passport_name": "REYES, ANA MARIA", "nationality": "Filipino",
               "passport_number": "p123 4567", "passport_expiry": "2027-05-01",
               "date_of_birth": "1984-03-09"}


def register(db, assembly, org, name: str, *, state=RegistrationState.CONFIRMED,
             international: bool = True, arrival=date(2022, 11, 29),
             departure=date(2022, 12, 4), **fields) -> Registration:
    reg = Registration(assembly_id=assembly.id, organization_id=org.id,
                       chapter_id=org.chapter_id, full_name=name,
                       participation=Participation.NON_VOTING, arrival=arrival,
                       departure=departure, international=international, state=state,
                       **fields)
    db.session.add(reg)
    db.session.commit()
    return reg


def build_world(make, db, **assembly_fields) -> dict:
    usa = make.chapter("IMA-USA", name="IMA USA")
    kenya = make.chapter("IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    assembly = make.assembly(**assembly_fields)
    workers = make.organization(usa, "Migrant Workers United")
    nairobi = make.organization(kenya, "Nairobi Migrants")
    return {
        "usa": usa, "kenya": kenya, "assembly": assembly,
        "ana": register(db, assembly, workers, "Ana Reyes"),
        "ben": register(db, assembly, nairobi, "Ben Otieno"),
        "dana": register(db, assembly, workers, "Dana Local", international=False),
        "pat": register(db, assembly, workers, "Pat Pending",
                        state=RegistrationState.PENDING),
        "admin": make.user("admin", name="Grace Lam"), "chair": make.user("chair"),
        "sec": make.user("secretariat", chapter=usa),
        "kenya_sec": make.user("secretariat", chapter=kenya),
    }


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def audit_actions(db) -> list[str]:
    from sqlalchemy import select

    from ima_portal.audit.models import AuditEntry
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
