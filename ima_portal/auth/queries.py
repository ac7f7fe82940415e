"""Accounts and failed sign-ins: reads."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, func, select

from ..domain import throttle
from ..domain.roles import Role
from ..extensions import db
from .credentials import normalize_email
from .models import LoginFailure, LoginSession, RecoveryCode, User

# Failed sign-ins are kept a day: long enough for the throttle window and for the global
# secretariat's count of recent failures.
FAILURE_RETENTION = timedelta(days=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def _account_and_sign_in() -> Select:
    """The query of every signed-in request: the account and its open sign-in together,
    built once (building it cost more than running it)."""
    return (select(User, LoginSession)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(User.id == bindparam("user_id"), User.active.is_(True),
                   User.session_token == bindparam("account_token"),
                   LoginSession.token_hash == bindparam("token_hash"),
                   LoginSession.ended_at.is_(None)))


def user_for_cookie(cookie_id: str) -> User | None:
    """The user a session or "remember me" cookie names (`id:account token:sign-in
    token`), with its open sign-in set on it; None for a cookie of an ended session, of a
    changed account token, of a deactivated account, or malformed."""
    parts = cookie_id.split(":")
    if len(parts) != 3 or not parts[0].isascii() or not parts[0].isdigit():
        return None
    ident, account_token, login_token = parts
    if not account_token or not login_token or int(ident) > 2**31 - 1:
        return None
    found = db.session.execute(_account_and_sign_in(), {
        "user_id": int(ident), "account_token": account_token,
        "token_hash": token_hash(login_token)}).unique().first()
    if found is None:
        return None
    user, session = found
    user.login_session, user.login_token = session, login_token
    return user


def open_login_sessions(user: User) -> list[LoginSession]:
    """The user's sessions not ended, most recently used first (those of an older
    account token included: they no longer work, and ending them tidies the list)."""
    return list(db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id,
                                   LoginSession.ended_at.is_(None))
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())))


def user_by_id(user_id) -> User | None:
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def _failures(kind: str, key: str, since: datetime, exclude: tuple[int, ...] = ()
              ) -> list[datetime]:
    stmt = select(LoginFailure.at).where(LoginFailure.kind == kind, LoginFailure.key == key,
                                         LoginFailure.at > since)
    if exclude:
        stmt = stmt.where(LoginFailure.id.not_in(exclude))
    return list(db.session.scalars(stmt))


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


def failed_logins_since(since: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(LoginFailure)
                             .where(LoginFailure.kind == "account", LoginFailure.at > since)) or 0


def email_taken(email: str, *, except_id: int | None = None) -> bool:
    stmt = select(User.id).where(User.email == normalize_email(email))
    if except_id is not None:
        stmt = stmt.where(User.id != except_id)
    return db.session.scalar(stmt) is not None


def active_admin_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User)
                             .where(User.role == Role.ADMIN, User.active.is_(True))) or 0


def held_accounts(*, now: datetime, window: timedelta, per_account: int) -> int:
    """How many accounts the sign-in throttle holds now: `per_account` or more failed
    sign-ins within `window`, after the account's last successful one (one query)."""
    if per_account <= 0:
        return 0
    cleared = User.failures_cleared_at
    stmt = (select(LoginFailure.key)
            .outerjoin(User, User.email == LoginFailure.key)
            .where(LoginFailure.kind == "account", LoginFailure.at > now - window,
                   (cleared.is_(None)) | (LoginFailure.at > cleared))
            .group_by(LoginFailure.key).having(func.count() >= per_account))
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
