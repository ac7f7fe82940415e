"""The authors' views: the list, a new statement, the editor (autosave, conflicts), its
live preview, and starting a translation."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth.access import csrf_in_form, current_scope, roles_required
from ...chapters import queries as chapter_services
from ...chapters.queries import alliance
from ...domain.common import whole_number
from ...domain.roles import Role
from ...domain.statements import LANGUAGES, Action, Occasion, State, decide, may_draft
from ...forms import choices
from ...web import (
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
from .. import bp, operations, queries
from ..content import revision_values
from ..diff import field_diffs
from ..forms import StatementForm
from ..models import Statement
from ..operations import SaveResult
from ..view import COMPARED_FIELDS, compared_texts, view_of
from .common import actor, statement_or_404


def _issuer_choices():
    if current_scope() is not None:
        chapter = current_user.chapter
        return choices([(chapter.id, chapter.name)])
    pairs = [("alliance", alliance().name)]
    if current_user.role is Role.ADMIN:
        pairs += [(c.id, c.name) for c in chapter_services.all_chapters()]
    return choices(pairs)


# ---- the list ---------------------------------------------------------------------------

def _filters() -> queries.Filters:
    return queries.Filters(q=text_arg("q"), state=text_arg("state"),
                           issuer=text_arg("issuer"), language=text_arg("language"),
                           occasion=text_arg("occasion"))


@bp.route("/statements/")
def index():
    filters = _filters()
    page = paginate_rows(queries.list_query(current_user, filters), page=int_arg("page") or 1,
                         per_page=current_app.config["PAGE_SIZE"], scalars=True)
    return render("statements/index.html", "statements/_table.html", page=page,
                  filters=filters, states=list(State), occasions=list(Occasion),
                  issuers=[] if current_scope() is not None else
                  chapter_services.all_chapters(),
                  may_draft=may_draft(actor()),
                  out_of_date={s.id for s in page.items
                               if s.original_id and queries.out_of_date(s)})


# ---- drafting ----------------------------------------------------------------------------

@bp.route("/statements/new", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT, Role.ADMIN)
@csrf_in_form
def new():
    form = StatementForm()
    form.issuer.choices = _issuer_choices()
    if request.method == "GET":
        chapter = current_user.chapter
        for name, value in queries.default_values(chapter).items():
            form[name].data = value
        form.issuer.data = str(chapter.id) if chapter else "alliance"
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        issuer_id = None if form.issuer.data == "alliance" else int(form.issuer.data)
        statement = operations.create_statement(current_user, issuer_chapter_id=issuer_id,
                                                language=form.language.data,
                                                values=form.values())
        flash(_("Draft saved. It autosaves as you write; submit it to the chair when it is "
                "ready."), "success")
        return redirect_to(url_for("statements.edit", statement_id=statement.id))
    return render("statements/new.html", form=form), form_status(form)


def _editor_context(statement: Statement, form: StatementForm, **extra) -> dict:
    current = statement.current
    context = {"statement": statement, "form": form, "current": current,
               "preview": view_of(form.values(), issuer_name=current.issuer_name,
                                  language=statement.language),
               "out_of_date": bool(statement.original_id and queries.out_of_date(statement)),
               "conflict": None}
    context.update(extra)
    return context


@bp.route("/statements/<int:statement_id>/edit", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT, Role.ADMIN)
@csrf_in_form
def edit(statement_id: int):
    """The editor. HTMX autosaves post here and get the save status back (with the new
    base revision and each field's feedback, out of band); "Save and close" posts the
    whole form (queued behind a running autosave) and goes to the statement. A save that
    cannot be applied keeps the typed text in the editor and in a revision set aside."""
    statement = statement_or_404(statement_id)
    if request.method == "GET":
        return _open_editor(statement)
    form = StatementForm()
    del form.issuer, form.language  # fixed once the statement exists
    if (answer := inline_validation(form)) is not None:
        return answer
    result = None
    if form.validate_on_submit():
        result = operations.save(current_user, statement, form.values(),
                                 base_revision_id=_base_revision_id(form),
                                 source_revision_id=form.source_revision_id()
                                 if form.source_up_to_date.data else None)
    return _answer_save(statement, form, result)


def _open_editor(statement: Statement):
    """The editor with the current text; a statement the user may not edit now (with the
    chair, withdrawn) opens its page instead, saying why."""
    decision = decide(Action.EDIT, statement.state, actor(), statement.issuer_chapter_id)
    if not decision:
        flash(say(decision.reason, **decision.params), "info")
        return redirect(url_for("statements.detail", statement_id=statement.id))
    form = StatementForm(formdata=None, data=revision_values(statement.current))
    form.base_revision.data = str(statement.current_revision_id)
    return render_template("statements/edit.html", **_editor_context(statement, form))


def _base_revision_id(form: StatementForm) -> int | None:
    """The revision the editor started from; after a conflict, "keep my version" names
    the revision the editor has now seen."""
    overwrite = request.form.get("overwrite_base", "")
    return whole_number(overwrite) or form.base_revision_id()


def _answer_save(statement: Statement, form: StatementForm, result: SaveResult | None):
    """A saved text: the save status (an autosave) or the statement's page ("Save and
    close"). Anything else: the editor again (or its status), with what was typed, the
    conflict or the refusal, and what was kept aside."""
    fragment = wants_fragment()  # an autosave, or "Save and close" through HTMX
    if result is not None and result.decision and not (fragment and
                                                       not request.form.get("close")):
        flash(*_saved_message(result))
        return redirect_to(url_for("statements.detail", statement_id=statement.id))
    page = "statements/_save_status.html" if fragment else "statements/edit.html"
    if result is None:
        return render_template(page, **_editor_context(statement, form)), form_status(form)
    if result.conflict:
        return render_template(page, **_editor_context(statement, form,
                                                       conflict=_conflict(result))), 409
    if not result.decision:
        return render_template(page, refused=say(result.decision.reason, **result.decision.params),
                               kept=result.revision, **_editor_context(statement, form)), 409
    return render_template(page, result=result, **_editor_context(statement, form))


def _saved_message(result: SaveResult) -> tuple[str, str]:
    if result.voided_sign_off is not None:
        return _("Saved as a new draft (revision %(num)d). The chair's sign-off stays with "
                 "revision %(old)d; submit this draft for a new one.",
                 num=result.revision.number,
                 old=result.voided_sign_off.revision.number), "info"
    if result.unchanged:
        return _("All changes saved (revision %(num)d).", num=result.revision.number), \
            "success"
    return _("Saved (revision %(num)d).", num=result.revision.number), "success"


def _conflict(result: SaveResult) -> dict:
    theirs, mine = result.theirs, result.revision
    return {"theirs": theirs, "mine": mine,
            "diffs": [d for d in field_diffs(compared_texts(theirs), compared_texts(mine),
                                             COMPARED_FIELDS) if d.changed]}


@bp.route("/statements/<int:statement_id>/preview", methods=["POST"])
@roles_required(Role.SECRETARIAT, Role.ADMIN)
def preview(statement_id: int):
    """The editor's live preview: the statement as the form now reads, nothing saved."""
    statement = statement_or_404(statement_id)
    form = StatementForm()
    return render_template("statements/_preview.html", view=view_of(
        form.values(), issuer_name=statement.current.issuer_name, language=statement.language))


# ---- translations ------------------------------------------------------------------------

@bp.route("/statements/<int:statement_id>/translations", methods=["POST"])
@roles_required(Role.SECRETARIAT, Role.ADMIN)
def translate(statement_id: int):
    original = statement_or_404(statement_id)
    result = operations.create_translation(current_user, original,
                                           request.form.get("language", ""))
    if isinstance(result, Statement):
        flash(_("The %(language)s translation is started from the original's text: translate "
                "each field.", language=LANGUAGES[result.language]), "success")
        return redirect_to(url_for("statements.edit", statement_id=result.id))
    flash(say(result.reason, **result.params), "error")
    return redirect_to(url_for("statements.detail", statement_id=original.id))
