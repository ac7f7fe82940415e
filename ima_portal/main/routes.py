from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from ..auth import operations as accounts
from ..auth.access import public
from ..chapters.queries import chapter_team
from ..db_types import utcnow
from ..domain import home as home_rules
from ..domain.roles import Role
from ..extensions import db
from ..statements.queries import state_counts
from ..web import render
from . import bp, queries


@bp.route("/")
def home():
    context: dict = {"statements": state_counts(current_user), "home_items": home_rules.Item}
    now = utcnow()
    if current_user.role in (Role.SECRETARIAT, Role.ADMIN):
        context["home"] = queries.secretariat_home(
            current_user, context["statements"], now=now,
            window=current_app.config["LOGIN_THROTTLE_WINDOW"],
            per_account=current_app.config["LOGIN_THROTTLE_PER_ACCOUNT"])
    if current_user.role is Role.CHAIR:
        context["waiting"] = queries.waiting_for_sign_off(now)
    if current_user.is_secretariat:
        context["team"] = chapter_team(current_user.chapter_id)
    else:
        context["regions"] = queries.chapters_per_region()
        context["chapter_total"] = sum(r.chapters for r in context["regions"])
        context["users"] = queries.users_by_role()
    if current_user.is_admin:
        context["activity"] = queries.recent_activity()
        context["failed_logins"] = queries.failed_logins_last_day()
    return render("main/home.html", **context)


@bp.route("/language", methods=["POST"])
@public
def language():
    """The switcher: this browser's language (kept in its session), and the account's
    when signed in; back to the page it was chosen on."""
    code = request.form.get("language", "")
    if code not in current_app.config["LANGUAGES"]:
        abort(400)
    session["language"] = code
    if current_user.is_authenticated:
        accounts.set_language(current_user, code)
    target = request.form.get("next", "")
    safe = target.startswith("/") and not target.startswith("//") and "\\" not in target
    return redirect(target if safe else url_for("main.home"), code=303)


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
