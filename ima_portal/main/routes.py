from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from sqlalchemy import text

from ..auth.access import public
from ..extensions import db
from ..web import render
from . import bp, services


@bp.route("/")
def home():
    from ..statements.services import state_counts
    context: dict = {"statements": state_counts(current_user)}
    if current_user.is_secretariat:
        context["team"] = services.chapter_team(current_user.chapter_id)
    else:
        context["regions"] = services.chapters_per_region()
        context["chapter_total"] = sum(r.chapters for r in context["regions"])
        context["users"] = services.users_by_role()
    if current_user.is_admin:
        context["activity"] = services.recent_activity()
        context["failed_logins"] = services.failed_logins_last_day()
    return render("main/home.html", **context)


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
