from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import segno
from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import get_locale, ngettext, refresh
from flask_babel import gettext as _
from flask_login import confirm_login, current_user, login_user, logout_user

from ..db_types import utcnow
from ..domain import browsers, passwords, second_factor
from ..web import form_status, render, say
from . import bp, operations, queries
from .access import csrf_in_form, public, required_roles
from .credentials import verify_password
from .forms import (
    ChangePasswordForm,
    CodeForm,
    ConfirmPasswordForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    PreferencesForm,
)


def _safe_next(target: str | None) -> str | None:
    """Only a path on this portal: never another host, never a scheme."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
@csrf_in_form
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    next_url = _safe_next(request.values.get("next"))
    status = 200
    if form.validate_on_submit():
        cfg = current_app.config
        result = operations.sign_in(
            form.email.data, request.remote_addr or "unknown", form.password.data,
            window=cfg["LOGIN_THROTTLE_WINDOW"], per_account=cfg["LOGIN_THROTTLE_PER_ACCOUNT"],
            per_address=cfg["LOGIN_THROTTLE_PER_ADDRESS"])
        if result.user is not None and result.user.has_second_factor:
            session[PENDING] = {"user": result.user.id, "remember": bool(form.remember.data),
                                "next": next_url, "at": utcnow().timestamp()}
            return redirect(url_for("auth.second_step"))
        if result.user is not None:
            _sign_in(result.user, remember=bool(form.remember.data))
            return redirect(next_url or url_for("main.home"))
        form.password.data = ""
        form.form_errors.append(say(result.error, **(result.params or {})))
        status = 429 if result.throttled else 401
    elif form.is_submitted():
        status = form_status(form)
    return render("auth/login.html", form=form, next_url=next_url), status


def _sign_in(user, *, remember: bool) -> None:
    operations.start_session(user, user_agent=request.user_agent.string, remember=remember)
    login_user(user, remember=remember)


def _throttle_settings() -> dict:
    cfg = current_app.config
    return {"window": cfg["LOGIN_THROTTLE_WINDOW"],
            "per_account": cfg["LOGIN_THROTTLE_PER_ACCOUNT"],
            "per_address": cfg["LOGIN_THROTTLE_PER_ADDRESS"]}


# A password accepted for an account with a second factor: who, for how long.
PENDING = "second_factor"
PENDING_FOR = timedelta(minutes=5)


@bp.route("/login/code", methods=["GET", "POST"])
@public
@csrf_in_form
def second_step():
    """The second step of a sign-in: the code from the authenticator app."""
    pending = session.get(PENDING) or {}
    user = queries.user_by_id(pending.get("user")) if pending else None
    started = datetime.fromtimestamp(pending.get("at", 0), tz=UTC)
    if user is None or not user.active or not user.has_second_factor \
            or utcnow() - started > PENDING_FOR:
        session.pop(PENDING, None)
        flash(_("Please sign in again (the code was not typed within five minutes)."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        result = operations.check_second_factor(user, request.remote_addr or "unknown",
                                                form.code.data, **_throttle_settings())
        if result.user is not None:
            session.pop(PENDING, None)
            _sign_in(user, remember=pending.get("remember", False))
            left = queries.recovery_codes_left(user)
            if not second_factor.looks_like_totp(form.code.data):
                flash(ngettext("You used a recovery code; %(num)d is left. Make new ones on "
                               "your account page.",
                               "You used a recovery code; %(num)d are left. Make new ones "
                               "on your account page.", left), "info")
            return redirect(_safe_next(pending.get("next")) or url_for("main.home"))
        form.code.data = ""
        form.code.errors.append(say(result.error, **(result.params or {})))
        status = 429 if result.throttled else 401
    elif form.is_submitted():
        status = form_status(form)
    return render("auth/second_step.html", form=form), status


@bp.route("/reauthenticate", methods=["GET", "POST"])
@csrf_in_form
def reauthenticate():
    """Confirm the password of a session restored from "remember me" before the global
    secretariat's pages (throttled like a sign-in)."""
    form = ConfirmPasswordForm()
    next_url = _safe_next(request.values.get("next")) or url_for("main.home")
    status = 200
    if form.validate_on_submit():
        cfg = current_app.config
        result = operations.sign_in(
            current_user.email, request.remote_addr or "unknown", form.password.data,
            window=cfg["LOGIN_THROTTLE_WINDOW"], per_account=cfg["LOGIN_THROTTLE_PER_ACCOUNT"],
            per_address=cfg["LOGIN_THROTTLE_PER_ADDRESS"])
        if result.user is not None and result.user.id == current_user.id:
            confirm_login()
            return redirect(next_url)
        form.password.errors.append(say(result.error, **(result.params or {})))
        status = 429 if result.throttled else 401
    elif form.is_submitted():
        status = form_status(form)
    return render("auth/reauthenticate.html", form=form, next_url=next_url), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        operations.end_session(current_user, current_user.login_session)
    logout_user()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@csrf_in_form
def account():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        problems = passwords.problems(form.new_password.data, email=current_user.email,
                                      name=current_user.name)
        if not verify_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append(_("Choose a password different from the current one."))
        elif problems:
            form.new_password.errors.extend(_(p) for p in problems)
        else:
            operations.change_own_password(current_user, form.new_password.data)
            # The password change ended every session; keep this one signed in, and keep
            # "remember me" if it was on.
            remembered = bool(request.cookies.get(current_app.config["REMEMBER_COOKIE_NAME"]))
            login_user(current_user._get_current_object(), remember=remembered)
            flash(_("Your password has been changed. Other devices will need to sign in again."),
                  "success")
            return redirect(url_for("main.home"))
        status = 422
    elif form.is_submitted():
        status = form_status(form)
    return _account_page(form), status


def _account_page(form, preferences=None):
    return render("auth/account.html", form=form, describe_browser=browsers.describe,
                  sessions=queries.open_login_sessions(current_user),
                  preferences=preferences or PreferencesForm(
                      formdata=None, languages=current_app.config["LANGUAGES"],
                      language=current_user.language or str(get_locale()),
                      timezone=current_user.timezone))


@bp.route("/account/preferences", methods=["POST"])
@csrf_in_form
def preferences():
    """The account's language and time zone."""
    form = PreferencesForm(languages=current_app.config["LANGUAGES"])
    if form.validate_on_submit():
        operations.set_language(current_user, form.language.data)
        operations.set_timezone(current_user, form.timezone.data)
        session["language"] = form.language.data
        refresh()  # the message below in the language just chosen
        flash(_("Your language and time zone are saved."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(ChangePasswordForm(formdata=None), form), form_status(form)


@bp.route("/account/sessions/end-others", methods=["POST"])
def end_other_sessions():
    """Signs the account out on every other browser and device."""
    ended = operations.end_other_sessions(current_user)
    flash(ngettext("Signed out of %(num)d other session.",
                   "Signed out of %(num)d other sessions.", ended) if ended
          else _("There was no other session to sign out of."), "success")
    return redirect(url_for("auth.account"))


# ---- two-factor sign-in on the account page ----------------------------------------------------

@bp.route("/account/two-factor", methods=["GET", "POST"])
@csrf_in_form
def two_factor():
    """Turn two-factor sign-in on (scan, confirm with a code, keep the recovery codes), or
    see it is on."""
    user = current_user._get_current_object()
    required = second_factor.must_use_second_factor(user.role, required_roles())
    if user.has_second_factor:
        return render("auth/two_factor.html", required=required,
                      codes_left=queries.recovery_codes_left(user),
                      password_form=ConfirmPasswordForm(formdata=None))
    if user.totp_secret is None:
        operations.begin_enrolment(user)
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        result = operations.confirm_enrolment(user, form.code.data)
        if isinstance(result, list):
            flash(_("Two-factor sign-in is on."), "success")
            return render("auth/recovery_codes.html", codes=result)
        form.code.errors.append(say(result.reason, **result.params))
        status = 422
    elif form.is_submitted():
        status = form_status(form)
    uri = operations.totp_uri(user)
    return render("auth/two_factor.html", form=form, required=required,
                  secret=user.totp_secret, qr=segno.make(uri, error="m").svg_inline(
                      scale=4, title=_("QR code to scan with your authenticator app"))), status


def _password_confirmed():
    form = ConfirmPasswordForm()
    if form.validate_on_submit() and verify_password(current_user, form.password.data):
        return form, True
    if form.is_submitted() and not form.password.errors:
        form.password.errors.append(_("This is not your current password."))
    return form, False


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@csrf_in_form
def new_recovery_codes():
    form, ok = _password_confirmed()
    user = current_user._get_current_object()
    if not ok or not user.has_second_factor:
        return render("auth/two_factor.html", password_form=form,
                      required=second_factor.must_use_second_factor(user.role, required_roles()),
                      codes_left=queries.recovery_codes_left(user)), 422
    return render("auth/recovery_codes.html", codes=operations.new_recovery_codes(user))


@bp.route("/account/two-factor/off", methods=["POST"])
@csrf_in_form
def two_factor_off():
    form, ok = _password_confirmed()
    user = current_user._get_current_object()
    required = second_factor.must_use_second_factor(user.role, required_roles())
    decision = operations.turn_off_second_factor(user, user, required_roles()) if ok else None
    if decision:
        flash(_("Two-factor sign-in is off."), "success")
        return redirect(url_for("auth.account"))
    if decision is not None:
        form.password.errors.append(say(decision.reason, **decision.params))
    return render("auth/two_factor.html", password_form=form, required=required,
                  codes_left=queries.recovery_codes_left(user)), 422


# ---- a forgotten password ------------------------------------------------------------------------

@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@csrf_in_form
def forgot_password():
    """Asks for a reset link. The answer is the same whether or not an account has the
    address, so the page reveals no account."""
    form = ForgotPasswordForm()
    status = 200
    if form.validate_on_submit():
        if operations.request_password_reset(form.email.data, request.remote_addr or "unknown",
                                             language=str(get_locale() or "en"),
                                             **_throttle_settings()):
            return render("auth/reset_sent.html", email=form.email.data)
        form.email.errors.append(_("Too many requests from here or for this address. Please "
                                   "wait a few minutes and try again."))
        status = 429
    elif form.is_submitted():
        status = form_status(form)
    return render("auth/forgot_password.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
@csrf_in_form
def reset_password(token: str):
    reset = operations.reset_by_token(token)
    if reset is None:
        return render("auth/reset_invalid.html"), 404
    form = NewPasswordForm()
    status = 200
    if form.validate_on_submit():
        user = reset.user
        problems = passwords.problems(form.new_password.data, email=user.email, name=user.name)
        if problems:
            form.new_password.errors.extend(_(p) for p in problems)
            status = 422
        else:
            operations.finish_password_reset(reset, form.new_password.data)
            if current_user.is_authenticated:
                logout_user()
            flash(_("Your password has been changed. Sign in with it now."), "success")
            return redirect(url_for("auth.login"))
    elif form.is_submitted():
        status = form_status(form)
    return render("auth/reset_password.html", form=form, token=token), status
