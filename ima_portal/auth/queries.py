"""Accounts and failed sign-ins: reads."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..domain import throttle
from ..domain.roles import Role
from ..extensions import db
from .credentials import normalize_email
from .models import LoginFailure, User

# Failed sign-ins are kept a day: long enough for the throttle window and for the global
# secretariat's count of recent failures.
FAILURE_RETENTION = timedelta(days=1)


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
