"""The assembly's rules, tested directly: participation per kind of organization, dates
and uncovered nights, the deadline, the flag on a voting delegate who lost the vote."""
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ima_portal.domain.assembly import (
    AssemblyDates,
    Changer,
    Organization,
    Participation,
    Registration,
    RegistrationAction,
    RegistrationState,
    action_to,
    allowed_actions,
    check_dates,
    decide_registration,
    fee_due,
    may_change_registrations,
    participation_choices,
    voting_flag,
)
from ima_portal.domain.dues import DuesPolicy, MembershipType, MemberStatus, Payment, standing
from ima_portal.domain.roles import Role

FIFTH = DuesPolicy(rate_cents=50_00, first_year=2019, last_year=2022,
                   payments_from=date(2018, 12, 4))
BANGKOK = AssemblyDates(first_day=date(2022, 11, 30), last_day=date(2022, 12, 3),
                        arrive_by=date(2022, 11, 29), leave_on=date(2022, 12, 4),
                        nights_from=date(2022, 11, 28), checkout_on=date(2022, 12, 4))
REGULAR, ASSOCIATE = MembershipType.REGULAR, MembershipType.ASSOCIATE


def org(paid_dollars: int, membership=REGULAR, status=MemberStatus.ACTIVE) -> Organization:
    payments = [Payment(paid_dollars * 100, date(2021, 5, 1))] if paid_dollars else []
    return Organization(membership, status, standing(
        payments, FIFTH, membership=membership, status=status, joined_on=date(2015, 1, 1),
        status_since=date(2015, 1, 1)))


def allowed(o: Organization) -> set[Participation]:
    return {p for p, d in participation_choices(o).items() if d.ok}


# ---- participation -----------------------------------------------------------------------------

def test_a_regular_member_in_good_standing_may_send_a_voting_delegate():
    choices = participation_choices(org(200))
    assert choices[Participation.VOTING].ok
    assert "good standing" in choices[Participation.VOTING].reason
    assert allowed(org(200)) == {Participation.VOTING, Participation.NON_VOTING,
                                 Participation.OBSERVER}


def test_an_organization_that_owes_is_told_how_much_and_for_which_years():
    decision = participation_choices(org(50))[Participation.VOTING]
    assert not decision
    assert decision.message() == ("Owes US$150 for 2020-2022: no voting delegate until the "
                                  "dues are paid.")
    assert decision.params["owes_cents"] == 150_00
    assert allowed(org(50)) == {Participation.NON_VOTING, Participation.OBSERVER}


def test_an_associate_member_takes_part_without_a_vote_and_says_why():
    decision = participation_choices(org(200, ASSOCIATE))[Participation.VOTING]
    assert not decision and decision.reason == "Associate members take part but do not vote."
    assert allowed(org(200, ASSOCIATE)) == {Participation.NON_VOTING, Participation.OBSERVER}


def test_an_applicant_joins_as_a_guest_organization():
    applicant = replace(org(0, status=MemberStatus.APPLICANT), oriented=True)
    assert allowed(applicant) == {Participation.GUEST, Participation.OBSERVER}


def test_an_applicant_without_its_orientation_may_not_join_yet_and_is_told_why():
    applicant = org(0, status=MemberStatus.APPLICANT)
    decision = participation_choices(applicant)[Participation.GUEST]
    assert not decision and "orientation" in decision.message()
    assert decision.params["needs_orientation"] is True
    assert allowed(applicant) == {Participation.OBSERVER}


def test_an_orientation_changes_nothing_for_a_member():
    member = org(200)
    assert participation_choices(replace(member, oriented=True)) == participation_choices(member)


def test_a_suspended_member_sends_an_observer_only():
    assert allowed(org(200, status=MemberStatus.SUSPENDED)) == {Participation.OBSERVER}


def test_an_organization_that_left_may_not_register():
    assert allowed(org(200, status=MemberStatus.LEFT)) == set()


@given(paid=st.integers(min_value=0, max_value=400),
       membership=st.sampled_from(list(MembershipType)),
       status=st.sampled_from(list(MemberStatus)))
def test_a_vote_exactly_when_the_dues_rule_says_so(paid, membership, status):
    o = org(paid, membership, status)
    assert participation_choices(o)[Participation.VOTING].ok is o.standing.may_vote
    assert all(d.ok or d.reason for d in participation_choices(o).values())


# ---- dates -------------------------------------------------------------------------------------

def test_recommended_dates_pass_without_warning_and_are_covered():
    result = check_dates(BANGKOK, date(2022, 11, 29), date(2022, 12, 4), accommodation=True)
    assert result.ok and result.warnings == [] and result.uncovered_nights == ()


def test_nights_outside_the_covered_ones_are_counted():
    result = check_dates(BANGKOK, date(2022, 11, 26), date(2022, 12, 6), accommodation=True)
    assert result.ok
    assert result.uncovered_nights == (date(2022, 11, 26), date(2022, 11, 27),
                                       date(2022, 12, 4), date(2022, 12, 5))
    assert any("4 nights not covered" in (w.plural if p.get("num", 1) != 1 else w) % p
               for w, p in result.warnings if hasattr(w, "plural"))


def test_no_accommodation_no_uncovered_nights():
    result = check_dates(BANGKOK, date(2022, 11, 26), date(2022, 12, 6), accommodation=False)
    assert result.uncovered_nights == ()


def test_late_arrival_and_early_departure_are_allowed_with_a_warning():
    result = check_dates(BANGKOK, date(2022, 11, 30), date(2022, 12, 2), accommodation=True)
    assert result.ok
    texts = [w % p for w, p in result.warnings]
    assert any("after the recommended 2022-11-29" in t for t in texts)
    assert any("before the recommended 2022-12-04" in t for t in texts)


@pytest.mark.parametrize("arrival,departure,field", [
    (date(2022, 11, 22), date(2022, 12, 4), "arrival"),     # more than a week before
    (date(2022, 12, 4), date(2022, 12, 5), "arrival"),      # after the last day
    (date(2022, 11, 29), date(2022, 11, 29), "departure"),  # before the first day
    (date(2022, 11, 29), date(2022, 12, 11), "departure"),  # more than a week after
    (date(2022, 12, 2), date(2022, 12, 1), "departure"),    # before arrival
    (None, date(2022, 12, 4), "arrival"),
    (date(2022, 11, 29), None, "departure"),
])
def test_dates_outside_the_window_are_refused_on_their_field(arrival, departure, field):
    result = check_dates(BANGKOK, arrival, departure, accommodation=True)
    assert not result.ok and field in result.errors


# ---- the deadline ------------------------------------------------------------------------------

DEADLINE = datetime(2022, 10, 31, 23, 59, tzinfo=UTC)


@pytest.mark.parametrize("role,now,expected", [
    (Role.SECRETARIAT, datetime(2022, 10, 1, tzinfo=UTC), True),
    (Role.SECRETARIAT, datetime(2022, 11, 1, tzinfo=UTC), False),
    (Role.ADMIN, datetime(2022, 11, 1, tzinfo=UTC), True),
    (Role.CHAIR, datetime(2022, 10, 1, tzinfo=UTC), False),
])
def test_after_the_deadline_only_the_global_secretariat_changes_registrations(role, now,
                                                                              expected):
    decision = may_change_registrations(role, now, DEADLINE)
    assert decision.ok is expected
    if not expected and role is Role.SECRETARIAT:
        assert "deadline (2022-10-31, anywhere on Earth) has passed" in decision.message()


def test_before_registration_opens_only_the_global_secretariat_registers():
    opens = datetime(2022, 8, 1, tzinfo=UTC)
    early = datetime(2022, 7, 1, tzinfo=UTC)
    assert not may_change_registrations(Role.SECRETARIAT, early, DEADLINE, opens)
    assert may_change_registrations(Role.ADMIN, early, DEADLINE, opens)


# ---- the flag ----------------------------------------------------------------------------------

def test_a_voting_delegate_whose_organization_lost_the_vote_is_flagged():
    assert voting_flag(Participation.VOTING, RegistrationState.CONFIRMED, org(200)) is None
    flag = voting_flag(Participation.VOTING, RegistrationState.CONFIRMED, org(150))
    assert flag and flag.message() == ("Owes US$50 for 2022: no voting delegate until the dues "
                                       "are paid.")
    assert voting_flag(Participation.VOTING, RegistrationState.WITHDRAWN, org(150)) is None
    assert voting_flag(Participation.OBSERVER, RegistrationState.CONFIRMED, org(0)) is None


def test_the_fee_is_for_international_participants():
    assert fee_due(True, RegistrationState.PENDING, 250_00) == 250_00
    assert fee_due(True, RegistrationState.CONFIRMED, 250_00) == 250_00
    assert fee_due(False, RegistrationState.CONFIRMED, 250_00) == 0


def test_a_withdrawn_registration_owes_nothing():
    assert fee_due(True, RegistrationState.WITHDRAWN, 250_00) == 0
    assert fee_due(False, RegistrationState.WITHDRAWN, 250_00) == 0


@given(international=st.booleans(), state=st.sampled_from(list(RegistrationState)),
       fee=st.integers(min_value=0, max_value=10_000_00))
def test_a_registration_owes_the_whole_fee_or_nothing(international, state, fee):
    due = fee_due(international, state, fee)
    assert due in (0, fee)
    # Withdrawing never adds to what is owed; an international participant never owes
    # less than a local one; only a withdrawn registration or a local one owes nothing.
    assert fee_due(international, RegistrationState.WITHDRAWN, fee) == 0 <= due
    assert fee_due(True, state, fee) >= fee_due(False, state, fee) == 0
    assert (due == fee) is (international and state is not RegistrationState.WITHDRAWN
                            or fee == 0)


def test_covered_nights_at_their_edges():
    exact = check_dates(BANGKOK, date(2022, 11, 28), date(2022, 12, 4), accommodation=True)
    assert exact.uncovered_nights == ()
    one_each_side = check_dates(BANGKOK, date(2022, 11, 27), date(2022, 12, 5),
                                accommodation=True)
    assert one_each_side.uncovered_nights == (date(2022, 11, 27), date(2022, 12, 4))


def test_the_deadline_holds_to_the_end_of_its_day_everywhere():
    from ima_portal.domain.assembly import deadline_day, deadline_moment
    moment = deadline_moment(date(2022, 10, 31))
    assert deadline_day(moment) == date(2022, 10, 31)
    assert may_change_registrations(Role.SECRETARIAT, moment, moment)
    assert not may_change_registrations(Role.SECRETARIAT,
                                        moment + timedelta(seconds=1), moment)
    # Still 31 October in Honolulu when it is already 1 November in Hong Kong.
    honolulu_evening = datetime(2022, 11, 1, 9, 0, tzinfo=UTC)  # 23:00 on 31 Oct in Hawaii
    assert may_change_registrations(Role.SECRETARIAT, honolulu_evening, moment)


def test_an_assemblys_dates_must_sit_around_it():
    from ima_portal.domain.assembly import check_assembly_dates
    good = (date(2022, 11, 30), date(2022, 12, 3), date(2022, 11, 29), date(2022, 12, 4),
            date(2022, 11, 28), date(2022, 12, 4))
    assert check_assembly_dates(*good) == {}
    assert set(check_assembly_dates(date(2022, 11, 30), date(2022, 12, 3), date(2022, 11, 1),
                                    date(2022, 12, 2), date(2022, 12, 1),
                                    date(2022, 12, 1))) == {"arrive_by", "leave_on",
                                                            "nights_from", "checkout_on"}
    assert "last_day" in check_assembly_dates(date(2022, 12, 3), date(2022, 11, 30),
                                              *good[2:])


# ---- what may be done to a registration -------------------------------------------------------

OPEN = datetime(2022, 8, 1, tzinfo=UTC)
BEFORE = Changer(Role.SECRETARIAT, datetime(2022, 10, 1, tzinfo=UTC), DEADLINE, OPEN)
AFTER = Changer(Role.SECRETARIAT, datetime(2022, 11, 1, tzinfo=UTC), DEADLINE, OPEN)
ADMIN_AFTER = Changer(Role.ADMIN, datetime(2022, 11, 1, tzinfo=UTC), DEADLINE, OPEN)
CHAIR = Changer(Role.CHAIR, datetime(2022, 10, 1, tzinfo=UTC), DEADLINE, OPEN)
A = RegistrationAction


def reg(state=RegistrationState.PENDING, participation=Participation.VOTING,
        paid=200) -> Registration:
    o = org(paid)
    return Registration("Luz Dimasalang", participation, state,
                        Organization(o.membership, o.status, o.standing, "Paid Up Workers"))


def test_a_pending_registration_may_be_edited_confirmed_and_withdrawn():
    assert allowed_actions(reg(), BEFORE) == [A.EDIT, A.CONFIRM, A.WITHDRAW]


def test_a_confirmed_registration_may_go_back_to_pending():
    assert allowed_actions(reg(RegistrationState.CONFIRMED), BEFORE) == [
        A.EDIT, A.BACK_TO_PENDING, A.WITHDRAW]


def test_a_withdrawn_registration_is_kept_as_it_was():
    withdrawn = reg(RegistrationState.WITHDRAWN)
    assert allowed_actions(withdrawn, BEFORE) == []
    assert allowed_actions(withdrawn, ADMIN_AFTER) == []
    assert decide_registration(A.CONFIRM, withdrawn, BEFORE).reason.startswith(
        "This registration was withdrawn")
    assert decide_registration(A.EDIT, withdrawn, BEFORE).reason.startswith(
        "This registration was withdrawn")


def test_after_the_deadline_a_secretariat_may_do_nothing_and_the_admin_everything():
    assert allowed_actions(reg(), AFTER) == []
    assert "deadline" in decide_registration(A.WITHDRAW, reg(), AFTER).message()
    assert allowed_actions(reg(), ADMIN_AFTER) == [A.EDIT, A.CONFIRM, A.WITHDRAW]


def test_the_chair_reads_the_lists():
    assert allowed_actions(reg(), CHAIR) == []


def test_a_voting_delegate_whose_organization_may_not_vote_is_not_confirmed():
    flagged = reg(paid=150)
    assert allowed_actions(flagged, BEFORE) == [A.EDIT, A.WITHDRAW]
    decision = decide_registration(A.CONFIRM, flagged, BEFORE)
    assert decision.message() == (
        "Luz Dimasalang cannot be confirmed as the voting delegate of Paid Up Workers: "
        "Owes US$50 for 2022: no voting delegate until the dues are paid.")
    # An observer of the same organization is confirmed.
    assert A.CONFIRM in allowed_actions(reg(participation=Participation.OBSERVER, paid=150),
                                        BEFORE)


def test_asking_for_the_state_a_registration_is_in_changes_nothing_and_is_allowed():
    confirmed = reg(RegistrationState.CONFIRMED, paid=150)  # flagged, yet already confirmed
    assert decide_registration(A.CONFIRM, confirmed, BEFORE)
    assert not decide_registration(A.CONFIRM, confirmed, AFTER)


@given(state=st.sampled_from(list(RegistrationState)),
       participation=st.sampled_from(list(Participation)),
       paid=st.integers(min_value=0, max_value=300),
       changer=st.sampled_from([BEFORE, AFTER, ADMIN_AFTER, CHAIR]))
def test_the_actions_offered_are_exactly_those_allowed_that_change_something(
        state, participation, paid, changer):
    r = reg(state, participation, paid)
    offered = allowed_actions(r, changer)
    for action in RegistrationAction:
        changes = action is A.EDIT or action_to(state) is not action
        assert (action in offered) == (changes and decide_registration(action, r, changer).ok)
    if not changer.may_change():
        assert offered == []  # nothing without the right to change registrations
    if state is RegistrationState.WITHDRAWN:
        assert offered == []


def test_each_state_has_the_action_that_leads_to_it():
    assert {action_to(s) for s in RegistrationState} == {A.CONFIRM, A.BACK_TO_PENDING,
                                                         A.WITHDRAW}


def test_the_enums_carry_their_labels_and_keep_their_values():
    assert Participation.VOTING == "voting" and Participation.VOTING.label == "Voting delegate"
    assert Participation("non_voting") is Participation.NON_VOTING
    assert RegistrationState.WITHDRAWN.value == "withdrawn"
    assert RegistrationState.PENDING.label == "Pending"


@given(st.integers(min_value=1, max_value=10_000))
def test_the_english_ordinal_agrees_with_cldr(number):
    from babel import Locale

    from ima_portal.domain.assembly import english_ordinal_form
    assert english_ordinal_form(number) == Locale.parse("en").ordinal_form(number)


def test_the_usual_name_of_an_assembly():
    from ima_portal.domain.assembly import default_name
    assert [default_name(n) for n in (1, 2, 3, 5, 11, 12, 13, 21, 22, 23, 111)] == [
        "1st Global Assembly", "2nd Global Assembly", "3rd Global Assembly",
        "5th Global Assembly", "11th Global Assembly", "12th Global Assembly",
        "13th Global Assembly", "21st Global Assembly", "22nd Global Assembly",
        "23rd Global Assembly", "111th Global Assembly"]
