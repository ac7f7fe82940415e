from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import csrf_in_form, fresh_login, get_scoped_or_404, roles_required
from ..domain.roles import Role
from ..extensions import db
from ..web import form_status, inline_validation, int_arg, redirect_to, render, text_arg
from . import bp, operations, queries
from .forms import ChapterForm
from .models import Chapter, Region


@bp.route("/")
def index():
    if current_user.is_secretariat:
        # A secretariat has one chapter: its page is the list.
        return redirect_to(url_for("chapters.detail", chapter_id=current_user.chapter_id))
    filters = {"q": text_arg("q"), "region_id": int_arg("region_id")}
    rows = queries.list_chapters(current_user, **filters)
    return render("chapters/index.html", "chapters/_table.html", rows=rows, filters=filters,
                  regions=queries.all_regions())


@bp.route("/<int:chapter_id>")
def detail(chapter_id: int):
    chapter = get_scoped_or_404(Chapter, chapter_id, Chapter.id)
    return render("chapters/detail.html", chapter=chapter, team=queries.chapter_team(chapter.id))


def _save(form: ChapterForm, chapter: Chapter | None):
    region = db.session.get(Region, form.region_id.data)
    if region is None:
        abort(400)
    fields = {"name": form.name.data, "code": form.code.data, "country": form.country.data,
              "region": region}
    if chapter is None:
        chapter = operations.create_chapter(current_user, **fields)
        message = _("Chapter %(code)s has been added.", code=chapter.code)
    else:
        operations.update_chapter(current_user, chapter, **fields)
        message = _("Chapter %(code)s has been saved.", code=chapter.code)
    flash(message, "success")
    return redirect_to(url_for("chapters.detail", chapter_id=chapter.id))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
@csrf_in_form
@fresh_login
def new():
    form = ChapterForm(regions=queries.all_regions())
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        return _save(form, None)
    return render("chapters/form.html", form=form, chapter=None), form_status(form)


@bp.route("/<int:chapter_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
@csrf_in_form
@fresh_login
def edit(chapter_id: int):
    chapter = db.get_or_404(Chapter, chapter_id)
    form = ChapterForm(obj=chapter, regions=queries.all_regions(), chapter_id=chapter.id)
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        return _save(form, chapter)
    return render("chapters/form.html", form=form, chapter=chapter), form_status(form)
