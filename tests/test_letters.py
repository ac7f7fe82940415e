"""Visa invitation letters through the pages: the chapter requests (each field checked
beside it, what was typed kept), the global secretariat issues or refuses; scope (another
chapter: 404, the chair: 403); passport numbers masked in lists and never in a CSV; the
PDF kept as issued (its SHA-256); /verify answers for a letter (valid, withdrawn, erased)
and 404 for an unknown code; `flask erase-passport-data`; names in every script read back
from the letter. On SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import re
import threading
from datetime import date

import pytest

from ima_portal.domain.assembly import RegistrationState
from ima_portal.domain.letters import DocumentKind, LetterState
from ima_portal.letters import queries
from ima_portal.letters.models import IssuedDocument

from .letters_helpers import LETTER_FORM, PASSPORT, audit_actions, build_world, pdf_text
from .test_scripts import EXACT, REORDERED, same_letters

BASE = "/assemblies/5"


@pytest.fixture
def world(make, db):
    return build_world(make, db)


def request_for(client, reg, **changes):
    return client.post(f"{BASE}/delegates/{reg.id}/letter", data={**LETTER_FORM, **changes})


def letter_of(db, reg) -> IssuedDocument:
    return db.session.query(IssuedDocument).filter_by(registration_id=reg.id,
                                                      kind=DocumentKind.LETTER).one()


def requested(world, as_user, db, reg=None):
    reg = reg or world["ana"]
    response = request_for(as_user(world["sec"] if reg.chapter_id == world["usa"].id
                                   else world["kenya_sec"]), reg)
    assert response.status_code == 303, response.get_data(as_text=True)
    return letter_of(db, reg)


def issued(world, as_user, db, reg=None):
    doc = requested(world, as_user, db, reg)
    response = as_user(world["admin"]).post(f"{BASE}/letters/{doc.id}/issue")
    assert response.status_code == 303
    db.session.refresh(doc)
    assert doc.state is LetterState.ISSUED
    return doc


def test_the_chapter_requests_a_letter(world, as_user, db):
    sec = as_user(world["sec"])
    page = sec.get(f"{BASE}/delegates/{world['ana'].id}/letter")
    assert page.status_code == 200 and 'value="Ana Reyes"' in page.text  # pre-filled
    response = request_for(sec, world["ana"])
    doc = letter_of(db, world["ana"])
    assert response.headers["Location"].endswith(f"/letters/{doc.id}")
    assert doc.state is LetterState.REQUESTED and doc.passport_number == PASSPORT
    assert doc.holder_name == "REYES, ANA MARIA" and doc.date_of_birth == date(1984, 3, 9)
    assert doc.organization_name == "Migrant Workers United" and doc.chapter_name == "IMA USA"
    db.session.refresh(world["ana"])
    assert world["ana"].needs_visa_letter is True
    assert "letter.request" in audit_actions(db)


def test_each_field_is_checked_beside_it_and_what_was_typed_is_kept(world, as_user, db):
    sec = as_user(world["sec"])
    response = request_for(sec, world["ana"], nationality="", passport_number="AB1",
                           date_of_birth="", passport_expiry="2022-12-01",
                           passport_name="Ana Typed")
    assert response.status_code == 422
    html = response.text
    for field, words in (("nationality", "Enter the nationality"),
                         ("passport_number", "5 to 20 letters and digits"),
                         ("date_of_birth", "Enter the date of birth"),
                         ("passport_expiry", "expires before the delegate leaves")):
        feedback = re.search(rf'id="{field}-feedback">(.*?)</div>', html, re.S).group(1)
        assert words in feedback, (field, feedback)
    assert 'value="Ana Typed"' in html and 'value="AB1"' in html
    not_a_date = request_for(sec, world["ana"], date_of_birth="23/04/1985")
    assert not_a_date.status_code == 422 and 'value="23/04/1985"' in not_a_date.text
    assert db.session.query(IssuedDocument).count() == 0


def test_only_confirmed_international_delegates_get_letters(world, as_user, db):
    sec = as_user(world["sec"])
    for reg, words in ((world["dana"], "international delegate"),
                       (world["pat"], "Confirm the registration")):
        response = request_for(sec, reg)
        assert response.status_code == 403 and words in response.text
    assert db.session.query(IssuedDocument).count() == 0


def test_another_chapter_gets_404_and_the_chair_403(world, as_user, db):
    doc = requested(world, as_user, db)
    kenya = as_user(world["kenya_sec"])
    assert kenya.get(f"{BASE}/letters/{doc.id}").status_code == 404
    assert kenya.get(f"{BASE}/delegates/{world['ana'].id}/letter").status_code == 404
    assert request_for(kenya, world["ana"]).status_code == 404
    assert kenya.post(f"{BASE}/letters/{doc.id}/withdraw").status_code == 404
    index = kenya.get(f"{BASE}/letters/").text
    assert "REYES" not in index and "Ana Reyes" not in index and "Ben Otieno" in index
    chair = as_user(world["chair"])
    for url in (f"{BASE}/letters/", f"{BASE}/letters/{doc.id}", f"{BASE}/certificates/"):
        assert chair.get(url).status_code == 403
    # The chapter may not issue its own letter.
    assert as_user(world["sec"]).post(f"{BASE}/letters/{doc.id}/issue").status_code == 403


def test_passport_numbers_are_masked_in_lists_and_whole_on_the_letter_page(world, as_user, db):
    doc = requested(world, as_user, db)
    for user in ("sec", "admin"):
        client = as_user(world[user])
        index = client.get(f"{BASE}/letters/").text
        assert "•••••567" in index and PASSPORT not in index
        assert PASSPORT in client.get(f"{BASE}/letters/{doc.id}").text
    fragment = as_user(world["admin"]).hx_get(f"{BASE}/letters/?state=requested")
    assert fragment.text.lstrip().startswith('<div id="letters"') and "•••••567" in fragment.text


def test_no_passport_data_in_any_csv(world, as_user, db):
    issued(world, as_user, db)
    admin = as_user(world["admin"])
    urls = [f"{BASE}/delegates.csv", f"{BASE}/voting-roll.csv"] + [
        f"{BASE}/logistics/{r}.csv" for r in ("arrivals", "rooming", "interpretation", "needs")]
    for url in urls:
        response = admin.get(url)
        assert response.status_code == 200 and response.mimetype == "text/csv", url
        text = response.data.decode("utf-8-sig")
        for secret in (PASSPORT, "567", "1984-03-09", "Filipino", "passport"):
            assert secret.lower() not in text.lower(), (url, secret)
    assert "Ana Reyes" in admin.get(f"{BASE}/delegates.csv").data.decode("utf-8-sig")


def test_the_global_secretariat_issues_and_the_pdf_is_kept_as_issued(world, as_user, db):
    doc = issued(world, as_user, db)
    assert doc.issuer_name == "Grace Lam" and doc.verification_code and doc.pdf_sha256
    assert "letter.issue" in audit_actions(db)
    for user in ("sec", "admin"):
        response = as_user(world[user]).get(f"{BASE}/letters/{doc.id}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert hashlib.sha256(response.data).hexdigest() == doc.pdf_sha256
    text = pdf_text(response.data)
    for words in ("International Migrants Alliance", "REYES, ANA MARIA", "Filipino", PASSPORT,
                  "Migrant Workers United", "29 November 2022", "4 December 2022",
                  "5th Global Assembly", "Bangkok, Thailand", "30 November 2022",
                  "3 December 2022", "Grace Lam", "Global secretariat", doc.code_display,
                  f"/verify/{doc.code_display}"):
        assert words in text, words
    assert as_user(world["kenya_sec"]).get(f"{BASE}/letters/{doc.id}.pdf").status_code == 404


def test_refused_with_a_reason_then_asked_again(world, as_user, db):
    doc = requested(world, as_user, db)
    admin = as_user(world["admin"])
    admin.post(f"{BASE}/letters/{doc.id}/refuse", data={"reason": " "})
    db.session.refresh(doc)
    assert doc.state is LetterState.REQUESTED
    admin.post(f"{BASE}/letters/{doc.id}/refuse", data={"reason": "Passport scan unreadable"})
    db.session.refresh(doc)
    assert doc.state is LetterState.REFUSED and doc.reason == "Passport scan unreadable"
    sec = as_user(world["sec"])
    listed = sec.get(f"{BASE}/letters/?state=refused").text
    assert "Passport scan unreadable" in listed
    assert world["ana"].id in queries.needing_letter_ids(world["sec"], world["assembly"])
    assert request_for(sec, world["ana"]).status_code == 303
    db.session.refresh(doc)
    assert doc.state is LetterState.REQUESTED and doc.reason == ""
    correcting = sec.get(f"{BASE}/delegates/{world['ana'].id}/letter").text
    assert 'value="REYES, ANA MARIA"' in correcting and f'value="{PASSPORT}"' in correcting
    assert audit_actions(db)[-3:] == ["letter.request", "letter.refuse", "letter.request_again"]


def test_a_withdrawn_registration_withdraws_its_letter(world, as_user, db):
    doc = issued(world, as_user, db)
    code = doc.code_display
    public = as_user(world["chair"])  # any reader; the page is public
    assert 'data-validity="valid"' in public.get(f"/verify/{code}").text
    world["ana"].state = RegistrationState.WITHDRAWN
    db.session.commit()
    admin = as_user(world["admin"])
    assert "REYES, ANA MARIA" in admin.get(f"{BASE}/letters/?state=withdrawn").text
    assert "REYES" not in admin.get(f"{BASE}/letters/?state=issued").text
    page = public.get(f"/verify/{code}")
    assert page.status_code == 200 and 'data-validity="withdrawn"' in page.text


def test_verify_answers_for_a_letter_and_404_for_an_unknown_code(world, as_user, db, app):
    doc = issued(world, as_user, db)
    public = app.test_client()
    page = public.get(f"/verify/{doc.code_display.lower()}")
    assert page.status_code == 200
    html = page.text
    for words in ("REYES, ANA MARIA", "Filipino", "•••••567", "5th Global Assembly",
                  "Grace Lam", "Valid"):
        assert words in html, words
    assert PASSPORT not in html and "1984" not in html and "March 9" not in html
    assert public.get("/verify/AAAAA-BBBBB").status_code == 404
    # A requested letter has no code that answers.
    other = requested(world, as_user, db, world["ben"])
    assert other.verification_code is None


def test_the_chapter_cancels_its_request(world, as_user, db):
    doc = requested(world, as_user, db)
    as_user(world["sec"]).post(f"{BASE}/letters/{doc.id}/withdraw", data={"reason": ""})
    db.session.refresh(doc)
    assert doc.state is LetterState.WITHDRAWN
    assert "letter.withdraw" in audit_actions(db)


def test_delegates_needing_a_letter(world, as_user, db):
    sec = as_user(world["sec"])
    assembly = world["assembly"]
    assert queries.delegates_needing_letter(world["sec"], assembly) == []
    sec.post(f"{BASE}/delegates/{world['ana'].id}/needs-letter", data={"needs": "1"})
    as_user(world["kenya_sec"]).post(f"{BASE}/delegates/{world['ben'].id}/needs-letter",
                                     data={"needs": "1"})
    assert [r.full_name for r in queries.delegates_needing_letter(world["sec"], assembly)] \
        == ["Ana Reyes"]
    assert {r.full_name for r in queries.delegates_needing_letter(world["admin"], assembly)} \
        == {"Ana Reyes", "Ben Otieno"}
    assert "needs a visa letter" in sec.get(f"{BASE}/letters/").text
    request_for(sec, world["ana"])
    assert queries.delegates_needing_letter(world["sec"], assembly) == []
    # Another chapter's delegate: 404, nothing changed.
    assert sec.post(f"{BASE}/delegates/{world['ben'].id}/needs-letter",
                    data={"needs": "0"}).status_code == 404
    assert "letter.needed" in audit_actions(db)


def test_erase_passport_data(world, as_user, db, runner, make):
    doc = issued(world, as_user, db)
    later = make.assembly(number=6, first_day=date.today(), last_day=date.today(),
                          arrive_by=date.today(), leave_on=date.today(),
                          nights_from=date.today(), checkout_on=date.today().replace(
                              year=date.today().year + 1))
    from .letters_helpers import register
    org = world["ana"].organization
    future = register(db, later, org, "Future Delegate", arrival=date.today(),
                      departure=date.today())
    as_user(world["sec"]).post(f"/assemblies/6/delegates/{future.id}/letter",
                               data={**LETTER_FORM, "passport_expiry": ""})
    kept = letter_of(db, future)
    sha = doc.pdf_sha256
    result = runner.invoke(args=["erase-passport-data", "--days", "90"])
    assert result.exit_code == 0, result.output
    assert "1 letter" in result.output
    db.session.refresh(doc)
    db.session.refresh(kept)
    assert doc.passport_number is None and doc.date_of_birth is None and doc.nationality is None
    assert doc.personal_data_erased_at is not None and doc.pdf_sha256 == sha
    assert doc.holder_name == "REYES, ANA MARIA" and doc.verification_code
    assert kept.passport_number == PASSPORT  # its assembly has not ended 90 days ago
    assert "letter.erase_passport_data" in audit_actions(db)
    page = as_user(world["admin"]).get(f"/verify/{doc.code_display}").text
    assert "personal data was erased on" in page and "Filipino" not in page
    assert as_user(world["sec"]).get(f"{BASE}/letters/{doc.id}.pdf").status_code == 410
    again = runner.invoke(args=["erase-passport-data"])
    assert again.exit_code == 0 and "0 letter" in again.output


def test_names_in_every_script_read_back_from_a_letter(world, as_user, db):
    names = EXACT + REORDERED
    sec, admin = as_user(world["sec"]), as_user(world["admin"])
    response = request_for(sec, world["ana"], passport_name=" ".join(names))
    assert response.status_code == 303
    doc = letter_of(db, world["ana"])
    admin.post(f"{BASE}/letters/{doc.id}/issue")
    text = pdf_text(admin.get(f"{BASE}/letters/{doc.id}.pdf").data)
    unbroken = re.sub(r"\s+", "", text)
    for name in EXACT:
        assert re.sub(r"\s+", "", name) in unbroken, (name, text)
    for name in REORDERED:
        assert same_letters(name, text), name


def test_two_members_issuing_one_letter_at_once_issue_it_once(world, as_user, db, app, make):
    """Both read a requested letter and issue it: the letter's row is taken before the
    decision, so the second waits, reads it issued and is refused: one code, one PDF."""
    from sqlalchemy.exc import OperationalError

    from ima_portal.auth.models import User
    from ima_portal.extensions import db as _db
    from ima_portal.letters import operations

    doc = requested(world, as_user, db)
    ids = {"doc": doc.id, "a": world["admin"].id, "b": make.user("admin", name="Second").id}
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def issue(user_key: str) -> None:
        with app.app_context():
            try:
                user = _db.session.get(User, ids[user_key])
                letter = _db.session.get(IssuedDocument, ids["doc"])
                _db.session.commit()  # end the read transaction: each starts afresh
                barrier.wait(timeout=10)
                decision = operations.issue_letter(user, letter)
                if decision:
                    _db.session.commit()
                    outcomes.append("ok")
                else:
                    _db.session.rollback()
                    outcomes.append(decision.message())
            except OperationalError:  # SQLite: the other writer held the database too long
                _db.session.rollback()
                outcomes.append("locked")
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=issue, args=(key,)) for key in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes
    db.session.expire_all()
    assert audit_actions(db).count("letter.issue") == 1
    from ima_portal.documents.models import StoredDocument
    assert db.session.query(StoredDocument).filter_by(kind="letter").count() == 1
