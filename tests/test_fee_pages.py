"""The fee and fund pages: a registration's fee account (record a payment, void with a
reason, waive for the global secretariat), the chapter's fund page (goal, progress,
pledges, receipts, grants; a grant beyond the balance refused beside the field with the
balance shown), scope (another chapter: 404; an anonymous donor's name hidden from the
chair), forms that keep what was typed, the delegates list's fee status, filter, bulk
"mark paid" and CSV columns. On SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from ima_portal.assembly import accounts, fees
from ima_portal.assembly.exports import DELEGATES_HEADER
from ima_portal.domain.fees import FeeStatus
from ima_portal.domain.fund import GrantPurpose

from .test_fees import _registration


@pytest.fixture
def w(make, db):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    other = make.chapter("IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    assembly = make.assembly()
    org = make.organization(chapter, "Paid Up Workers")
    foreign = make.organization(other, "Nairobi Migrants")
    sec = make.user("secretariat", chapter=chapter, name="Maria Santos")
    world = {"assembly": assembly, "chapter": chapter, "sec": sec,
             "other": make.user("secretariat", chapter=other),
             "admin": make.user("admin", name="Global Sec"), "chair": make.user("chair"),
             "luz": _registration(db, assembly, org, "Luz Dimasalang"),
             "ramon": _registration(db, assembly, org, "Ramon Aquino"),
             "amina": _registration(db, assembly, foreign, "Amina Otieno")}
    _, fund = fees.save_fund(sec, chapter, assembly, 6000_00)
    fees.pledge(sec, fund, "Secret Donor", 1000_00, date(2022, 10, 1), True)
    fees.pledge(sec, fund, "Public Church", 500_00, None, False)
    fees.receive(sec, fund, 300_00, date(2022, 9, 1), "Secret Donor", True)
    db.session.commit()
    world["fund"] = fund
    return world


FUND = "/assemblies/5/funds/IMA-USA"


def fee_url(reg) -> str:
    return f"/assemblies/5/delegates/{reg.id}/fee"


def test_a_secretariat_records_a_payment_and_voids_it_with_a_reason(w, as_user, db):
    client = as_user(w["sec"])
    page = client.get(fee_url(w["luz"]))
    assert page.status_code == 200 and 'data-fee-status="unpaid"' in page.text
    response = client.post(fee_url(w["luz"]), data={
        "amount": "100", "method": "bank", "paid_on": "2022-10-01", "reference": "TX-77"})
    assert response.status_code == 303
    page = client.get(fee_url(w["luz"]))
    assert 'data-fee-status="partly_paid"' in page.text and "TX-77" in page.text
    assert "US$150" in page.text  # still due
    entry_id = int(re.search(r'id="fee-entry-(\d+)"', page.text).group(1))
    refused = client.post(fee_url(w["luz"]) + "/void", data={"entry_id": entry_id,
                                                             "reason": ""})
    assert refused.status_code == 422 and "Say why." in refused.text
    assert client.post(fee_url(w["luz"]) + "/void", data={
        "entry_id": entry_id, "reason": "typed twice"}).status_code == 303
    page = client.get(fee_url(w["luz"]))
    assert 'data-fee-status="unpaid"' in page.text and "Voided: typed twice" in page.text


def test_a_payment_form_keeps_what_was_typed(w, as_user):
    response = as_user(w["sec"]).post(fee_url(w["luz"]), data={
        "amount": "two hundred", "method": "paypal", "paid_on": "2022-10-01",
        "reference": "PP-typed-ref"})
    assert response.status_code == 422
    assert 'value="two hundred"' in response.text and 'value="PP-typed-ref"' in response.text
    assert re.search(r'id="amount-feedback"><small class="error">Enter an amount',
                     response.text)


def test_only_the_global_secretariat_waives(w, as_user, db):
    sec_page = as_user(w["sec"]).get(fee_url(w["luz"]))
    assert "Waive the fee" not in sec_page.text
    assert as_user(w["sec"]).post(fee_url(w["luz"]) + "/waive", data={
        "waive-reason": "x", "waive-csrf_token": as_user(w["sec"]).csrf_token()}
    ).status_code == 422
    admin = as_user(w["admin"])
    assert "Waive the fee" in admin.get(fee_url(w["luz"])).text
    done = admin.post(fee_url(w["luz"]) + "/waive", data={
        "waive-reason": "host committee member", "waive-csrf_token": admin.csrf_token()})
    assert done.status_code == 303
    assert accounts.account_of(w["luz"]).status is FeeStatus.WAIVED


def test_another_chapters_registration_and_fund_answer_404(w, as_user):
    other = as_user(w["other"])
    assert other.get(fee_url(w["luz"])).status_code == 404
    assert other.post(fee_url(w["luz"]), data={"amount": "1", "method": "bank",
                                               "paid_on": "2022-10-01"}).status_code == 404
    assert other.get(FUND).status_code == 404
    assert other.post(FUND + "/grants", data={"grant-amount": "1"}).status_code == 404


def test_the_fund_page_shows_progress_and_hides_anonymous_donors_from_others(w, as_user):
    mine = as_user(w["sec"]).get(FUND)
    assert mine.status_code == 200
    assert "Secret Donor" in mine.text and "Public Church" in mine.text
    assert 'value="5"' in mine.text  # 300 of 6,000: 5%
    assert "US$6,000" in mine.text
    chair = as_user(w["chair"]).get(FUND)
    assert chair.status_code == 200
    assert "Secret Donor" not in chair.text and "Anonymous" in chair.text
    assert "Public Church" in chair.text
    assert "Make the grant" not in chair.text  # the chair reads
    admin = as_user(w["admin"]).get(FUND)
    assert "Secret Donor" in admin.text


def test_a_grant_beyond_the_balance_is_refused_beside_the_field_with_the_balance(
        w, as_user, db):
    client = as_user(w["sec"])
    token = client.csrf_token()
    response = client.post(FUND + "/grants", data={
        "grant-csrf_token": token, "grant-registration_id": str(w["luz"].id),
        "grant-purpose": "fee", "grant-amount": "400"})
    assert response.status_code == 422
    feedback = re.search(r'id="grant-amount-feedback">(.*?)</div>', response.text, re.S)
    assert "The fund holds US$300: a grant of US$400 would take it below zero." in \
        feedback.group(1)
    assert 'value="400"' in response.text
    assert re.search(r'id="grant-balance">The fund holds US\$300\.', response.text)
    done = client.post(FUND + "/grants", data={
        "grant-csrf_token": token, "grant-registration_id": str(w["luz"].id),
        "grant-purpose": "fee", "grant-amount": "250"})
    assert done.status_code == 303
    assert accounts.account_of(w["luz"]).status is FeeStatus.COVERED
    page = client.get(FUND)
    assert re.search(r'data-balance><strong>US\$50<', page.text)
    # Another chapter's delegate is not offered, and refused if sent.
    assert "Amina Otieno" not in page.text
    assert client.post(FUND + "/grants", data={
        "grant-csrf_token": token, "grant-registration_id": str(w["amina"].id),
        "grant-purpose": "fee", "grant-amount": "10"}).status_code == 422


def test_a_pledge_form_keeps_what_was_typed_and_a_receipt_settles_a_pledge(w, as_user, db):
    client = as_user(w["sec"])
    token = client.csrf_token()
    response = client.post(FUND + "/pledges", data={
        "pledge-csrf_token": token, "pledge-donor": "Kept Donor Name", "pledge-amount": "-5"})
    assert response.status_code == 422 and 'value="Kept Donor Name"' in response.text
    pledge_id = next(p.id for p in accounts.fund_view(w["fund"], w["sec"].role,
                                                      w["sec"].chapter_id).pledges
                     if p.donor == "Public Church")
    assert client.post(FUND + "/receipts", data={
        "receipt-csrf_token": token, "receipt-amount": "500", "receipt-received_on":
        "2022-10-05", "receipt-settles_id": str(pledge_id)}).status_code == 303
    view = accounts.fund_view(w["fund"], w["sec"].role, w["sec"].chapter_id)
    assert pledge_id in view.settled and view.balance_cents == 800_00


def test_delegates_list_shows_filters_and_marks_fees_paid_in_bulk(w, as_user, db):
    client = as_user(w["sec"])
    fees.grant(w["sec"], w["fund"], w["ramon"], GrantPurpose.FEE, 100_00)
    db.session.commit()
    page = client.get("/assemblies/5/delegates/")
    assert 'data-fee-status="unpaid"' in page.text
    assert f'name="fee_ids" value="{w["luz"].id}"' in page.text
    assert 'data-fee-status="partly_covered"' in page.text
    only = client.get("/assemblies/5/delegates/?fee_status=partly_covered")
    assert "Ramon Aquino" in only.text and "Luz Dimasalang" not in only.text
    response = client.post("/assemblies/5/delegates/mark-paid", data={
        "fee_ids": [str(w["luz"].id), str(w["ramon"].id), str(w["amina"].id)],
        "paid-csrf_token": client.csrf_token(), "paid-reference": "WIRE-2022-11",
        "paid-method": "bank", "paid-paid_on": "2022-11-01"})
    assert response.status_code == 303
    assert accounts.account_of(w["luz"]).status is FeeStatus.PAID
    assert accounts.account_of(w["ramon"]).status is FeeStatus.PAID
    assert accounts.account_of(w["amina"]).status is FeeStatus.UNPAID  # not theirs
    text = client.get("/assemblies/5/delegates.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == DELEGATES_HEADER and rows[0][-2:] == ["fee_status", "fee_still_due_usd"]
    assert rows[0][:19][-2:] == ["fee_usd", "flag"]  # the old columns stay where they were
    assert {r[2]: (r[-2], r[-1]) for r in rows[1:]} == {
        "Luz Dimasalang": ("paid", "US$0"), "Ramon Aquino": ("paid", "US$0")}


def test_the_chair_reads_but_records_nothing_and_a_fund_not_opened_is_404_to_the_chair(
        w, as_user, make, db):
    chair = as_user(w["chair"])
    page = chair.get(fee_url(w["luz"]))
    assert page.status_code == 200 and "Record a payment" not in page.text
    refused = chair.post(fee_url(w["luz"]), data={"amount": "10", "method": "bank",
                                                  "paid_on": "2022-10-01"})
    assert refused.status_code == 422
    assert "the chair reads them" in refused.text
    assert accounts.account_of(w["luz"]).status is FeeStatus.UNPAID
    assert chair.get("/assemblies/5/funds/IMA-Kenya").status_code == 404
    # The chapter's own secretariat may open it.
    kenya = as_user(w["other"])
    assert "Open the fund" in kenya.get("/assemblies/5/funds/IMA-Kenya").text
    assert kenya.post("/assemblies/5/funds/IMA-Kenya",
                      data={"amount": "2,500"}).status_code == 303
    assert "US$2,500" in kenya.get("/assemblies/5/funds/IMA-Kenya").text


def test_every_money_change_leaves_an_audit_entry(w, as_user, db):
    from sqlalchemy import select

    from ima_portal.audit.models import AuditEntry
    client = as_user(w["sec"])
    client.post(fee_url(w["luz"]), data={"amount": "50", "method": "cash",
                                         "paid_on": "2022-10-01"})
    client.post(FUND + "/grants", data={
        "grant-csrf_token": client.csrf_token(), "grant-registration_id": str(w["ramon"].id),
        "grant-purpose": "travel", "grant-amount": "100"})
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"fund.create", "fund.pledge", "fund.receipt", "fee.payment",
            "fund.grant"} <= actions
