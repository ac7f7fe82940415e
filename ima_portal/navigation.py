"""The header's navigation: the links each role sees, the current one marked."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .domain.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def nav_items() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    items = [(_("Home"), "main.home", {}, endpoint == "main.home")]
    items.append((_("Organizations"), "members.index", {},
                  endpoint.startswith("members.") and endpoint not in (
                      "members.dues_check", "members.policies")))
    items.append((_("Dues check"), "members.dues_check", {}, endpoint == "members.dues_check"))
    by_chapter = endpoint in ("assembly.chapters", "assembly.chapter_overview")
    items.append((_("Assembly"), "assembly.current", {}, endpoint.startswith("assembly.") and
                  (current_user.is_secretariat or not by_chapter)))
    if not current_user.is_secretariat:  # a secretariat's "Assembly" is their chapter's page
        items.append((_("Assembly by chapter"), "assembly.overview_current", {}, by_chapter))
    items.append((_("Info sessions"), "info_sessions.index", {},
                  endpoint.startswith("info_sessions.")))
    items.append((_("Statements"), "statements.index", {},
                  endpoint.startswith("statements.") and endpoint != "statements.queue"))
    if current_user.role in (Role.CHAIR, Role.ADMIN):
        items.append((_("Sign-off queue"), "statements.queue", {},
                      endpoint == "statements.queue"))
    if current_user.is_secretariat:
        items.append((_("My chapter"), "chapters.detail", {"chapter_id": current_user.chapter_id},
                      endpoint.startswith("chapters.")))
    else:
        items.append((_("Chapters"), "chapters.index", {}, endpoint.startswith("chapters.")))
    if current_user.is_admin:
        items.append((_("Accounts"), "admin.users", {}, endpoint.startswith("admin.user")))
        items.append((_("Dues rules"), "members.policies", {},
                      endpoint == "members.policies"))
        items.append((_("Logistics"), "logistics.current", {},
                      endpoint.startswith("logistics.")))
        items.append((_("Activity"), "admin.activity", {}, endpoint == "admin.activity"))
    return [NavItem(label, url_for(ep, **kw), active) for label, ep, kw, active in items]
