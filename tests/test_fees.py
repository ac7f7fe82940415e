"""Fees and the solidarity fund against the database: the ledgers are append-only (the
database refuses an edit or a delete), a grant beyond the balance is refused, and two
grants that together exceed the balance cannot both pass when made at the same moment.
On SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DatabaseError

from ima_portal.assembly import accounts, fees
from ima_portal.assembly.models import FeeEntry, FundEntry, Registration, SolidarityFund
from ima_portal.domain.assembly import Participation, RegistrationState
from ima_portal.domain.fees import FeeEntryKind, FeeStatus
from ima_portal.domain.fund import GrantPurpose


def _registration(db, assembly, org, name: str, **fields) -> Registration:
    reg = Registration(assembly_id=assembly.id, organization_id=org.id,
                       chapter_id=org.chapter_id, full_name=name,
                       participation=Participation.NON_VOTING, arrival=date(2022, 11, 29),
                       departure=date(2022, 12, 4), **fields)
    db.session.add(reg)
    db.session.commit()
    return reg


@pytest.fixture
def money(make, db):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    other = make.chapter("IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    assembly = make.assembly()
    org = make.organization(chapter, "Paid Up Workers")
    foreign = make.organization(other, "Nairobi Migrants")
    sec = make.user("secretariat", chapter=chapter, name="Maria Santos")
    world = {"assembly": assembly, "chapter": chapter, "other_chapter": other, "org": org,
             "sec": sec, "sec2": make.user("secretariat", chapter=chapter, name="Rosa Lim"),
             "other": make.user("secretariat", chapter=other, name="Wanjiru Kamau"),
             "admin": make.user("admin", name="Global Sec"), "chair": make.user("chair"),
             "luz": _registration(db, assembly, org, "Luz Dimasalang"),
             "ramon": _registration(db, assembly, org, "Ramon Aquino"),
             "local": _registration(db, assembly, org, "Thai Host", international=False),
             "amina": _registration(db, assembly, foreign, "Amina Otieno")}
    decision, fund = fees.save_fund(sec, chapter, assembly, 6000_00)
    assert decision
    db.session.commit()
    world["fund"] = fund
    return world


def test_fee_statuses_from_payments_grants_waivers_and_voids(money, db):
    luz, ramon, local = money["luz"], money["ramon"], money["local"]
    sec, admin, fund = money["sec"], money["admin"], money["fund"]
    assert accounts.account_of(luz).status is FeeStatus.UNPAID
    assert accounts.account_of(local).status is FeeStatus.NO_FEE
    paid = fees.record_payment(sec, luz, 100_00, "bank", date(2022, 10, 1), "TX-1")
    assert paid.decision and accounts.account_of(luz).status is FeeStatus.PARTLY_PAID
    fees.receive(sec, fund, 500_00, date(2022, 9, 1), "Church of the Poor", False)
    assert fees.grant(sec, fund, luz, GrantPurpose.FEE, 150_00).decision
    account = accounts.account_of(luz)
    assert (account.status, account.paid_cents, account.granted_cents,
            account.still_due_cents) == (FeeStatus.PAID, 100_00, 150_00, 0)
    # A travel grant is not a fee grant.
    assert fees.grant(sec, fund, ramon, GrantPurpose.TRAVEL, 200_00).decision
    assert accounts.account_of(ramon).status is FeeStatus.UNPAID
    # Voiding the payment leaves the grant.
    assert not fees.void_fee_entry(sec, luz, paid.entry.id, " ").decision
    assert fees.void_fee_entry(sec, luz, paid.entry.id, "bounced").decision
    assert accounts.account_of(luz).status is FeeStatus.PARTLY_COVERED
    # Waiving is the global secretariat's, with a reason.
    assert not fees.waive(sec, ramon, "hardship").decision
    assert fees.waive(admin, ramon, "host committee").decision
    assert accounts.account_of(ramon).status is FeeStatus.WAIVED
    db.session.commit()


def test_a_withdrawn_registrations_payment_waits_for_a_refund_or_credit(money, db):
    luz, sec = money["luz"], money["sec"]
    fees.record_payment(sec, luz, 250_00, "paypal", date(2022, 10, 1), "PP-9")
    luz.state = RegistrationState.WITHDRAWN
    db.session.flush()
    account = accounts.account_of(luz)
    assert (account.status, account.to_settle_cents) == (FeeStatus.TO_SETTLE, 250_00)
    assert fees.settle(sec, luz, FeeEntryKind.CREDIT, "for the 6th assembly").decision
    assert accounts.account_of(luz).status is FeeStatus.CREDITED
    assert not fees.settle(sec, luz, FeeEntryKind.REFUND).decision
    db.session.commit()


def test_a_grant_beyond_the_balance_is_refused_with_the_balance(money, db):
    sec, fund = money["sec"], money["fund"]
    fees.receive(sec, fund, 300_00, date(2022, 9, 1), "A donor", True)
    done = fees.grant(sec, fund, money["luz"], GrantPurpose.FEE, 400_00)
    assert not done.decision and done.field == "amount"
    assert "holds US$300" in done.decision.message()
    # Another chapter's delegate, or another chapter's secretariat: refused.
    assert not fees.grant(sec, fund, money["amina"], GrantPurpose.FEE, 10_00).decision
    assert not fees.grant(money["other"], fund, money["luz"], GrantPurpose.FEE, 10_00).decision
    assert not fees.grant(money["chair"], fund, money["luz"], GrantPurpose.FEE, 10_00).decision


@pytest.mark.parametrize("table", [FeeEntry, FundEntry])
def test_the_database_refuses_to_edit_or_delete_a_ledger_line(money, db, table):
    sec, fund = money["sec"], money["fund"]
    fees.record_payment(sec, money["luz"], 100_00, "bank", date(2022, 10, 1))
    fees.receive(sec, fund, 100_00, date(2022, 9, 1), "A donor", False)
    db.session.commit()
    entry_id = db.session.scalar(select(func.min(table.id)))
    for statement in (update(table).where(table.id == entry_id).values(amount_cents=1),
                      delete(table).where(table.id == entry_id)):
        with pytest.raises(DatabaseError, match="never edited or deleted"):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
    assert db.session.get(table, entry_id).amount_cents == 100_00


def test_the_database_refuses_a_void_without_a_reason_and_a_grant_without_a_decider(
        money, db):
    fund = money["fund"]
    db.session.add(FundEntry(fund_id=fund.id, kind="grant", amount_cents=100,
                             registration_id=money["luz"].id, purpose="fee"))
    with pytest.raises(DatabaseError):
        db.session.flush()
    db.session.rollback()
    db.session.add(FeeEntry(registration_id=money["luz"].id, kind="waiver", reason=" "))
    with pytest.raises(DatabaseError):
        db.session.flush()
    db.session.rollback()


def test_two_grants_that_together_exceed_the_balance_cannot_both_pass(money, app, db):
    """Both read a balance of US$300 and ask for US$200: the fund's row is locked before
    the balance is read, so the second waits, reads the first one's grant and is refused
    with the balance left."""
    sec, fund = money["sec"], money["fund"]
    fees.receive(sec, fund, 300_00, date(2022, 9, 1), "A donor", False)
    db.session.commit()
    ids = {"fund": fund.id, "sec": sec.id, "sec2": money["sec2"].id,
           "luz": money["luz"].id, "ramon": money["ramon"].id}
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def give(user_key: str, reg_key: str) -> None:
        from ima_portal.auth.models import User
        from ima_portal.extensions import db as _db
        with app.app_context():
            try:
                user = _db.session.get(User, ids[user_key])
                fund_ = _db.session.get(SolidarityFund, ids["fund"])
                reg = _db.session.get(Registration, ids[reg_key])
                _db.session.commit()  # end the read transaction: each starts afresh
                barrier.wait(timeout=10)
                done = fees.grant(user, fund_, reg, GrantPurpose.FEE, 200_00)
                if done.decision:
                    _db.session.commit()
                    outcomes.append("ok")
                else:
                    _db.session.rollback()
                    outcomes.append(done.decision.message())
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=give, args=("sec", "luz")),
               threading.Thread(target=give, args=("sec2", "ramon"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes
    refusal = next(o for o in outcomes if o != "ok")
    assert refusal == ("The fund holds US$100: a grant of US$200 would take it below zero.")
    db.session.expire_all()
    assert accounts.balance(db.session.get(SolidarityFund, ids["fund"])) == 100_00
    assert db.session.scalar(select(func.count()).select_from(FundEntry).where(
        FundEntry.kind == "grant")) == 1


def test_voiding_a_receipt_the_grants_spent_is_refused(money, db):
    sec, fund = money["sec"], money["fund"]
    receipt = fees.receive(sec, fund, 300_00, date(2022, 9, 1), "A donor", False).entry
    fees.grant(sec, fund, money["luz"], GrantPurpose.FEE, 250_00)
    done = fees.void_fund_entry(sec, fund, receipt.id, "bounced")
    assert not done.decision and "holds US$50" in done.decision.message()
    assert db.session.execute(text("SELECT 1")).scalar() == 1
