"""A registration's fee account and the solidarity fund, tested directly: each status,
voids, waivers, a withdrawal; the fund's balance and its refusals; properties: the
balance never below zero whatever allowed grants and voids, the order of the entries
never changes a status or a balance, paid + granted + still due add up."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ima_portal.domain.assembly import RegistrationState
from ima_portal.domain.fees import FeeEntry, FeeEntryKind, FeeStatus, account, may_void, may_waive
from ima_portal.domain.fund import (
    FundEntry,
    FundEntryKind,
    balance,
    decide_grant,
    decide_receipt,
    decide_void,
    donor_shown,
    progress_percent,
    sees_donors,
    sums,
)
from ima_portal.domain.roles import Role

FEE = 250_00
CONFIRMED, WITHDRAWN = RegistrationState.CONFIRMED, RegistrationState.WITHDRAWN
P, G, W, V = FeeEntryKind.PAYMENT, FeeEntryKind.GRANT, FeeEntryKind.WAIVER, FeeEntryKind.VOID


def acct(*entries, international=True, state=CONFIRMED):
    return account([FeeEntry(i + 1, k, a, v) for i, (k, a, v) in enumerate(entries)],
                   international=international, state=state, fee_cents=FEE)


def e(kind, amount=0, voids=None):
    return (kind, amount, voids)


@pytest.mark.parametrize(("entries", "status", "still_due"), [
    ((), FeeStatus.UNPAID, 250_00),
    ((e(P, 100_00),), FeeStatus.PARTLY_PAID, 150_00),
    ((e(P, 100_00), e(P, 150_00)), FeeStatus.PAID, 0),
    ((e(G, 250_00),), FeeStatus.COVERED, 0),
    ((e(G, 100_00),), FeeStatus.PARTLY_COVERED, 150_00),
    ((e(G, 100_00), e(P, 50_00)), FeeStatus.PARTLY_COVERED, 100_00),
    ((e(G, 100_00), e(P, 150_00)), FeeStatus.PAID, 0),
    ((e(P, 300_00),), FeeStatus.OVERPAID, 0),
    ((e(W),), FeeStatus.WAIVED, 0),
    ((e(W), e(P, 10_00)), FeeStatus.OVERPAID, 0),
    ((e(P, 250_00), e(V, 0, 1)), FeeStatus.UNPAID, 250_00),
    ((e(W), e(V, 0, 1)), FeeStatus.UNPAID, 250_00),
])
def test_each_status_and_what_is_still_due(entries, status, still_due):
    result = acct(*entries)
    assert (result.status, result.still_due_cents) == (status, still_due)


def test_a_local_participant_owes_nothing():
    assert acct(international=False).status is FeeStatus.NO_FEE
    assert acct(international=False).due_cents == 0
    assert acct(e(P, 50_00), international=False).status is FeeStatus.OVERPAID


def test_a_withdrawn_registration_holds_what_was_paid_until_a_decision_is_recorded():
    held = acct(e(P, 250_00), state=WITHDRAWN)
    assert (held.status, held.due_cents, held.to_settle_cents) == (FeeStatus.TO_SETTLE, 0,
                                                                   250_00)
    refunded = acct(e(P, 250_00), e(FeeEntryKind.REFUND, 250_00), state=WITHDRAWN)
    assert (refunded.status, refunded.to_settle_cents) == (FeeStatus.REFUNDED, 0)
    credited = acct(e(P, 250_00), e(FeeEntryKind.CREDIT, 250_00), state=WITHDRAWN)
    assert credited.status is FeeStatus.CREDITED
    assert acct(state=WITHDRAWN).status is FeeStatus.NO_FEE


def test_only_the_global_secretariat_waives_and_only_with_a_reason():
    unpaid = acct()
    assert not may_waive(Role.SECRETARIAT, unpaid, "hardship")
    assert not may_waive(Role.ADMIN, unpaid, "  ")
    assert may_waive(Role.ADMIN, unpaid, "host country volunteer")
    assert not may_waive(Role.ADMIN, acct(e(W)), "again")


def test_a_void_needs_a_reason_and_a_voided_entry_is_not_voided_twice():
    entries = [FeeEntry(1, P, 100_00), FeeEntry(2, V, 0, 1)]
    assert not may_void(Role.SECRETARIAT, entries[0], entries, "typo")
    fresh = [FeeEntry(1, P, 100_00)]
    assert not may_void(Role.SECRETARIAT, fresh[0], fresh, " ")
    assert may_void(Role.SECRETARIAT, fresh[0], fresh, "typo")
    assert not may_void(Role.CHAIR, fresh[0], fresh, "typo")


fee_entries = st.lists(st.tuples(st.sampled_from([P, G, W, FeeEntryKind.REFUND,
                                                  FeeEntryKind.CREDIT, V]),
                                 st.integers(1, 400_00), st.integers(1, 12)), max_size=12)


def _fee_entries(raw) -> list[FeeEntry]:
    return [FeeEntry(i + 1, kind, 0 if kind in (W, V) else amount,
                     target if kind is V else None)
            for i, (kind, amount, target) in enumerate(raw)]


@given(fee_entries, st.booleans(), st.sampled_from(list(RegistrationState)),
       st.randoms(use_true_random=False))
def test_the_order_of_fee_entries_never_changes_the_account(raw, international, state, rnd):
    entries = _fee_entries(raw)
    shuffled = entries[:]
    rnd.shuffle(shuffled)
    kwargs = {"international": international, "state": state, "fee_cents": FEE}
    assert account(entries, **kwargs) == account(shuffled, **kwargs)


@given(fee_entries, st.booleans(), st.sampled_from(list(RegistrationState)))
def test_paid_granted_and_still_due_add_up(raw, international, state):
    result = account(_fee_entries(raw), international=international, state=state,
                     fee_cents=FEE)
    assert result.paid_cents + result.granted_cents + result.still_due_cents == \
        result.due_cents + result.excess_cents
    assert result.still_due_cents >= 0 and result.excess_cents >= 0
    assert (result.still_due_cents > 0) == (result.status in (
        FeeStatus.UNPAID, FeeStatus.PARTLY_PAID, FeeStatus.PARTLY_COVERED))


# ---- the fund ----------------------------------------------------------------------------------

R, GR, PL, FV = FundEntryKind.RECEIPT, FundEntryKind.GRANT, FundEntryKind.PLEDGE, \
    FundEntryKind.VOID


def test_the_balance_is_receipts_minus_grants_voids_left_out():
    entries = [FundEntry(1, PL, 1000_00), FundEntry(2, R, 500_00, settles=1),
               FundEntry(3, R, 300_00), FundEntry(4, GR, 250_00), FundEntry(5, GR, 100_00),
               FundEntry(6, FV, voids=5), FundEntry(7, PL, 200_00)]
    result = sums(entries)
    assert result.balance_cents == 550_00 == balance(entries)
    assert (result.pledged_cents, result.outstanding_cents) == (1200_00, 200_00)


def test_a_grant_beyond_the_balance_is_refused_with_the_balance():
    entries = [FundEntry(1, R, 300_00), FundEntry(2, GR, 250_00)]
    refusal = decide_grant(entries, 100_00)
    assert not refusal
    assert refusal.message() == ("The fund holds US$50: a grant of US$100 would take it "
                                 "below zero.")
    assert decide_grant(entries, 50_00)
    assert not decide_grant(entries, 0)


def test_voiding_a_receipt_already_granted_away_is_refused():
    entries = [FundEntry(1, R, 300_00), FundEntry(2, GR, 250_00)]
    assert "holds US$50" in decide_void(entries, 1, "bounced").message()
    assert decide_void(entries, 2, "wrong delegate")
    assert not decide_void(entries, 2, "")
    assert not decide_void([*entries, FundEntry(3, FV, voids=2)], 2, "again")


def test_a_receipt_settles_one_pledge_once():
    entries = [FundEntry(1, PL, 100_00), FundEntry(2, R, 100_00, settles=1)]
    assert not decide_receipt(entries, 100_00, settles=1)
    assert not decide_receipt(entries, 100_00, settles=2)
    assert decide_receipt(entries, 100_00)


def test_donors_and_the_progress_bar():
    assert sees_donors(Role.ADMIN, None, 3) and sees_donors(Role.SECRETARIAT, 3, 3)
    assert not sees_donors(Role.SECRETARIAT, 4, 3) and not sees_donors(Role.CHAIR, None, 3)
    assert donor_shown("Ana", True, False) is None
    assert donor_shown("Ana", True, True) == "Ana" == donor_shown("Ana", False, False)
    assert progress_percent(1500_00, 6000_00) == 25
    assert progress_percent(9000_00, 6000_00) == 100
    assert progress_percent(0, 0) == 0


actions = st.lists(st.tuples(st.sampled_from(["receipt", "grant", "void"]),
                             st.integers(1, 2000_00), st.integers(1, 30)), max_size=30)


@given(actions)
def test_the_balance_never_goes_below_zero_whatever_allowed_grants_and_voids(steps):
    entries: list[FundEntry] = []
    for kind, amount, target in steps:
        new_id = len(entries) + 1
        if kind == "receipt" and decide_receipt(entries, amount):
            entries.append(FundEntry(new_id, R, amount))
        elif kind == "grant" and decide_grant(entries, amount):
            entries.append(FundEntry(new_id, GR, amount))
        elif kind == "void" and decide_void(entries, target, "mistake"):
            entries.append(FundEntry(new_id, FV, voids=target))
        assert balance(entries) >= 0


fund_entries = st.lists(st.tuples(st.sampled_from(list(FundEntryKind)),
                                  st.integers(1, 2000_00), st.integers(1, 12)), max_size=15)


@given(fund_entries, st.randoms(use_true_random=False))
def test_the_order_of_fund_entries_never_changes_the_sums(raw, rnd):
    entries = [FundEntry(i + 1, kind, 0 if kind is FV else amount,
                         voids=target if kind is FV else None,
                         settles=target if kind is R else None)
               for i, (kind, amount, target) in enumerate(raw)]
    shuffled = entries[:]
    rnd.shuffle(shuffled)
    assert sums(entries) == sums(shuffled)
