"""The one authorization layer of the portal.

- Every endpoint requires a signed-in, active user unless its view is marked `@public`
  (checked before every request, so a new view is protected without anyone thinking of it).
- `@roles_required(...)` refuses other roles with 403; `@role_allowed(rule)` refuses the
  roles a rule of `domain` refuses.
- `scope(stmt, column)` limits a query to the user's chapter when the user is a chapter
  secretariat; `get_scoped_or_404` answers 404 for a record of another chapter, so a
  foreign id in a URL reveals nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user, login_fresh
from sqlalchemy import Select

from ..domain import second_factor
from ..domain.common import Decision
from ..domain.roles import Role, chapter_scope
from ..extensions import csrf, db, login_manager

F = TypeVar("F", bound=Callable)

# Endpoints a signed-in user with a password to change may still reach.
_PASSWORD_CHANGE_ENDPOINTS = {"auth.account", "auth.change_password", "auth.logout", "static"}
# Endpoints an account that must add a second factor may reach before it has.
_SECOND_FACTOR_ENDPOINTS = {"auth.two_factor", "auth.logout", "static"}


def public(view: F) -> F:
    """Marks a view as reachable without signing in (login, health check, public pages)."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def csrf_in_form(view: F) -> F:
    """Marks a view whose every change goes through a FlaskForm's validation, which checks
    the CSRF token itself: a stale token then re-shows the form with what the user typed
    (and a fresh token) instead of an error page. Every other view is checked before it
    runs."""
    view.csrf_in_form = True  # type: ignore[attr-defined]
    return view


def protect_csrf() -> None:
    """`before_request` hook: the CSRF check of every POST (form field or, for HTMX, the
    X-CSRFToken header), except in the views marked `@csrf_in_form`."""
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "csrf_in_form", False):
        return
    csrf.protect()


def is_public_endpoint(endpoint: str | None) -> bool:
    if endpoint is None:  # no route matched: let the 404 happen
        return True
    if endpoint == "static" or endpoint.endswith(".static"):
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def require_login() -> object | None:
    """`before_request` hook: the default is closed."""
    if is_public_endpoint(request.endpoint):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.must_change_password and request.endpoint not in _PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("auth.account"))
    if (not current_user.has_second_factor
            and second_factor.must_use_second_factor(current_user.role, required_roles())
            and request.endpoint not in _SECOND_FACTOR_ENDPOINTS):
        return redirect(url_for("auth.two_factor"))
    return None


def required_roles() -> frozenset[str]:
    """The roles that must use two-factor sign-in here (setting SECOND_FACTOR_ROLES)."""
    return second_factor.required_roles(current_app.config.get("SECOND_FACTOR_ROLES", ""))


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Refuses (403) a signed-in user whose role is not one of `roles`."""
    allowed = frozenset(roles)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.roles = allowed  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def role_allowed(rule: Callable[[Role], Decision]) -> Callable[[F], F]:
    """Refuses (403) a signed-in user whose role the domain's `rule` refuses (the rule the
    page also shows, so that a button is offered exactly when its action is allowed)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not rule(current_user.role):
                abort(403)
            return view(*args, **kwargs)

        wrapped.rule = rule  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def require_fresh_login() -> object | None:
    """`before_request` hook of the global secretariat's pages: a session restored from a
    "remember me" cookie, or replayed from another address or browser, must confirm the
    password before it manages accounts or chapters."""
    if current_user.is_authenticated and not login_fresh():
        return login_manager.needs_refresh()
    return None


def fresh_login(view: F) -> F:
    """The same check for one view."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        return require_fresh_login() or view(*args, **kwargs)
    return wrapped  # type: ignore[return-value]


def current_scope() -> int | None:
    """The chapter id the current user is limited to, or None for all chapters."""
    return chapter_scope(current_user.role, current_user.chapter_id)


def scope(stmt: Select, chapter_column) -> Select:
    """`stmt` limited to the current user's chapter when the user is a secretariat."""
    chapter_id = current_scope()
    return stmt if chapter_id is None else stmt.where(chapter_column == chapter_id)


def get_scoped_or_404(model, ident: int, chapter_column=None):
    """The record `ident` of `model` if the current user may see it; 404 otherwise."""
    column = chapter_column if chapter_column is not None else model.chapter_id
    stmt = scope(db.select(model).where(model.id == ident), column)
    row = db.session.execute(stmt).unique().scalar_one_or_none()
    if row is None:
        abort(404)
    return row
