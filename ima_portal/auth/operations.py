"""Accounts: signing in (with throttling), creating and keeping users.

Each operation is given the acting user, changes rows, audits and flushes; the request's
transaction commits once (see `transaction`). The sign-in throttle's records are the
exception: each is committed at once in a transaction of its own."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from flask_babel import force_locale, gettext
from flask_mail import Message
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .. import audit, mailer
from ..chapters.models import Chapter
from ..db_types import utcnow
from ..domain import second_factor, throttle
from ..domain.common import N_, Decision, counted
from ..domain.roles import Role, may_change_account, role_needs_chapter
from ..extensions import db
from ..web import portal_link, render_anywhere
from .credentials import (
    check_password,
    dummy_hash,
    generate_password,
    hash_password,
    normalize_email,
)
from .models import LoginFailure, LoginSession, PasswordReset, RecoveryCode, User
from .queries import (
    FAILURE_RETENTION,
    active_admin_count,
    open_login_sessions,
    throttle_state,
    token_hash,
    user_by_email,
)

BAD_CREDENTIALS = N_("The e-mail address or the password is not right. Check both and try again.")
DEACTIVATED = N_("This account has been deactivated. Ask the global secretariat if you "
                 "need it again.")


# --- signing in ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SignIn:
    user: User | None
    error: str = ""
    params: dict | None = None
    throttled: bool = False


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
    user = user_by_email(attempt.email)
    state = throttle_state(attempt.email, attempt.address, now=now, window=window,
                           per_account=per_account, per_address=per_address,
                           account_cleared_at=user.failures_cleared_at if user else None,
                           exclude=attempt.row_ids)
    if not state.allowed:
        _forget(attempt)  # not checked, so not a further failure
        return SignIn(None, throttle.THROTTLED_MESSAGE, {"num": state.retry_minutes},
                      throttled=True)
    if user is None:
        check_password(dummy_hash(), password)
        ok = False
    else:
        ok = check_password(user.password_hash, password)
    if not ok:
        return SignIn(None, BAD_CREDENTIALS)
    _forget(attempt)
    if not user.active:
        return SignIn(None, DEACTIVATED)
    user.last_login_at = now
    user.failures_cleared_at = now
    db.session.flush()
    return SignIn(user)


def sign_in(email: str, address: str, password: str, *, window: timedelta, per_account: int,
            per_address: int) -> SignIn:
    """A whole sign-in: the attempt recorded first (`begin_attempt`), then checked
    (`authenticate`)."""
    attempt = begin_attempt(email, address, window=window)
    return authenticate(attempt, password, window=window, per_account=per_account,
                        per_address=per_address)


# --- preferences ---------------------------------------------------------------------------

def set_language(actor: User, code: str) -> None:
    """The account's language for the interface and the mails it receives."""
    if actor.language != code:
        before = actor.language
        actor.language = code
        audit.record(actor, "user.language", actor, f"{actor.email} chose the language "
                     f"{code}", changes={"language": [before, code]})
        db.session.flush()


def set_timezone(actor: User, zone: str) -> None:
    """The account's time zone: times are shown in it."""
    if actor.timezone != zone:
        before = actor.timezone
        actor.timezone = zone
        audit.record(actor, "user.timezone", actor, f"{actor.email} chose the time zone "
                     f"{zone}", changes={"timezone": [before, zone]})
        db.session.flush()


# --- sessions ------------------------------------------------------------------------------

# How often a session's "last seen" is written (not on every request: a read stays a read).
LAST_SEEN_EVERY = timedelta(minutes=5)


def start_session(user: User, *, user_agent: str, remember: bool) -> LoginSession:
    """A new sign-in of `user`: its row and token (the token goes into the cookies as part
    of `user.get_id()`, only its hash into the database)."""
    token = secrets.token_urlsafe(24)
    session = LoginSession(user_id=user.id, token_hash=token_hash(token),
                           user_agent=(user_agent or "")[:200], remember=remember)
    db.session.add(session)
    db.session.flush()
    user.login_session, user.login_token = session, token
    return session


def saw_session(session: LoginSession, now: datetime | None = None) -> None:
    """Notes that the session was used (at most every few minutes)."""
    now = now or utcnow()
    if now - session.last_seen_at >= LAST_SEEN_EVERY:
        session.last_seen_at = now
        db.session.flush()


def end_session(actor: User, session: LoginSession | None) -> None:
    """Logout: the session ends on the server, whatever copies of its cookies exist."""
    if session is None or session.ended_at is not None:
        return
    session.ended_at = utcnow()
    audit.record(actor, "user.sign_out", actor, f"{actor.email} signed out")
    db.session.flush()


def _end_all_sessions(user: User, keep: LoginSession | None = None) -> None:
    """Every cookie of `user` stops working (a new account token); the sign-ins end on
    the server too, except `keep` (the one changing its own password stays signed in)."""
    user.end_all_sessions()
    now = utcnow()
    for session in open_login_sessions(user):
        if keep is None or session.id != keep.id:
            session.ended_at = now


def end_other_sessions(actor: User) -> int:
    """Signs `actor` out everywhere but here; returns how many sessions ended."""
    now = utcnow()
    ended = 0
    for session in open_login_sessions(actor):
        if actor.login_session is None or session.id != actor.login_session.id:
            session.ended_at = now
            ended += 1
    if ended:
        audit.record(actor, "user.sign_out_elsewhere", actor,
                     f"{actor.email} signed out "
                     f"{counted(ended, 'other session', 'other sessions')}")
    db.session.flush()
    return ended


# --- keeping accounts -------------------------------------------------------------------

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
        _end_all_sessions(user)  # new rights take effect at the next sign-in
    db.session.flush()
    return Decision.allow()


def set_active(actor: User, user: User, active: bool) -> Decision:
    decision = _may_change(actor, user, deactivating=not active)
    if not decision:
        return decision
    if user.active != active:
        user.active = active
        if not active:
            _end_all_sessions(user)
        audit.record(actor, "user.activate" if active else "user.deactivate", user,
                     f"{'Reactivated' if active else 'Deactivated'} account {user.email}")
        db.session.flush()
    return Decision.allow()


def reset_password(actor: User, user: User) -> str:
    """Gives `user` a new temporary password (returned once, to show the admin), ends
    their sessions and asks them to choose their own at the next sign-in."""
    password = generate_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    _end_all_sessions(user)
    user.failures_cleared_at = utcnow()  # a reset also lifts a lock on the account
    audit.record(actor, "user.reset_password", user, f"Reset the password of {user.email}")
    db.session.flush()
    return password


def change_own_password(actor: User, new_password: str) -> None:
    """`actor` chooses their own password; every session of theirs ends (the caller signs
    the current one in again)."""
    actor.password_hash = hash_password(new_password)
    actor.must_change_password = False
    _end_all_sessions(actor, keep=actor.login_session)
    audit.record(actor, "user.change_password", actor, f"{actor.email} changed their password")
    db.session.flush()


# --- two-factor sign-in ----------------------------------------------------------------------

ISSUER = "IMA portal"
WRONG_CODE = N_("This code is not right. Type the 6 digits your authenticator app shows now, "
                "or one of your recovery codes.")


def _totp(user: User) -> pyotp.TOTP:
    return pyotp.TOTP(user.totp_secret or "")


def totp_uri(user: User) -> str:
    """What the authenticator app reads from the QR code."""
    return _totp(user).provisioning_uri(name=user.email, issuer_name=ISSUER)


def begin_enrolment(user: User) -> str:
    """A new secret for `user` (not in use until confirmed with a code from the app)."""
    if user.has_second_factor:
        raise ValueError("already enrolled")
    user.totp_secret = pyotp.random_base32()
    db.session.flush()
    return user.totp_secret


def _matching_step(user: User, code: str, now: datetime) -> int | None:
    """The time step whose code `code` is (this one, the one before or after: a phone's
    clock may be half a minute off), or None."""
    digits = "".join(code.split())
    totp = _totp(user)
    for offset in (0, -1, 1):
        at = now + timedelta(seconds=offset * totp.interval)
        if secrets.compare_digest(totp.at(at), digits):
            return totp.timecode(at)
    return None


def _new_recovery_codes(user: User) -> list[str]:
    now = utcnow()
    for old in db.session.scalars(select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))):
        old.used_at = now  # replaced: no longer usable
    codes = [second_factor.new_recovery_code() for _ in range(second_factor.RECOVERY_CODES)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id,
                                    code_hash=token_hash(second_factor.normalize_code(code))))
    return codes


def confirm_enrolment(user: User, code: str, now: datetime | None = None
                      ) -> list[str] | Decision:
    """Turns the second factor on when `code` comes from the app; returns the recovery
    codes (shown once)."""
    now = now or utcnow()
    if user.totp_secret is None or user.has_second_factor:
        return Decision.refuse(N_("Start again: open the two-factor page once more."))
    step = _matching_step(user, code, now) if second_factor.looks_like_totp(code) else None
    if step is None:
        return Decision.refuse(N_("This code is not right. Check that the app shows the "
                                  "IMA portal entry and type its 6 digits before they change."))
    user.totp_enabled_at, user.totp_last_step = now, step
    codes = _new_recovery_codes(user)
    audit.record(user, "user.second_factor_on", user, f"{user.email} turned on two-factor "
                 "sign-in")
    db.session.flush()
    return codes


def check_second_factor(user: User, address: str, code: str, *, window: timedelta,
                        per_account: int, per_address: int,
                        now: datetime | None = None) -> SignIn:
    """The second step of a sign-in: a code from the app (each used once) or an unused
    recovery code. Throttled with the password attempts of the same account."""
    attempt = begin_attempt(user.email, address, now, window=window)
    now = max(now or utcnow(), attempt.at)
    state = throttle_state(user.email, address, now=now, window=window,
                           per_account=per_account, per_address=per_address,
                           account_cleared_at=user.failures_cleared_at,
                           exclude=attempt.row_ids)
    if not state.allowed:
        _forget(attempt)
        return SignIn(None, throttle.THROTTLED_MESSAGE, {"num": state.retry_minutes},
                      throttled=True)
    if second_factor.looks_like_totp(code):
        step = _matching_step(user, code, now)
        if step is not None and second_factor.step_is_new(step, user.totp_last_step):
            user.totp_last_step = step
            _forget(attempt)
            db.session.flush()
            return SignIn(user)
    else:
        recovery = db.session.scalar(select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
            RecoveryCode.code_hash == token_hash(second_factor.normalize_code(code))))
        if recovery is not None:
            recovery.used_at = now
            _forget(attempt)
            audit.record(user, "user.recovery_code_used", user,
                         f"{user.email} signed in with a recovery code")
            db.session.flush()
            return SignIn(user)
    return SignIn(None, WRONG_CODE)


def new_recovery_codes(user: User) -> list[str]:
    """Replaces the unused recovery codes with ten new ones (shown once)."""
    codes = _new_recovery_codes(user)
    audit.record(user, "user.recovery_codes", user, f"{user.email} made new recovery codes")
    db.session.flush()
    return codes


def turn_off_second_factor(actor: User, user: User, required_roles: frozenset[str]
                           ) -> Decision:
    """Turns two-factor sign-in off: by its owner where the role does not require it,
    or by the global secretariat for someone who lost their phone and codes (who then
    enrols again at the next sign-in if the role requires it)."""
    if actor.id == user.id and second_factor.must_use_second_factor(user.role, required_roles):
        return Decision.refuse(N_("Your role requires two-factor sign-in: it stays on. To move "
                                  "it to a new phone, ask the global secretariat."))
    if actor.id != user.id and actor.role is not Role.ADMIN:
        return Decision.refuse(N_("Only the global secretariat manages accounts."))
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    _new_recovery_codes(user)  # marks the old ones used
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                  RecoveryCode.used_at.is_(None)))
    if actor.id != user.id:
        _end_all_sessions(user)
    audit.record(actor, "user.second_factor_off", user,
                 f"Two-factor sign-in turned off for {user.email}")
    db.session.flush()
    return Decision.allow()


# --- password reset by e-mail ------------------------------------------------------------------

RESET_VALID_FOR = timedelta(hours=1)


def request_password_reset(email: str, address: str, *, window: timedelta, per_account: int,
                           per_address: int, language: str = "en") -> bool:
    """Mails a reset link to the account with this e-mail, if there is an active one. The
    answer the visitor sees is the same either way (no account is revealed); the return
    value only says whether the request was throttled. Requests count like failed
    sign-ins of the e-mail and the address."""
    attempt = begin_attempt(email, address, window=window)
    state = throttle_state(email, address, now=max(utcnow(), attempt.at), window=window,
                           per_account=per_account, per_address=per_address,
                           exclude=attempt.row_ids)
    if not state.allowed:
        _forget(attempt)
        return False
    user = user_by_email(email)
    if user is None or not user.active:
        return True
    now = utcnow()
    for older in db.session.scalars(select(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))):
        older.used_at = now  # only the newest link works
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user_id=user.id, token_hash=token_hash(token),
                                 created_at=now, expires_at=now + RESET_VALID_FOR))
    audit.record(None, "user.password_reset_requested", user,
                 f"A password reset link was mailed to {user.email}")
    with force_locale(user.language or language):  # the account's language, else the page's
        body = render_anywhere("auth/mail/password_reset.txt", user=user,
                               link=portal_link("auth.reset_password", token=token),
                               minutes=int(RESET_VALID_FOR.total_seconds() // 60))
        subject = gettext("Reset your IMA portal password")
    mailer.queue(Message(subject=subject, recipients=[user.email], body=body))
    db.session.flush()
    return True


def reset_by_token(token: str, now: datetime | None = None) -> PasswordReset | None:
    """The open, unexpired reset this token names, or None."""
    now = now or utcnow()
    reset = db.session.scalar(select(PasswordReset).where(
        PasswordReset.token_hash == token_hash(token or "")))
    if reset is None or reset.used_at is not None or reset.expires_at <= now \
            or not reset.user.active:
        return None
    return reset


def finish_password_reset(reset: PasswordReset, new_password: str) -> User:
    """Sets the new password, uses the link up, ends every session of the account and
    lifts a throttle lock on it."""
    user = reset.user
    now = utcnow()
    reset.used_at = now
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.failures_cleared_at = now
    _end_all_sessions(user)
    audit.record(user, "user.password_reset", user, f"{user.email} chose a new password by "
                 "the link mailed to them")
    db.session.flush()
    return user
