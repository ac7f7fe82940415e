"""Accounts: signing in (with throttling), creating and keeping users.

Services change rows and flush; the request's transaction commits once (see
`transaction`). The sign-in throttle's records are the exception: each is committed at
once in a transaction of its own."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit
from ..chapters.models import Chapter
from ..db_types import utcnow
from ..domain import throttle
from ..domain.common import N_, Decision
from ..domain.roles import Role, may_change_account, role_needs_chapter
from ..extensions import db
from .models import LoginFailure, User

PASSWORD_METHOD = "scrypt"
BAD_CREDENTIALS = N_("The e-mail address or the password is not right. Check both and try again.")
DEACTIVATED = N_("This account has been deactivated. Ask the global secretariat if you "
                 "need it again.")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


def verify_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Checked against when the e-mail is unknown, so both cases take the same time.
    return hash_password(secrets.token_hex(16))


def generate_password() -> str:
    """A temporary password a person can type: four groups of letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


@dataclass(frozen=True)
class SignIn:
    user: User | None
    error: str = ""
    params: dict | None = None
    throttled: bool = False


def _failures(kind: str, key: str, since: datetime, exclude: tuple[int, ...] = ()
              ) -> list[datetime]:
    stmt = select(LoginFailure.at).where(LoginFailure.kind == kind, LoginFailure.key == key,
                                         LoginFailure.at > since)
    if exclude:
        stmt = stmt.where(LoginFailure.id.not_in(exclude))
    return list(db.session.scalars(stmt))


# Failed sign-ins are kept a day: long enough for the throttle window and for the global
# secretariat's count of recent failures.
FAILURE_RETENTION = timedelta(days=1)


def throttle_state(email: str, address: str, *, now: datetime, window: timedelta,
                   per_account: int, per_address: int,
                   account_cleared_at: datetime | None = None,
                   exclude: tuple[int, ...] = ()) -> throttle.ThrottleDecision:
    """The throttle for this e-mail and address. An account's failures before its last
    successful sign-in no longer count against it (an address's always do: one good
    account must not clear the count of an address that tries many). `exclude` leaves
    out the attempt being decided."""
    since = now - window
    account_since = max(since, account_cleared_at) if account_cleared_at else since
    return throttle.combine(
        throttle.decide(_failures("account", email, account_since, exclude), now=now,
                        limit=per_account, window=window),
        throttle.decide(_failures("address", address, since, exclude), now=now,
                        limit=per_address, window=window),
    )


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt, recorded as a failure before its password is checked."""

    email: str
    address: str
    at: datetime
    row_ids: tuple[int, ...]


def begin_attempt(email: str, address: str, now: datetime | None = None, *,
                  window: timedelta = FAILURE_RETENTION) -> Attempt:
    """Records the attempt as a failure first, in a transaction of its own committed at
    once (whatever becomes of the request's), so that attempts made at the same moment
    see one another: of any number of simultaneous guesses, at most the limit get their
    password checked."""
    now = now or utcnow()
    email = normalize_email(email)
    with Session(db.engine) as own, own.begin():
        rows = [LoginFailure(kind="account", key=email, at=now),
                LoginFailure(kind="address", key=address, at=now)]
        own.add_all(rows)
        own.flush()
        ids = tuple(r.id for r in rows)
        own.execute(delete(LoginFailure).where(
            LoginFailure.at <= now - max(window, FAILURE_RETENTION)))
    return Attempt(email, address, now, ids)


def _forget(attempt: Attempt) -> None:
    """The attempt no longer counts as a failure (in a transaction of its own, like
    `begin_attempt`, whatever the request answers)."""
    with Session(db.engine) as own, own.begin():
        own.execute(delete(LoginFailure).where(LoginFailure.id.in_(attempt.row_ids)))


def authenticate(attempt: Attempt, password: str, *, window: timedelta, per_account: int,
                 per_address: int) -> SignIn:
    """Checks a sign-in begun with `begin_attempt`. A refused or wrong attempt stays a
    failure against the e-mail typed (whether or not an account has it) and the address;
    the answer never tells whether an e-mail exists."""
    # The decision's "now" is taken after every attempt it can see was recorded (one
    # begun a moment after this one but committed first must count too).
    now = max(utcnow(), attempt.at)
    user = db.session.scalar(select(User).where(User.email == attempt.email))
    state = throttle_state(attempt.email, attempt.address, now=now, window=window,
                           per_account=per_account, per_address=per_address,
                           account_cleared_at=user.failures_cleared_at if user else None,
                           exclude=attempt.row_ids)
    if not state.allowed:
        _forget(attempt)  # not checked, so not a further failure
        return SignIn(None, throttle.THROTTLED_MESSAGE, {"minutes": state.retry_minutes},
                      throttled=True)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        ok = False
    else:
        ok = check_password_hash(user.password_hash, password)
    if not ok:
        return SignIn(None, BAD_CREDENTIALS)
    _forget(attempt)
    if not user.active:
        return SignIn(None, DEACTIVATED)
    user.last_login_at = now
    user.failures_cleared_at = now
    return SignIn(user)


def failed_logins_since(since: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(LoginFailure)
                             .where(LoginFailure.kind == "account", LoginFailure.at > since)) or 0


# --- keeping accounts -------------------------------------------------------------------

def email_taken(email: str, *, except_id: int | None = None) -> bool:
    stmt = select(User.id).where(User.email == normalize_email(email))
    if except_id is not None:
        stmt = stmt.where(User.id != except_id)
    return db.session.scalar(stmt) is not None


def create_user(actor: User | None, *, email: str, name: str, role: Role,
                chapter: Chapter | None, password: str, timezone: str = "UTC",
                must_change_password: bool = True) -> User:
    if role_needs_chapter(role) and chapter is None:
        raise ValueError("a chapter secretariat needs a chapter")
    user = User(email=normalize_email(email), name=name.strip(), role=role,
                chapter=chapter if role_needs_chapter(role) else None,
                password_hash=hash_password(password), timezone=timezone,
                must_change_password=must_change_password, active=True)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user, f"Created account {user.email} ({role.value})",
                 role=role.value, chapter=chapter.code if user.chapter else None)
    return user


def active_admin_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User)
                             .where(User.role == Role.ADMIN, User.active.is_(True))) or 0


def _may_change(actor: User, target: User, *, deactivating=False, demoting=False) -> Decision:
    return may_change_account(
        actor.id, actor.role, target.id, deactivating=deactivating, demoting=demoting,
        active_admins=active_admin_count(),
        target_is_active_admin=target.role is Role.ADMIN and target.active)


def _snapshot(user: User) -> dict:
    return {"email": user.email, "name": user.name, "role": user.role.value,
            "chapter": user.chapter.code if user.chapter else None, "timezone": user.timezone}


def update_user(actor: User, user: User, *, email: str, name: str, role: Role,
                chapter: Chapter | None, timezone: str) -> Decision:
    demoting = user.role is Role.ADMIN and role is not Role.ADMIN
    decision = _may_change(actor, user, demoting=demoting)
    if not decision:
        return decision
    before = _snapshot(user)
    user.email = normalize_email(email)
    user.name = name.strip()
    user.role = role
    user.chapter = chapter if role_needs_chapter(role) else None
    user.timezone = timezone
    changed = audit.record_changes(actor, "user.update", user, f"account {user.email}",
                                   before, _snapshot(user))
    if "role" in changed or "chapter" in changed:
        user.end_all_sessions()  # new rights take effect at the next sign-in
    return Decision.allow()


def set_active(actor: User, user: User, active: bool) -> Decision:
    decision = _may_change(actor, user, deactivating=not active)
    if not decision:
        return decision
    if user.active != active:
        user.active = active
        if not active:
            user.end_all_sessions()
        audit.record(actor, "user.activate" if active else "user.deactivate", user,
                     f"{'Reactivated' if active else 'Deactivated'} account {user.email}")
    return Decision.allow()


def reset_password(actor: User, user: User) -> str:
    """Gives `user` a new temporary password (returned once, to show the admin), ends
    their sessions and asks them to choose their own at the next sign-in."""
    password = generate_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.end_all_sessions()
    user.failures_cleared_at = utcnow()  # a reset also lifts a lock on the account
    audit.record(actor, "user.reset_password", user, f"Reset the password of {user.email}")
    return password


def change_own_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.end_all_sessions()  # other devices sign in again; the caller re-logs this one
    audit.record(user, "user.change_password", user, f"{user.email} changed their password")
