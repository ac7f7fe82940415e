import pytest

from ima_portal.domain import passwords
from ima_portal.domain.common import Decision
from ima_portal.domain.roles import (
    Role,
    chapter_scope,
    may_change_account,
    may_keep_member_records,
    role_needs_chapter,
)


def test_a_secretariat_is_limited_to_its_chapter():
    assert chapter_scope(Role.SECRETARIAT, 7) == 7


@pytest.mark.parametrize("role", [Role.CHAIR, Role.ADMIN])
def test_chair_and_global_secretariat_see_every_chapter(role):
    assert chapter_scope(role, None) is None


def test_a_secretariat_without_chapter_is_an_error_not_a_wider_view():
    with pytest.raises(ValueError):
        chapter_scope(Role.SECRETARIAT, None)


def test_only_secretariat_needs_a_chapter():
    assert [r for r in Role if role_needs_chapter(r)] == [Role.SECRETARIAT]


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.CHAIR])
def test_only_the_global_secretariat_manages_accounts(role):
    d = may_change_account(1, role, 2)
    assert not d and "global secretariat" in d.reason


def test_nobody_deactivates_themselves():
    d = may_change_account(1, Role.ADMIN, 1, deactivating=True, active_admins=3,
                           target_is_active_admin=True)
    assert not d and "your own account" in d.reason


def test_the_last_active_admin_stays():
    assert not may_change_account(1, Role.ADMIN, 2, demoting=True, active_admins=1,
                                  target_is_active_admin=True)
    assert may_change_account(1, Role.ADMIN, 2, demoting=True, active_admins=2,
                              target_is_active_admin=True)


def test_an_admin_may_edit_their_own_name():
    assert may_change_account(1, Role.ADMIN, 1)


def test_decision_message_fills_parameters():
    assert Decision.refuse("owes %(amount)s", amount="US$150").message() == "owes US$150"


@pytest.mark.parametrize("password,expect", [
    ("short", "at least 12"),
    ("aaaaaaaaaaaaaaa", "different characters"),
    ("maria@example.org", "e-mail"),
    ("Maria Santos Reyes", "name"),
])
def test_weak_passwords_are_explained(password, expect):
    found = passwords.problems(password, email="maria@example.org", name="Maria Santos Reyes")
    assert any(expect in p for p in found), found


def test_a_long_passphrase_is_fine():
    assert passwords.problems("rice and rain in the harbour", email="a@b.org") == []


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.ADMIN])
def test_the_secretariats_keep_member_records(role):
    assert may_keep_member_records(role)


def test_the_chair_reads_member_records_but_does_not_change_them():
    decision = may_keep_member_records(Role.CHAIR)
    assert not decision and "secretariat" in decision.reason


def test_roles_carry_their_labels_and_keep_their_values():
    assert Role("secretariat") is Role.SECRETARIAT and Role.ADMIN == "admin"
    assert [r.label for r in Role] == ["Chapter secretariat", "Chair", "Global secretariat"]
