from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import confirm_login, current_user, login_user, logout_user

from ..domain import passwords
from ..web import form_status, render
from . import bp, operations, queries
from .access import csrf_in_form, public
from .credentials import verify_password
from .forms import ChangePasswordForm, ConfirmPasswordForm, LoginForm


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
        if result.user is not None:
            operations.start_session(result.user, user_agent=request.user_agent.string,
                                     remember=bool(form.remember.data))
            login_user(result.user, remember=form.remember.data)
            return redirect(next_url or url_for("main.home"))
        form.password.data = ""
        form.form_errors.append(_(result.error, **(result.params or {})))
        status = 429 if result.throttled else 401
    elif form.is_submitted():
        status = form_status(form)
    return render("auth/login.html", form=form, next_url=next_url), status


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
        form.password.errors.append(_(result.error, **(result.params or {})))
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
    return render("auth/account.html", form=form,
                  sessions=queries.open_login_sessions(current_user)), status


@bp.route("/account/sessions/end-others", methods=["POST"])
def end_other_sessions():
    """Signs the account out on every other browser and device."""
    ended = operations.end_other_sessions(current_user)
    flash(ngettext("Signed out of %(num)d other session.",
                   "Signed out of %(num)d other sessions.", ended) if ended
          else _("There was no other session to sign out of."), "success")
    return redirect(url_for("auth.account"))
