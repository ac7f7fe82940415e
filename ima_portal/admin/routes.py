from __future__ import annotations

from flask import current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import operations as accounts
from ..auth.access import csrf_in_form, require_fresh_login, required_roles, roles_required
from ..auth.credentials import generate_password
from ..auth.models import User
from ..chapters.models import Chapter
from ..chapters.queries import all_chapters
from ..domain.roles import Role
from ..extensions import db
from ..web import (
    form_status,
    inline_validation,
    int_arg,
    paginate_rows,
    redirect_to,
    render,
    say,
    text_arg,
    wants_fragment,
)
from . import bp, queries
from .forms import UserForm

admin_only = roles_required(Role.ADMIN)
bp.before_request(require_fresh_login)


@bp.route("/users")
@admin_only
def users():
    filters = {"q": text_arg("q"), "role": text_arg("role"),
               "status": text_arg("status"),
               "chapter_id": int_arg("chapter_id")}
    page = paginate_rows(queries.search_users(**filters), page=int_arg("page") or 1,
                         per_page=current_app.config["PAGE_SIZE"], scalars=True)
    return render("admin/users.html", "admin/_users_table.html", page=page, filters=filters,
                  chapters=all_chapters(), roles=list(Role))


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
@csrf_in_form
def new_user():
    form = UserForm(chapters=all_chapters())
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        password = form.password.data or generate_password()
        user = accounts.create_user(
            current_user, email=form.email.data, name=form.name.data, role=form.role_value,
            chapter=db.session.get(Chapter, form.chapter_id.data)
            if form.chapter_id.data else None,
            password=password, timezone=form.timezone.data)
        # Shown once, on this page only (never put in a cookie or a log).
        return render_template("admin/password_shown.html", user=user, password=password,
                               created=True)
    return render("admin/user_form.html", form=form, user=None), form_status(form)


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.route("/users/<int:user_id>")
@admin_only
def user(user_id: int):
    target = _user_or_404(user_id)
    entries = queries.user_activity(target.id)
    return render("admin/user.html", "admin/_user_card.html", user=target, entries=entries)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_only
@csrf_in_form
def edit_user(user_id: int):
    target = _user_or_404(user_id)
    form = UserForm(obj=target, chapters=all_chapters(), user_id=target.id)
    if request.method == "GET":
        form.role.data = target.role.value
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        decision = accounts.update_user(
            current_user, target, email=form.email.data, name=form.name.data,
            role=form.role_value,
            chapter=db.session.get(Chapter, form.chapter_id.data)
            if form.chapter_id.data else None,
            timezone=form.timezone.data)
        if decision:
            flash(_("The account of %(name)s has been saved.", name=target.name), "success")
            return redirect_to(url_for("admin.user", user_id=target.id))
        form.form_errors.append(say(decision.reason, **decision.params))
    return render("admin/user_form.html", form=form, user=target), form_status(form)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_only
def set_active(user_id: int):
    target = _user_or_404(user_id)
    active = request.form.get("active") == "1"
    decision = accounts.set_active(current_user, target, active)
    if decision:
        message = (_("%(name)s can sign in again.", name=target.name) if active else
                   _("%(name)s can no longer sign in; their open sessions have ended.",
                     name=target.name))
        flash(message, "success")
        status = 200
    else:
        flash(say(decision.reason, **decision.params), "error")
        status = 409
    if not wants_fragment():
        return redirect_to(url_for("admin.user", user_id=target.id))
    entries = queries.user_activity(target.id)
    return render_template("admin/_user_card.html", user=target, entries=entries,
                           oob_messages=True), status


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@admin_only
def reset_password(user_id: int):
    target = _user_or_404(user_id)
    password = accounts.reset_password(current_user, target)
    return render_template("admin/password_shown.html", user=target, password=password,
                           created=False)


@bp.route("/users/<int:user_id>/second-factor/off", methods=["POST"])
@admin_only
def second_factor_off(user_id: int):
    """For someone who lost their phone and their recovery codes."""
    target = _user_or_404(user_id)
    decision = accounts.turn_off_second_factor(current_user, target, required_roles())
    if decision:
        flash(_("Two-factor sign-in is off for %(name)s; they set it up again at their next "
                "sign-in if their role requires it.", name=target.name), "success")
    else:
        flash(say(decision.reason, **decision.params), "error")
    return redirect_to(url_for("admin.user", user_id=target.id))


@bp.route("/activity")
@admin_only
def activity():
    page = paginate_rows(queries.activity(), page=int_arg("page") or 1, per_page=50,
                         scalars=True)
    return render("admin/activity.html", page=page)
