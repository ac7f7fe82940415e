"""Certificates of attendance through the pages: issued by the global secretariat from
the assembly's last day, to one confirmed delegate or every one of a chapter or the
assembly; the PDF (name as typed, organization, chapter, the assembly, the code) kept with
its SHA-256; /verify answers for a certificate; scope. On SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest

from ima_portal.domain.assembly import RegistrationState
from ima_portal.domain.letters import DocumentKind
from ima_portal.letters.models import IssuedDocument

from .letters_helpers import audit_actions, build_world, pdf_text, register
from .test_scripts import EXACT, REORDERED, same_letters

BASE = "/assemblies/5"


@pytest.fixture
def world(make, db):
    return build_world(make, db)  # the 5th assembly: 30 Nov to 3 Dec 2022, long over


def certificates(db) -> list[IssuedDocument]:
    return db.session.query(IssuedDocument).filter_by(kind=DocumentKind.CERTIFICATE).order_by(
        IssuedDocument.holder_name).all()


def test_not_before_the_assembly_s_last_day(make, db, as_user):
    today = date.today()
    world = build_world(make, db, first_day=today, last_day=today + timedelta(days=2),
                        arrive_by=today, leave_on=today + timedelta(days=3),
                        nights_from=today - timedelta(days=1),
                        checkout_on=today + timedelta(days=3))
    admin = as_user(world["admin"])
    page = admin.get(f"{BASE}/certificates/").text
    assert "from the assembly&#39;s last day" in page or "from the assembly's last day" in page
    admin.post(f"{BASE}/certificates/issue", data={"reg_id": world["ana"].id})
    admin.post(f"{BASE}/certificates/issue", data={})
    assert certificates(db) == []


def test_the_global_secretariat_issues_for_a_chapter_then_everyone(world, as_user, db):
    admin = as_user(world["admin"])
    response = admin.post(f"{BASE}/certificates/issue",
                          data={"chapter_id": world["usa"].id})
    assert response.status_code == 303
    # Confirmed delegates of IMA USA, international or local; not the pending one.
    assert [c.holder_name for c in certificates(db)] == ["Ana Reyes", "Dana Local"]
    admin.post(f"{BASE}/certificates/issue", data={})
    assert [c.holder_name for c in certificates(db)] == ["Ana Reyes", "Ben Otieno",
                                                         "Dana Local"]
    again = admin.post(f"{BASE}/certificates/issue", data={}, follow_redirects=True)
    assert "already has a certificate" in again.text
    assert len(certificates(db)) == 3
    assert audit_actions(db).count("certificate.issue") == 3
    assert len({c.verification_code for c in certificates(db)}) == 3


def test_one_delegate_and_only_the_global_secretariat(world, as_user, db):
    sec = as_user(world["sec"])
    assert sec.post(f"{BASE}/certificates/issue",
                    data={"reg_id": world["ana"].id}).status_code == 403
    admin = as_user(world["admin"])
    admin.post(f"{BASE}/certificates/issue", data={"reg_id": world["pat"].id})
    assert certificates(db) == []  # pending: no certificate
    admin.post(f"{BASE}/certificates/issue", data={"reg_id": world["ben"].id})
    assert [c.holder_name for c in certificates(db)] == ["Ben Otieno"]


def test_the_pdf_its_hash_scope_and_verification(world, as_user, db, app):
    admin = as_user(world["admin"])
    admin.post(f"{BASE}/certificates/issue", data={"reg_id": world["ana"].id})
    cert = certificates(db)[0]
    sec = as_user(world["sec"])
    assert "Ana Reyes" in sec.get(f"{BASE}/certificates/").text
    response = sec.get(f"{BASE}/certificates/{cert.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    db.session.refresh(cert)
    assert hashlib.sha256(response.data).hexdigest() == cert.pdf_sha256
    assert admin.get(f"{BASE}/certificates/{cert.id}.pdf").data == response.data  # kept
    text = pdf_text(response.data)
    for words in ("CERTIFICATE OF ATTENDANCE", "Ana Reyes", "Migrant Workers United",
                  "IMA USA", "5th Global Assembly", "Bangkok, Thailand", "30 November 2022",
                  "3 December 2022", "Grace Lam", cert.code_display,
                  f"/verify/{cert.code_display}"):
        assert words in text, words
    kenya = as_user(world["kenya_sec"])
    assert kenya.get(f"{BASE}/certificates/{cert.id}.pdf").status_code == 404
    assert "Ana Reyes" not in kenya.get(f"{BASE}/certificates/").text
    public = app.test_client()
    page = public.get(f"/verify/{cert.code_display}")
    assert page.status_code == 200
    for words in ("Check a certificate of attendance", "Ana Reyes", "Migrant Workers United",
                  "5th Global Assembly", "Valid"):
        assert words in page.text, words
    assert public.get("/verify/ZZZZZ-99999").status_code == 404
    world["ana"].state = RegistrationState.WITHDRAWN
    db.session.commit()
    assert 'data-validity="withdrawn"' in public.get(f"/verify/{cert.code_display}").text


def test_names_in_every_script_read_back_from_a_certificate(world, as_user, db):
    names = EXACT + REORDERED
    org = world["ana"].organization
    reg = register(db, world["assembly"], org, " ".join(names))
    admin = as_user(world["admin"])
    admin.post(f"{BASE}/certificates/issue", data={"reg_id": reg.id})
    cert = next(c for c in certificates(db) if c.registration_id == reg.id)
    text = pdf_text(admin.get(f"{BASE}/certificates/{cert.id}.pdf").data)
    unbroken = re.sub(r"\s+", "", text)
    for name in EXACT:
        assert re.sub(r"\s+", "", name) in unbroken, (name, text)
    for name in REORDERED:
        assert same_letters(name, text), name
