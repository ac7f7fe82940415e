from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from sqlalchemy import text

from ..auth.access import public
from ..chapters.queries import chapter_team
from ..extensions import db
from ..statements.queries import state_counts
from ..web import render
from . import bp, queries


@bp.route("/")
def home():
    context: dict = {"statements": state_counts(current_user)}
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


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
