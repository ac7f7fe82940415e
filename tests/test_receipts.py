"""Receipts: recording a dues or fee payment issues a receipt PDF (kept, its SHA-256
recorded) mailed with the PDF attached to the organization's contact in its language,
verifiable at /verify/<code>; only the chapter's secretariat and the global secretariat
download it (another chapter: 404); a voided payment's receipt verifies as voided. On
SQLite and PostgreSQL."""
from __future__ import annotations

import email
import hashlib
import io
from datetime import date
from email import policy
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from ima_portal.assembly import fees
from ima_portal.assembly.models import Registration
from ima_portal.domain.assembly import Participation
from ima_portal.members import operations as member_operations
from ima_portal.members.models import DuesEntry
from ima_portal.receipts.models import Receipt


def _mails(app) -> list:
    folder = Path(app.config["MAIL_FOLDER"])
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted(folder.iterdir())] if folder.exists() else []


def _pdf_of(message) -> tuple[str, bytes]:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(parts) == 1
    return parts[0].get_filename(), parts[0].get_content()


def _text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pay_form(**fields):
    data = {"amount": "150", "currency": "USD", "usd_amount": "", "paid_on": "2021-06-01",
            "channel": "chapter", "method": "paypal", "reference": "PP-777"}
    data.update(fields)
    return data


@pytest.fixture
def world(make, db):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    other = make.chapter("IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    org = make.organization(chapter, "Migrantes Unidos", email="tesoreria@migrantes.example",
                            language="es", joined_on=date(2015, 1, 1))
    return {"chapter": chapter, "org": org,
            "sec": make.user("secretariat", chapter=chapter, name="Maria Santos"),
            "other": make.user("secretariat", chapter=other, name="Wanjiru Kamau"),
            "admin": make.user("admin", name="Global Sec"), "chair": make.user("chair")}


def test_recording_a_dues_payment_mails_its_receipt_in_the_organizations_language(
        app, client, auth, db, world):
    auth.login(world["sec"])
    response = client.post(f"/organizations/{world['org'].id}/payments", data=pay_form())
    assert response.status_code in (200, 302, 303)
    receipt = db.session.scalar(select(Receipt))
    entry = db.session.scalar(select(DuesEntry))
    assert receipt.dues_entry_id == entry.id and receipt.language == "es"
    assert receipt.years == "2019-2021" and receipt.recorded_by_name == "Maria Santos"
    assert receipt.pdf_sha256 and receipt.pdf_key and receipt.mailed_at is not None

    mails = [m for m in _mails(app) if receipt.code_display in m["Subject"]]
    assert len(mails) == 1 and mails[0]["To"] == "tesoreria@migrantes.example"
    name, data = _pdf_of(mails[0])
    assert name.endswith(".pdf")
    text = _text(data)
    assert "150" in text and receipt.code_display in text
    assert "Migrantes Unidos" in text and "2019-2021" in text and "PP-777" in text
    # In Spanish, the organization's language (the PDF's /Lang and its labels).
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "es"
    assert "Organización" in text and "Código de verificación" in text
    # the receipt's own sentences too (not only the labels it shares with the letters)
    assert "Recibo" in text and "recibió este pago" in text
    assert "Cuotas de membresía de 2019-2021" in text and "Emitido el" in text
    assert hashlib.sha256(data).hexdigest() == receipt.pdf_sha256

    # Downloaded by the chapter: the very PDF that was mailed (rendered once, kept).
    download = client.get(f"/receipts/dues/{entry.id}.pdf")
    assert download.status_code == 200 and download.data == data

    page = client.get(f"/verify/{receipt.code_display}")
    assert page.status_code == 200
    assert 'data-status="valid"' in page.text and "Migrantes Unidos" in page.text


def test_recording_a_fee_payment_mails_its_receipt_naming_the_registration(
        app, db, make, world):
    assembly = make.assembly()
    reg = Registration(assembly_id=assembly.id, organization_id=world["org"].id,
                       chapter_id=world["chapter"].id, full_name="Luz Dimasalang",
                       participation=Participation.NON_VOTING, arrival=date(2022, 11, 29),
                       departure=date(2022, 12, 4))
    db.session.add(reg)
    db.session.commit()
    done = fees.record_payment(world["sec"], reg, 120_00, "bank", date(2022, 10, 1), "TX-42")
    assert done.decision
    db.session.commit()
    receipt = db.session.scalar(select(Receipt).where(Receipt.fee_entry_id == done.entry.id))
    assert receipt is not None and receipt.registration_name == "Luz Dimasalang"
    mails = [m for m in _mails(app) if receipt.code_display in m["Subject"]]
    assert len(mails) == 1
    text = _text(_pdf_of(mails[0])[1])
    assert "120" in text and receipt.code_display in text and "Luz Dimasalang" in text
    assert "TX-42" in text


def test_no_contact_email_no_mail_the_pdf_is_made_at_its_first_download_and_kept(
        app, client, auth, db, make, world):
    quiet = make.organization(world["chapter"], "Quiet Collective")
    entry = make.payment(quiet, 50)
    receipt = db.session.scalar(select(Receipt).where(Receipt.organization_id == quiet.id))
    assert receipt.language == "en" and receipt.pdf_sha256 is None and receipt.mailed_at is None
    assert not [m for m in _mails(app) if receipt.code_display in m["Subject"]]
    auth.login(world["sec"])
    first = client.get(f"/receipts/dues/{entry.id}.pdf").data
    db.session.refresh(receipt)
    assert receipt.pdf_sha256 == hashlib.sha256(first).hexdigest()
    assert client.get(f"/receipts/dues/{entry.id}.pdf").data == first  # kept, not redone


def test_the_language_falls_back_to_the_chapter_secretariats(db, make, world):
    world["sec"].language = "fr"
    db.session.commit()
    org = make.organization(world["chapter"], "Collectif Sans Langue")
    make.payment(org, 50)
    receipt = db.session.scalar(select(Receipt).where(Receipt.organization_id == org.id))
    assert receipt.language == "fr"


def test_only_the_chapter_and_the_global_secretariat_download_a_receipt(
        client, auth, db, make, world):
    entry = make.payment(world["org"], 50, reference="B-1")
    url = f"/receipts/dues/{entry.id}.pdf"
    auth.login(world["other"])
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login(world["chair"])
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(world["admin"])
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert client.get("/receipts/dues/999999.pdf").status_code == 404
    auth.logout()
    auth.login(world["sec"])
    assert client.get(url).status_code == 200
    ledger = client.get(f"/organizations/{world['org'].id}").text
    assert url in ledger


def test_a_voided_payments_receipt_verifies_as_voided(client, auth, db, make, world):
    entry = make.payment(world["org"], 50, reference="B-2")
    receipt = db.session.scalar(select(Receipt).where(Receipt.dues_entry_id == entry.id))
    assert 'data-status="valid"' in client.get(f"/verify/{receipt.code_display}").text
    assert member_operations.void_payment(world["sec"], world["org"], entry, "Bounced")
    db.session.commit()
    page = client.get(f"/verify/{receipt.verification_code.lower()}")
    assert page.status_code == 200
    assert 'data-status="voided"' in page.text and 'data-status="valid"' not in page.text


def test_the_fee_page_links_each_payment_to_its_receipt(client, auth, db, make, world):
    assembly = make.assembly()
    reg = Registration(assembly_id=assembly.id, organization_id=world["org"].id,
                       chapter_id=world["chapter"].id, full_name="Ramon Aquino",
                       participation=Participation.NON_VOTING, arrival=date(2022, 11, 29),
                       departure=date(2022, 12, 4))
    db.session.add(reg)
    db.session.commit()
    done = fees.record_payment(world["sec"], reg, 50_00, "cash", date(2022, 10, 1))
    db.session.commit()
    auth.login(world["sec"])
    page = client.get(f"/assemblies/{assembly.number}/delegates/{reg.id}/fee").text
    assert f"/receipts/fee/{done.entry.id}.pdf" in page
    assert client.get(f"/receipts/fee/{done.entry.id}.pdf").status_code == 200
    auth.logout()
    auth.login(world["other"])
    assert client.get(f"/receipts/fee/{done.entry.id}.pdf").status_code == 404


def test_the_organization_form_sets_and_clears_the_receipts_language(client, auth, db, world):
    org = world["org"]
    auth.login(world["sec"])
    form = client.get(f"/organizations/{org.id}/edit").text
    assert 'name="language"' in form and '<option value="fr">Français</option>' in form
    data = {"name": org.name, "country": org.country, "region_id": str(org.region_id),
            "membership": "regular", "status": "active", "status_since": "2015-01-01",
            "joined_on": "2015-01-01", "contact_person": "", "email": org.email,
            "phone": "", "notes": "", "language": "fr"}
    assert client.post(f"/organizations/{org.id}/edit", data=data).status_code == 303
    db.session.refresh(org)
    assert org.language == "fr"
    data["language"] = ""
    assert client.post(f"/organizations/{org.id}/edit", data=data).status_code == 303
    db.session.refresh(org)
    assert org.language is None
    data["language"] = "de"
    assert client.post(f"/organizations/{org.id}/edit", data=data).status_code == 422
