"""Who is who in the portal, and what each role may reach.

- A chapter secretariat is bound to one chapter and sees only its records.
- The chair reads every chapter's records and signs statements off.
- The global secretariat (admin) sees and keeps everything: chapters, users, rules.
"""
from __future__ import annotations

from .common import N_, Decision, LabelledEnum


class Role(LabelledEnum):
    SECRETARIAT = "secretariat", N_("Chapter secretariat")
    CHAIR = "chair", N_("Chair")
    ADMIN = "admin", N_("Global secretariat")


def chapter_scope(role: Role, chapter_id: int | None) -> int | None:
    """The one chapter a user's queries are limited to, or None for every chapter.

    A secretariat without a chapter would see everything if this returned None, so
    that case is an error rather than a silent widening."""
    if role is Role.SECRETARIAT:
        if chapter_id is None:
            raise ValueError("a chapter secretariat must belong to a chapter")
        return chapter_id
    return None


def role_needs_chapter(role: Role) -> bool:
    return role is Role.SECRETARIAT


def may_keep_member_records(role: Role) -> Decision:
    """May a user of `role` add and change member organizations, import them and record,
    remit or void their dues? The chapter secretariats (for their own chapter) and the
    global secretariat keep these records; the chair reads them."""
    if role in (Role.SECRETARIAT, Role.ADMIN):
        return Decision.allow()
    return Decision.refuse(N_("Only a chapter secretariat or the global secretariat changes "
                              "member organizations and their dues."))


def may_change_account(actor_id: int, actor_role: Role, target_id: int, *,
                       deactivating: bool = False, demoting: bool = False,
                       active_admins: int = 0, target_is_active_admin: bool = False) -> Decision:
    """May `actor` deactivate or change the role of the account `target`?

    Only the global secretariat manages accounts; nobody locks themselves out, and the
    last active global secretariat account is never deactivated or demoted."""
    if actor_role is not Role.ADMIN:
        return Decision.refuse(N_("Only the global secretariat manages accounts."))
    if (deactivating or demoting) and actor_id == target_id:
        return Decision.refuse(N_("You cannot deactivate your own account or change your own "
                                  "role; ask another global secretariat member."))
    if (deactivating or demoting) and target_is_active_admin and active_admins <= 1:
        return Decision.refuse(N_("This is the last active global secretariat account; "
                                  "the portal would have no administrator left."))
    return Decision.allow()
