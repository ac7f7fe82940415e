"""Each organization's dues balance is kept by the database (migration 0020's triggers) and
always equals what its ledger adds up to, on SQLite and PostgreSQL: the organizations
list, its standing filters, the dues check and the homes read it instead of summing the
whole ledger (issue 15)."""
from __future__ import annotations

import random
import threading
import time
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from ima_portal.domain import dues
from ima_portal.domain.dues import MemberStatus
from ima_portal.members import operations
from ima_portal.members.models import DuesBalance, DuesEntry, DuesPolicyRecord, Remittance
from ima_portal.members.queries import as_policy


def balance(db, org) -> tuple[int, int, int]:
    """(paid, unremitted cents, unremitted payments) as the database keeps them."""
    row = db.session.execute(select(DuesBalance.paid_cents, DuesBalance.unremitted_cents,
                                    DuesBalance.unremitted_payments)
                             .where(DuesBalance.organization_id == org.id)).one()
    return tuple(row)


def due(db, org) -> int:
    return db.session.scalar(select(DuesBalance.due_cents).where(
        DuesBalance.organization_id == org.id))


def due_by_the_rule(db, org) -> int:
    """What `domain.dues` says the organization owes in all under the current policy."""
    db.session.refresh(org)
    current = db.session.scalar(select(DuesPolicyRecord).where(DuesPolicyRecord.is_current))
    if current is None:
        return 0
    return dues.standing_from_total(0, as_policy(current), membership=org.membership,
                                    status=org.status, joined_on=org.joined_on).total_due_cents


def from_the_ledger(db, org) -> tuple[int, int, int]:
    """What the balance must be, reckoned in Python from the ledger's lines."""
    entries = list(db.session.scalars(select(DuesEntry).where(
        DuesEntry.organization_id == org.id)))
    voided = {e.voids_id for e in entries if e.kind == "void"}
    remitted = set(db.session.scalars(select(Remittance.entry_id)))
    current = db.session.scalar(select(DuesPolicyRecord).where(DuesPolicyRecord.is_current))
    live = [e for e in entries if e.kind == "payment" and e.id not in voided]
    paid = sum(e.usd_cents for e in live
               if current is None or e.paid_on >= current.payments_from)
    waiting = [e for e in live if e.channel == "chapter" and e.id not in remitted]
    return paid, sum(e.usd_cents for e in waiting), len(waiting)


def test_a_new_organization_starts_at_zero_paid_and_owing_what_the_rule_says(db, make):
    org = make.organization(joined_on=date(2015, 1, 1))
    assert balance(db, org) == (0, 0, 0)
    assert due(db, org) == due_by_the_rule(db, org) > 0
    applicant = make.organization(status="applicant", joined_on=None)
    assert due(db, applicant) == 0


def test_a_change_of_status_or_of_the_day_it_joined_reckons_the_due_again(db, make):
    org = make.organization(joined_on=date(2015, 1, 1))
    before = due(db, org)
    assert db.session.scalar(select(DuesBalance.chapter_id).where(
        DuesBalance.organization_id == org.id)) == org.chapter_id
    operations.update_organization(None, org, status_since=date(2026, 1, 1),
                                   joined_on=date(2024, 3, 1))
    db.session.commit()
    assert due(db, org) == due_by_the_rule(db, org) < before
    operations.update_organization(None, org, status_since=date(2026, 1, 1),
                                   status=MemberStatus.APPLICANT)
    db.session.commit()
    assert due(db, org) == 0
    operations.update_organization(None, org, status_since=date(2026, 2, 1),
                                   status=MemberStatus.ACTIVE, joined_on=None)
    db.session.commit()
    assert due(db, org) == due_by_the_rule(db, org) == before


def test_payments_voids_and_remittances_move_the_balance(db, make):
    org = make.organization()
    first = make.payment(org, 100, channel="chapter")
    make.payment(org, 40, channel="global")
    assert balance(db, org) == (14000, 10000, 1)
    third = make.payment(org, 25, channel="chapter")
    assert balance(db, org) == (16500, 12500, 2)

    assert operations.mark_remitted(None, org, first, date(2021, 6, 1))
    db.session.commit()
    assert balance(db, org) == (16500, 2500, 1)      # remitted: still paid, no longer waiting

    assert operations.void_payment(None, org, third, "Entered twice")
    db.session.commit()
    assert balance(db, org) == (14000, 0, 0)         # voided: neither paid nor waiting
    assert balance(db, org) == from_the_ledger(db, org)


def test_a_payment_before_the_policy_counts_only_once_a_policy_takes_it_in(db, make):
    """The current policy counts payments from its `payments_from`; making another policy
    current reckons every balance again, and so does no policy being current."""
    org = make.organization()
    other = make.organization()
    make.payment(org, 100, paid_on=date(2021, 5, 1))
    make.payment(org, 30, paid_on=date(2024, 3, 1))
    make.payment(other, 50, paid_on=date(2024, 3, 1))
    old = db.session.scalar(select(DuesPolicyRecord).where(DuesPolicyRecord.is_current))
    assert old.payments_from <= date(2021, 5, 1)
    assert balance(db, org)[0] == 13000

    later = operations.create_policy(None, name="From 2024", rate_cents=5000, first_year=2024,
                                     last_year=2026, payments_from=date(2024, 1, 1),
                                     current=True)
    db.session.commit()
    assert balance(db, org) == (3000, 13000, 2)      # the 2021 payment no longer counts
    assert balance(db, other)[0] == 5000

    assert due(db, org) == due_by_the_rule(db, org) == 3 * 5000

    later.payments_from = date(2024, 6, 1)
    later.rate_cents = 7000
    db.session.commit()
    assert balance(db, org)[0] == 0 and balance(db, other)[0] == 0
    assert due(db, org) == 3 * 7000

    operations.make_current(None, old)
    db.session.commit()
    assert balance(db, org)[0] == 13000

    old.is_current = False                           # no policy: every live payment counts
    db.session.commit()
    assert balance(db, org) == from_the_ledger(db, org) == (13000, 13000, 2)
    assert due(db, org) == 0                         # and nothing is due


def test_lines_written_without_the_portal_keep_the_balance_too(db, make):
    """An insert straight into the tables (a bulk load, a repair by hand) moves the balance
    as the portal's own operations do."""
    org = make.organization()
    db.session.execute(text(
        "INSERT INTO dues_entries (organization_id, kind, amount_cents, currency, usd_cents, "
        "paid_on, channel, method, reference, reference_key, reason, recorded_at) VALUES "
        "(:org, 'payment', 700, 'USD', 700, :day, 'chapter', 'cash', '', '', '', :at)"),
        {"org": org.id, "day": date(2022, 2, 2), "at": "2022-02-02 10:00:00"})
    db.session.commit()
    assert balance(db, org) == (700, 700, 1)
    entry = db.session.scalar(select(DuesEntry).where(DuesEntry.organization_id == org.id))
    db.session.execute(text(
        "INSERT INTO dues_remittances (entry_id, remitted_on, recorded_at) "
        "VALUES (:id, :day, :at)"), {"id": entry.id, "day": date(2022, 3, 1),
                                     "at": "2022-03-01 10:00:00"})
    db.session.commit()
    assert balance(db, org) == (700, 0, 0)
    db.session.execute(text("DELETE FROM dues_remittances WHERE entry_id = :id"),
                       {"id": entry.id})
    db.session.commit()
    assert balance(db, org) == (700, 700, 1)         # the remittance undone: waiting again


def test_an_organization_moved_to_another_chapter_is_counted_there(db, make):
    org = make.organization()
    other = make.chapter()
    org.chapter_id = other.id
    db.session.commit()
    assert db.session.scalar(select(DuesBalance.chapter_id).where(
        DuesBalance.organization_id == org.id)) == other.id


def test_the_database_refuses_a_balance_below_zero(db, make):
    org = make.organization()
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE dues_balances SET paid_cents = -1 "
                                "WHERE organization_id = :id"), {"id": org.id})
    db.session.rollback()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_walk_of_the_ledger_keeps_every_balance_true(db, make, seed):
    """Payments (through the chapter or not, before and after the policy's start), voids,
    remittances, policy changes and changes of an organization's status or joining day in
    a random order: after each step every balance is what its ledger adds up to, and
    every due what the rule says."""
    rnd = random.Random(seed)
    chapter = make.chapter()
    orgs = [make.organization(chapter) for _ in range(3)]
    policies = [db.session.scalar(select(DuesPolicyRecord).where(
        DuesPolicyRecord.is_current))]
    payments = []
    for step in range(40):
        action = rnd.choice(["pay", "pay", "pay", "void", "remit", "policy", "organization"])
        org = rnd.choice(orgs)
        if action == "pay":
            payments.append(make.payment(
                org, rnd.choice([10, 25, 100]), channel=rnd.choice(["chapter", "global"]),
                paid_on=date(rnd.choice([2019, 2021, 2023, 2025]), 5, 1)))
        elif action in ("void", "remit") and payments:
            payment = rnd.choice(payments)
            if action == "void":
                operations.void_payment(None, payment.organization, payment, "Mistake")
            else:
                operations.mark_remitted(None, payment.organization, payment,
                                         date(2026, 1, 1))
        elif action == "policy":
            if len(policies) < 3:
                policies.append(operations.create_policy(
                    None, name=f"Policy {step}", rate_cents=rnd.choice([2500, 5000]),
                    first_year=rnd.choice([2018, 2020]), last_year=2026,
                    payments_from=date(rnd.choice([2020, 2022, 2024]), 1, 1), current=True))
            else:
                operations.make_current(None, rnd.choice(policies))
        elif action == "organization":
            operations.update_organization(
                None, org, status_since=date(2026, 1, 1),
                status=rnd.choice(list(MemberStatus)),
                joined_on=rnd.choice([None, date(2016, 1, 1), date(2021, 7, 1),
                                      date(2030, 1, 1)]))
        db.session.commit()
        for each in orgs:
            assert balance(db, each) == from_the_ledger(db, each), (seed, step, action)
            assert due(db, each) == due_by_the_rule(db, each), (seed, step, action)


def _backfill_check(url: str) -> None:
    """Ledger lines written before migration 0020 are in the balances it makes."""
    from flask_migrate import upgrade

    from ima_portal.extensions import db as _db

    from .conftest import make_app
    app = make_app(url)
    with app.app_context():
        upgrade(revision="0019_receipts")
        run = lambda sql, **p: _db.session.execute(text(sql), p)  # noqa: E731
        run("INSERT INTO regions (code, name) SELECT 'r-x', 'R' WHERE NOT EXISTS "
            "(SELECT 1 FROM regions)")
        region = _db.session.scalar(text("SELECT min(id) FROM regions"))
        run("INSERT INTO chapters (code, name, country, region_id) "
            "VALUES ('IMA-X', 'X', 'X', :r)", r=region)
        chapter = _db.session.scalar(text("SELECT id FROM chapters WHERE code = 'IMA-X'"))
        for name, status, joined in (("Paying", "active", "2015-01-01"),
                                     ("Applying", "applicant", None)):
            run("INSERT INTO organizations (chapter_id, name, name_key, country, region_id, "
                "membership, status, status_since, joined_on, contact_person, email, phone, "
                "notes, created_at, updated_at) VALUES (:c, :n, :k, 'X', :r, 'regular', :s, "
                "'2015-01-01', :j, '', '', '', '', :at, :at)", c=chapter, n=name,
                k=name.lower(), r=region, s=status, j=joined, at="2020-01-01 00:00:00")
        org = _db.session.scalar(text("SELECT id FROM organizations WHERE name = 'Paying'"))
        for cents, channel in ((10000, "chapter"), (2500, "chapter"), (4000, "global")):
            run("INSERT INTO dues_entries (organization_id, kind, amount_cents, currency, "
                "usd_cents, paid_on, channel, method, reference, reference_key, reason, "
                "recorded_at) VALUES (:o, 'payment', :c, 'USD', :c, '2021-05-01', :ch, 'cash', "
                "'', '', '', :at)", o=org, c=cents, ch=channel, at="2021-05-01 00:00:00")
        first, second = _db.session.scalars(text(
            "SELECT id FROM dues_entries ORDER BY id LIMIT 2")).all()
        run("INSERT INTO dues_remittances (entry_id, remitted_on, recorded_at) VALUES "
            "(:e, '2021-06-01', :at)", e=first, at="2021-06-01 00:00:00")
        run("INSERT INTO dues_entries (organization_id, kind, voids_id, reason, reference, "
            "reference_key, recorded_at) VALUES (:o, 'void', :v, 'Twice', '', '', :at)",
            o=org, v=second, at="2021-07-01 00:00:00")
        _db.session.commit()
        upgrade()
        rows = dict(_db.session.execute(text(
            "SELECT o.name, b.chapter_id || ':' || b.paid_cents || ':' || b.unremitted_cents "
            "|| ':' || b.unremitted_payments || ':' || (b.due_cents > 0) FROM dues_balances b "
            "JOIN organizations o ON o.id = b.organization_id")).all())
        _db.session.remove()
        _db.engine.dispose()
    # 100 + 40 paid (the 25 voided); nothing waits (the 100 remitted); the applicant owes
    # nothing and the member owes the current policy's years.
    assert rows["Paying"].rsplit(":", 1)[0] == f"{chapter}:14000:0:0"
    assert rows["Paying"].rsplit(":", 1)[1] in ("1", "true")
    assert rows["Applying"] == f"{chapter}:0:0:0:" + rows["Applying"].rsplit(":", 1)[1]
    assert rows["Applying"].rsplit(":", 1)[1] in ("0", "false")


def test_the_migration_reckons_the_balances_of_an_existing_ledger(tmp_path):
    _backfill_check("sqlite:///" + str(tmp_path / "backfill.sqlite3"))


def test_the_migration_reckons_the_balances_of_an_existing_ledger_on_postgresql(postgresql_url):
    from .scratch_db import scratch_postgresql
    with scratch_postgresql(postgresql_url, "backfill") as url:
        _backfill_check(url)


# ---- every branch of the triggers, written straight into the tables ----------------------------

def _remit(db, payment, day="2021-06-01"):
    db.session.execute(text("INSERT INTO dues_remittances (entry_id, remitted_on, recorded_at) "
                            "VALUES (:e, :d, :at)"), {"e": payment.id, "d": day,
                                                      "at": "2021-06-01 00:00:00"})


def _void(db, payment):
    db.session.execute(text(
        "INSERT INTO dues_entries (organization_id, kind, voids_id, reason, reference, "
        "reference_key, recorded_at) VALUES (:o, 'void', :v, 'Mistake', '', '', :at)"),
        {"o": payment.organization_id, "v": payment.id, "at": "2021-07-01 00:00:00"})


def test_what_the_rules_refuse_still_keeps_the_balance_true(db, make):
    """A remitted payment voided, a voided payment remitted, the remittance of a voided
    payment deleted (the portal refuses the first two; a repair by hand may not)."""
    org = make.organization()
    remitted_then_voided = make.payment(org, 100, channel="chapter")
    voided_then_remitted = make.payment(org, 30, channel="chapter")
    _remit(db, remitted_then_voided)
    _void(db, remitted_then_voided)
    db.session.commit()
    assert balance(db, org) == from_the_ledger(db, org) == (3000, 3000, 1)
    _void(db, voided_then_remitted)
    _remit(db, voided_then_remitted)
    db.session.commit()
    assert balance(db, org) == from_the_ledger(db, org) == (0, 0, 0)
    db.session.execute(text("DELETE FROM dues_remittances"))
    db.session.commit()
    assert balance(db, org) == from_the_ledger(db, org) == (0, 0, 0)


def test_a_remittance_moved_to_another_payment_moves_both_balances(db, make):
    a, b = make.organization(), make.organization()
    pa = make.payment(a, 100, channel="chapter")
    pb = make.payment(b, 40, channel="chapter")
    _remit(db, pa)
    db.session.commit()
    assert balance(db, a) == (10000, 0, 0) and balance(db, b) == (4000, 4000, 1)
    db.session.execute(text("UPDATE dues_remittances SET entry_id = :b WHERE entry_id = :a"),
                       {"a": pa.id, "b": pb.id})
    db.session.commit()
    assert balance(db, a) == from_the_ledger(db, a) == (10000, 10000, 1)
    assert balance(db, b) == from_the_ledger(db, b) == (4000, 0, 0)


def test_with_no_policy_current_every_payment_counts_and_nothing_is_due(db, make):
    org = make.organization()
    first = db.session.scalar(select(DuesPolicyRecord).where(DuesPolicyRecord.is_current))
    first.is_current = False
    db.session.commit()
    make.payment(org, 20, paid_on=date(1999, 1, 1))   # before any policy's payments_from
    assert balance(db, org)[0] == 2000 and due(db, org) == 0
    first.is_current = True
    db.session.commit()
    assert balance(db, org)[0] == from_the_ledger(db, org)[0] == 0
    assert due(db, org) == due_by_the_rule(db, org) > 0
    later = operations.create_policy(None, name="Later", rate_cents=5000, first_year=2024,
                                     last_year=2026, payments_from=date(2024, 1, 1),
                                     current=True)
    db.session.commit()
    assert due(db, org) == 3 * 5000
    db.session.execute(text("DELETE FROM dues_policies WHERE id = :id"), {"id": later.id})
    db.session.commit()                               # the current one deleted: none is
    assert balance(db, org)[0] == 2000 and due(db, org) == 0
    first.is_current = True
    db.session.commit()
    assert balance(db, org)[0] == 0 and due(db, org) == due_by_the_rule(db, org)


# ---- two writers at once (PostgreSQL: SQLite lets one writer in at a time) ----------------------

def _waiting_for_a_lock(conn, pid: int) -> None:
    """Returns once the backend `pid` waits for a lock (polled, bounded: 15 s)."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if conn.scalar(text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :p"),
                       {"p": pid}) == "Lock":
            return
        time.sleep(0.01)
    raise AssertionError("the second writer never waited for the first")


def _race(db, first_sql, second_sql, params):
    """`first_sql` in one transaction, left open; `second_sql` in another, which must wait
    for the first; then the first commits and the second finishes."""
    one, two, watch = db.engine.connect(), db.engine.connect(), db.engine.connect()
    try:
        pid = two.scalar(text("SELECT pg_backend_pid()"))
        two.commit()
        first = one.begin()
        one.execute(text(first_sql), params)
        errors: list[Exception] = []

        def second():
            try:
                with two.begin():
                    two.execute(text(second_sql), params)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
        thread = threading.Thread(target=second)
        thread.start()
        _waiting_for_a_lock(watch, pid)
        first.commit()
        thread.join(30)
        assert not thread.is_alive() and not errors, errors
    finally:
        for conn in (one, two, watch):
            conn.close()
    db.session.expire_all()


REMIT = ("INSERT INTO dues_remittances (entry_id, remitted_on, recorded_at) "
         "VALUES (:payment, '2021-06-01', now())")
VOID = ("INSERT INTO dues_entries (organization_id, kind, voids_id, reason, reference, "
        "reference_key, recorded_at) VALUES (:org, 'void', :payment, 'Twice', '', '', now())")
PAY = ("INSERT INTO dues_entries (organization_id, kind, amount_cents, currency, usd_cents, "
       "paid_on, channel, method, reference, reference_key, reason, recorded_at) VALUES "
       "(:org, 'payment', 5000, 'USD', 5000, '2024-05-01', 'global', 'cash', '', '', '', now())")
MOVE_START = "UPDATE dues_policies SET payments_from = '2024-01-01' WHERE is_current"


@pytest.mark.parametrize("backend", ["postgresql"])
@pytest.mark.parametrize("order", ["remit first", "void first"])
def test_a_void_and_a_remittance_of_one_payment_at_once_keep_the_balance_true(
        db, make, backend, order):
    org = make.organization()
    payment = make.payment(org, 100, channel="chapter")
    make.payment(org, 200, channel="chapter", reference="another")
    params = {"org": org.id, "payment": payment.id}
    first, second = (REMIT, VOID) if order == "remit first" else (VOID, REMIT)
    _race(db, first, second, params)
    assert balance(db, org) == from_the_ledger(db, org) == (20000, 20000, 1)


@pytest.mark.parametrize("backend", ["postgresql"])
@pytest.mark.parametrize("order", ["payment first", "policy first"])
def test_a_payment_during_a_change_of_policy_keeps_the_balance_true(db, make, backend, order):
    # A policy of the test's own (the kept first policy stays as it is for the others).
    operations.create_policy(None, name="Moved", rate_cents=5000, first_year=2020,
                             last_year=2026, payments_from=date(2019, 1, 1), current=True)
    db.session.commit()
    org = make.organization()
    make.payment(org, 30, channel="global", paid_on=date(2024, 3, 1))
    params = {"org": org.id}
    first, second = (PAY, MOVE_START) if order == "payment first" else (MOVE_START, PAY)
    _race(db, first, second, params)
    assert balance(db, org)[0] == from_the_ledger(db, org)[0] == 8000
