from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ima_portal.domain.dues import (
    DuesPolicy,
    MembershipType,
    MemberStatus,
    Payment,
    may_remit,
    may_void,
    standing,
    year_ranges,
)
from ima_portal.domain.money import format_usd, parse_cents

# The 5th Global Assembly (2022) reckons the years since the 4th (2018): 2019-2022.
FIFTH = DuesPolicy(rate_cents=50_00, first_year=2019, last_year=2022,
                   payments_from=date(2018, 12, 4))
REGULAR, ASSOCIATE = MembershipType.REGULAR, MembershipType.ASSOCIATE
ACTIVE = MemberStatus.ACTIVE


def pay(dollars: float, on: date = date(2021, 5, 1)) -> Payment:
    return Payment(round(dollars * 100), on)


def regular(payments, **kw):
    kw.setdefault("membership", REGULAR)
    kw.setdefault("status", ACTIVE)
    return standing(payments, FIFTH, **kw)


def test_four_years_at_fifty_dollars_is_two_hundred():
    s = regular([pay(200)])
    assert s.total_due_cents == 200_00 and s.owed_cents == 0
    assert s.good_standing and s.may_vote
    assert s.sentence() == "regular member in good standing"


def test_a_partial_payment_covers_the_oldest_years_first():
    s = regular([pay(50)])
    assert [(y.year, y.paid_cents) for y in s.years] == [
        (2019, 50_00), (2020, 0), (2021, 0), (2022, 0)]
    assert s.unpaid_years == (2020, 2021, 2022)
    assert s.owed_cents == 150_00 and s.balance_cents == -150_00
    assert not s.may_vote
    assert s.sentence() == "owes US$150 for 2020-2022"


def test_a_part_paid_year_is_still_owed():
    s = regular([pay(175)])
    assert s.sentence() == "owes US$25 for 2022"


def test_overpayment_is_credit_and_still_votes():
    s = regular([pay(230)])
    assert s.credit_cents == 30_00 and s.balance_cents == 30_00 and s.may_vote
    assert "US$30 credit" in s.sentence()


def test_payments_before_the_reckoning_do_not_count():
    s = regular([pay(200, date(2018, 6, 1))])
    assert s.owed_cents == 200_00


def test_an_organization_owes_from_the_year_it_joined():
    s = regular([pay(100)], joined_on=date(2021, 3, 1))
    assert [y.year for y in s.years] == [2021, 2022]
    assert s.may_vote


def test_associate_members_do_not_vote_even_when_paid_up():
    s = regular([pay(200)], membership=ASSOCIATE)
    assert s.good_standing and not s.may_vote
    assert s.sentence() == "associate members do not vote"


def test_suspended_and_left_and_applicant_do_not_vote():
    since = date(2022, 3, 3)
    assert regular([pay(200)], status=MemberStatus.SUSPENDED, status_since=since).sentence() \
        == "suspended since 2022-03-03"
    assert not regular([pay(200)], status=MemberStatus.LEFT, status_since=since).may_vote
    applicant = regular([pay(50)], status=MemberStatus.APPLICANT)
    assert not applicant.may_vote and applicant.total_due_cents == 0
    assert applicant.credit_cents == 50_00


def test_as_of_ignores_later_payments():
    s = regular([pay(200, date(2023, 1, 10))], as_of=date(2022, 11, 30))
    assert s.owed_cents == 200_00


def test_policy_refuses_nonsense():
    with pytest.raises(ValueError):
        DuesPolicy(rate_cents=50_00, first_year=2022, last_year=2019,
                   payments_from=date(2019, 1, 1))


@pytest.mark.parametrize("years,text", [
    ([2019, 2020, 2021], "2019-2021"), ([2019, 2021, 2022], "2019, 2021-2022"),
    ([2020], "2020"), ([], "")])
def test_year_ranges(years, text):
    assert year_ranges(years) == text


@pytest.mark.parametrize("cents,text", [(150_00, "US$150"), (12_50, "US$12.50"),
                                        (-50_00, "-US$50"), (1_200_00, "US$1,200")])
def test_format_usd(cents, text):
    assert format_usd(cents) == text


@pytest.mark.parametrize("text,cents", [("50", 50_00), ("50.5", 50_50), ("1,200.00", 1_200_00),
                                        ("US$50", 50_00), (" 7.05 ", 7_05)])
def test_parse_cents(text, cents):
    assert parse_cents(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "50.555", "-5", "1,20", "5e3",
                                  "21474836.48", "9" * 20, "9" * 5000, "1" + ",000" * 8])
def test_parse_cents_refuses(text):
    assert parse_cents(text) is None


def test_the_largest_amount_an_entry_holds_is_read():
    assert parse_cents("21,474,836.47") == 2**31 - 1


# --- properties --------------------------------------------------------------------------

days = st.dates(min_value=date(2017, 1, 1), max_value=date(2023, 12, 31))
payments = st.lists(st.builds(Payment, st.integers(min_value=1, max_value=300_00), days),
                    max_size=12)
policies = st.builds(
    lambda rate, first, span, start: DuesPolicy(rate, first, first + span, start),
    st.integers(min_value=0, max_value=100_00), st.integers(min_value=2015, max_value=2022),
    st.integers(min_value=0, max_value=5), days)
kinds = st.sampled_from(list(MembershipType))
statuses = st.sampled_from(list(MemberStatus))
joined = st.one_of(st.none(), days)


@given(payments, policies, kinds, statuses, joined)
def test_totals_always_balance(pays, policy, kind, status, joined_on):
    s = standing(pays, policy, membership=kind, status=status, joined_on=joined_on)
    allocated = sum(y.paid_cents for y in s.years)
    assert allocated + s.credit_cents == s.total_paid_cents
    assert s.total_due_cents - allocated == s.owed_cents
    assert s.balance_cents == s.total_paid_cents - s.total_due_cents
    assert all(0 <= y.paid_cents <= y.due_cents for y in s.years)
    assert s.good_standing == (s.owed_cents == 0)
    assert not (s.credit_cents and s.owed_cents)


@given(payments, st.builds(Payment, st.integers(min_value=1, max_value=300_00), days),
       policies, kinds, statuses, joined)
def test_adding_a_payment_never_worsens_standing(pays, extra, policy, kind, status, joined_on):
    before = standing(pays, policy, membership=kind, status=status, joined_on=joined_on)
    after = standing(pays + [extra], policy, membership=kind, status=status,
                     joined_on=joined_on)
    assert after.owed_cents <= before.owed_cents
    assert after.balance_cents >= before.balance_cents
    assert set(after.unpaid_years) <= set(before.unpaid_years)
    assert after.may_vote or not before.may_vote


@given(payments, policies, kinds, statuses, joined, st.randoms())
def test_order_of_entry_does_not_change_the_result(pays, policy, kind, status, joined_on, rnd):
    shuffled = list(pays)
    rnd.shuffle(shuffled)
    a = standing(pays, policy, membership=kind, status=status, joined_on=joined_on)
    b = standing(shuffled, policy, membership=kind, status=status, joined_on=joined_on)
    assert a == b


# --- labels on the enums ---------------------------------------------------------------------

def test_membership_and_status_carry_their_labels_and_keep_their_values():
    assert MembershipType("regular") is MembershipType.REGULAR
    assert MembershipType.ASSOCIATE.label == "Associate member"
    assert MemberStatus.LEFT == "left" and MemberStatus.LEFT.label == "Left"
    assert all(m.label and m.label != m.value for m in [*MembershipType, *MemberStatus])


# --- remitting and voiding a payment -------------------------------------------------------------

PAID = date(2022, 3, 1)
TODAY = date(2022, 6, 30)


def remit(**changes):
    facts = {"of_this_organization": True, "channel": "chapter", "voided": False,
             "remitted": False, "paid_on": PAID, "remitted_on": date(2022, 4, 1),
             "today": TODAY}
    facts.update(changes)
    return may_remit(**facts)


def test_a_live_payment_the_chapter_received_is_remitted_once():
    assert remit()
    assert remit(remitted_on=PAID) and remit(remitted_on=TODAY)


@pytest.mark.parametrize(("changes", "words"), [
    ({"of_this_organization": False}, "Only a payment of this organization"),
    ({"channel": "global"}, "directly to the global secretariat"),
    ({"voided": True}, "voided payment"),
    ({"remitted": True}, "already marked as remitted"),
    ({"remitted_on": date(2022, 2, 28)}, "between the payment and today"),
    ({"remitted_on": date(2022, 7, 1)}, "between the payment and today"),
])
def test_a_remittance_is_refused_with_its_reason(changes, words):
    decision = remit(**changes)
    assert not decision and words in decision.reason


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2024, 12, 31)))
def test_a_remittance_date_counts_only_between_the_payment_and_today(on):
    assert bool(remit(remitted_on=on)) == (PAID <= on <= TODAY)


def test_a_payment_is_voided_once_with_a_reason_and_not_after_its_remittance():
    assert may_void(of_this_organization=True, voided=False, remitted=False, reason="typo")
    refusals = [
        may_void(of_this_organization=False, voided=False, remitted=False, reason="typo"),
        may_void(of_this_organization=True, voided=True, remitted=False, reason="typo"),
        may_void(of_this_organization=True, voided=False, remitted=False, reason="  "),
        may_void(of_this_organization=True, voided=False, remitted=True, reason="typo"),
    ]
    assert [d.ok for d in refusals] == [False] * 4
    assert [d.reason.split()[0] for d in refusals] == ["Only", "This", "Say", "This"]
