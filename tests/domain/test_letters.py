"""The rules of visa invitation letters and certificates: the one table of who may take
which action in which state (every state x action x role, own chapter and another), the
request's fields, masking, certificates' dates, erasure."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ima_portal.domain.letters import (
    Delegate,
    LetterAction,
    LetterState,
    Validity,
    allowed_letter_actions,
    check_request,
    current_state,
    decide_letter,
    erasure_due,
    mask_passport,
    may_issue_certificate,
    normalize_passport_number,
    public_validity,
)
from ima_portal.domain.roles import Role

A, S = LetterAction, LetterState
READY = Delegate(confirmed=True, international=True)

# What each part may do, written out by hand (not derived from RULES).
EXPECTED = {
    # state: {action: (own chapter secretariat, global secretariat)}
    None: {A.REQUEST: (True, True)},
    S.REQUESTED: {A.REQUEST: (True, True), A.ISSUE: (False, True), A.REFUSE: (False, True),
                  A.WITHDRAW: (True, True), A.SEE_PASSPORT: (True, True)},
    S.ISSUED: {A.WITHDRAW: (False, True), A.SEE_PASSPORT: (True, True),
               A.DOWNLOAD: (True, True)},
    S.REFUSED: {A.REQUEST: (True, True), A.SEE_PASSPORT: (True, True)},
    S.WITHDRAWN: {A.SEE_PASSPORT: (True, True)},
}
ACTORS = [  # role, own chapter, index in EXPECTED's pairs (None: never allowed)
    (Role.SECRETARIAT, True, 0), (Role.SECRETARIAT, False, None),
    (Role.ADMIN, True, 1), (Role.ADMIN, False, 1),
    (Role.CHAIR, True, None), (Role.CHAIR, False, None),
]


@pytest.mark.parametrize("state", [None, *LetterState])
@pytest.mark.parametrize("action", list(LetterAction))
@pytest.mark.parametrize("role,own,index", ACTORS)
def test_every_state_action_and_role(state, action, role, own, index):
    expected = EXPECTED[state].get(action)
    allowed = bool(expected and index is not None and expected[index])
    decision = decide_letter(action, state, role, own, READY)
    assert bool(decision) is allowed, (state, action, role, own, decision.reason)
    if not allowed:
        assert decision.reason  # a sentence the user reads


def test_a_chapter_is_told_the_global_secretariat_issues():
    d = decide_letter(A.ISSUE, S.REQUESTED, Role.SECRETARIAT, True, READY)
    assert not d and "global secretariat" in d.reason


@pytest.mark.parametrize("delegate,words", [
    (Delegate(confirmed=False, international=True), "Confirm the registration"),
    (Delegate(confirmed=True, international=False), "international"),
    (Delegate(confirmed=True, international=True, withdrawn=True), "withdrawn"),
])
def test_a_letter_is_for_a_confirmed_international_delegate(delegate, words):
    for action, state in ((A.REQUEST, None), (A.ISSUE, S.REQUESTED)):
        d = decide_letter(action, state, Role.ADMIN, False, delegate)
        assert not d
    assert words in decide_letter(A.REQUEST, None, Role.SECRETARIAT, True, delegate).reason


def test_a_withdrawn_registration_withdraws_its_letter():
    gone = Delegate(confirmed=False, international=True, withdrawn=True)
    assert current_state(S.ISSUED, True) is S.WITHDRAWN
    assert current_state(S.REQUESTED, True) is S.WITHDRAWN
    assert current_state(S.REFUSED, True) is S.REFUSED
    assert current_state(S.ISSUED, False) is S.ISSUED
    assert allowed_letter_actions(S.ISSUED, Role.ADMIN, False, gone) == [A.SEE_PASSPORT]
    assert public_validity(current_state(S.ISSUED, True)) is Validity.WITHDRAWN


def test_only_issued_or_withdrawn_documents_answer_verification():
    assert public_validity(S.ISSUED) is Validity.VALID
    assert public_validity(S.WITHDRAWN) is Validity.WITHDRAWN
    assert public_validity(S.REQUESTED) is None and public_validity(S.REFUSED) is None


TODAY = date(2022, 10, 1)
GOOD = dict(passport_name="Nguyễn Thị Lan", nationality="Vietnamese",
            passport_number="c 1234-567", passport_expiry=None,
            date_of_birth=date(1985, 4, 23), departure=date(2022, 12, 4), today=TODAY)


def test_a_complete_request_has_no_errors():
    assert check_request(**GOOD) == {}
    assert normalize_passport_number(GOOD["passport_number"]) == "C1234567"


@pytest.mark.parametrize("change,field", [
    ({"passport_name": "  "}, "passport_name"),
    ({"nationality": ""}, "nationality"),
    ({"passport_number": ""}, "passport_number"),
    ({"passport_number": "AB12"}, "passport_number"),
    ({"passport_number": "AB12345!"}, "passport_number"),
    ({"date_of_birth": None}, "date_of_birth"),
    ({"date_of_birth": TODAY}, "date_of_birth"),
    ({"date_of_birth": date(1890, 1, 1)}, "date_of_birth"),
    ({"passport_expiry": date(2022, 12, 4)}, "passport_expiry"),
])
def test_each_field_is_checked_with_its_own_message(change, field):
    errors = check_request(**{**GOOD, **change})
    assert list(errors) == [field]
    assert errors[field][0]


def test_an_expiry_after_departure_is_accepted():
    assert check_request(**{**GOOD, "passport_expiry": date(2023, 6, 5)}) == {}


@given(st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=3, max_size=20))
def test_a_masked_number_shows_only_its_last_three(number):
    assert mask_passport(number) == "•••••" + number[-3:]


def test_masking_nothing_is_nothing():
    assert mask_passport(None) == "" and mask_passport("") == ""


LAST = date(2022, 12, 3)


@pytest.mark.parametrize("role,today,delegate,ok", [
    (Role.ADMIN, LAST, READY, True),
    (Role.ADMIN, date(2022, 12, 20), Delegate(confirmed=True, international=False), True),
    (Role.ADMIN, date(2022, 12, 2), READY, False),               # before the last day
    (Role.ADMIN, LAST, Delegate(confirmed=False, international=True), False),
    (Role.ADMIN, LAST, Delegate(confirmed=True, international=True, withdrawn=True), False),
    (Role.SECRETARIAT, LAST, READY, False),
    (Role.CHAIR, LAST, READY, False),
])
def test_certificates_from_the_last_day_by_the_global_secretariat(role, today, delegate, ok):
    assert bool(may_issue_certificate(role, today, LAST, delegate)) is ok


def test_erasure_is_due_after_the_days_kept():
    assert not erasure_due(LAST, date(2023, 3, 3), 90)   # 90 days after: kept
    assert erasure_due(LAST, date(2023, 3, 4), 90)
    assert erasure_due(LAST, date(2022, 12, 4), 0)
    assert not erasure_due(LAST, LAST, 0)
    with pytest.raises(ValueError):
        erasure_due(LAST, LAST, -1)
