"""A person's data on request (issue 14): found by e-mail across the areas, exported as
JSON, erased except what the ledgers and the record keep; the global secretariat only."""
from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import func, select

from ima_portal.assembly import fees
from ima_portal.assembly.models import FeeEntry, Registration
from ima_portal.audit.models import AuditEntry
from ima_portal.auth.models import User
from ima_portal.domain.assembly import Participation, RegistrationState
from ima_portal.info_sessions.models import InfoSessionRegistration
from ima_portal.letters.models import IssuedDocument

from .conftest import Auth
from .letters_helpers import LETTER_FORM

EMAIL = "rosa.cruz@example.org"


def _world(make, db, *, state=RegistrationState.WITHDRAWN, assembly_over=False):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    today = date.today()
    first = today - timedelta(days=10) if assembly_over else today + timedelta(days=30)
    assembly = make.assembly(first_day=first, last_day=first + timedelta(days=3))
    org = make.organization(chapter, "Casa Rosa", email=EMAIL)
    org.contact_person = "Rosa Cruz"
    reg = Registration(assembly_id=assembly.id, organization_id=org.id, chapter_id=chapter.id,
                       full_name="Rosa Cruz", email=EMAIL.upper(), phone="+1 555 0100",
                       dietary="vegetarian", participation=Participation.NON_VOTING,
                       arrival=first - timedelta(days=1), departure=first + timedelta(days=4),
                       state=state)
    db.session.add(reg)
    db.session.commit()
    user = make.user(email=EMAIL, name="Rosa Cruz")
    admin = make.user("admin", name="Global Sec")
    return {"chapter": chapter, "assembly": assembly, "org": org, "reg": reg, "user": user,
            "admin": admin}


def _post(client, path, follow_redirects=False, **data):
    return client.post(path, data={"email": EMAIL, **data}, follow_redirects=follow_redirects)


def test_the_lookup_finds_the_person_across_the_areas_and_exports_it(make, db, as_user):
    w = _world(make, db)
    admin = as_user(w["admin"])
    page = _post(admin, "/admin/people")
    assert page.status_code == 200
    for text in ("Rosa Cruz", "Casa Rosa", "What an erasure keeps, and why", "Download a copy"):
        assert text in page.text
    exported = _post(admin, "/admin/people/export")
    assert exported.status_code == 200
    assert exported.headers["Content-Type"].startswith("application/json")
    data = json.loads(exported.data)
    assert data["account"]["email"] == EMAIL
    assert data["registrations"][0]["phone"] == "+1 555 0100"
    assert data["contact_person_of"][0]["organization"] == "Casa Rosa"
    assert "password" not in exported.text
    actions = db.session.scalars(select(AuditEntry.summary).where(
        AuditEntry.action == "privacy.export")).all()
    assert actions and EMAIL not in actions[0]


def test_erasure_removes_the_person_and_keeps_the_ledger(make, db, as_user, app):
    w = _world(make, db, state=RegistrationState.CONFIRMED, assembly_over=True)
    fees.record_payment(w["admin"], w["reg"], amount_cents=250_00, method="bank",
                        paid_on=date.today(), reference="TX-1")
    db.session.commit()
    admin = as_user(w["admin"])
    refused = _post(admin, "/admin/people/erase")  # not confirmed
    assert refused.status_code == 422 and "Tick this to confirm" in refused.text
    done = _post(admin, "/admin/people/erase", confirm="y", follow_redirects=True)
    assert done.status_code == 200 and "data is erased. Registrations: 1" in done.text
    db.session.expire_all()
    reg = db.session.get(Registration, w["reg"].id)
    assert (reg.full_name, reg.email, reg.phone, reg.dietary) == ("Erased person", "", "", "")
    assert reg.participation is Participation.NON_VOTING  # the row stays for the ledger
    assert db.session.scalar(select(func.count()).select_from(FeeEntry)) == 1
    org = db.session.get(type(w["org"]), w["org"].id)
    assert (org.contact_person, org.email) == ("", "") and org.name == "Casa Rosa"
    user = db.session.get(User, w["user"].id)
    assert not user.active and user.email.endswith("@invalid.example")
    assert Auth(app.test_client()).login(EMAIL).status_code != 302
    summary = db.session.scalar(select(AuditEntry.summary).where(
        AuditEntry.action == "privacy.erase"))
    assert EMAIL not in summary and "Rosa" not in summary
    # nothing is found any more
    assert "Nothing: no account" in _post(admin, "/admin/people").text


def test_an_active_registration_for_an_assembly_to_come_is_withdrawn_first(make, db,
                                                                           as_user):
    w = _world(make, db, state=RegistrationState.CONFIRMED)
    response = _post(as_user(w["admin"]), "/admin/people/erase", confirm="y")
    assert response.status_code == 422
    assert "withdraws the registration first" in response.text
    db.session.expire_all()
    assert db.session.get(Registration, w["reg"].id).full_name == "Rosa Cruz"


def test_letters_lose_their_passport_data_and_signups_go(make, db, as_user, app):
    w = _world(make, db, state=RegistrationState.CONFIRMED, assembly_over=True)
    w["reg"].international = True
    db.session.commit()
    sec = as_user(make.user("secretariat", chapter=w["chapter"]))
    assert sec.post(f"/assemblies/{w['assembly'].number}/delegates/{w['reg'].id}/letter",
                    data=LETTER_FORM).status_code in (302, 303)
    from datetime import time

    from ima_portal.info_sessions import operations as sessions
    result = sessions.schedule_sessions(
        w["user"], w["chapter"], day=date.today() + timedelta(days=7), start=time(18),
        end=time(19), timezone="America/Los_Angeles", weeks=1,
        call_link="https://meet.example.org/x", languages=["en"])
    db.session.add(InfoSessionRegistration(session_id=result.sessions[0].id, name="Rosa Cruz",
                                           email=EMAIL, organization="Casa Rosa"))
    db.session.commit()
    assert "Info session sign-ups: 1" in _post(as_user(w["admin"]), "/admin/people").text
    admin = as_user(w["admin"])
    _post(admin, "/admin/people/erase", confirm="y")
    db.session.expire_all()
    doc = db.session.scalar(select(IssuedDocument))
    assert doc.passport_number is None and doc.holder_name == "Erased person"
    assert doc.personal_data_erased_at is not None
    assert db.session.scalar(select(func.count()).select_from(InfoSessionRegistration)) == 0


def test_only_the_global_secretariat(make, db, as_user):
    w = _world(make, db)
    sec = as_user(make.user("secretariat", chapter=w["chapter"]))
    chair = as_user(make.user("chair"))
    for client in (sec, chair):
        assert client.get("/admin/people").status_code == 403
        assert _post(client, "/admin/people/erase", confirm="y").status_code == 403
        assert _post(client, "/admin/people/export").status_code == 403
