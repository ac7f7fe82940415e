from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import jobs
from ..auth.access import csrf_in_form, current_scope, public, roles_required
from ..chapters import queries as chapter_services
from ..chapters.queries import alliance
from ..domain.roles import Role
from ..domain.statements import (
    ACTION_LABELS,
    LANGUAGE_SHORT,
    LANGUAGES,
    OCCASION_LABELS,
    STATE_LABELS,
    Action,
    Occasion,
    State,
    allowed_actions,
    decide,
)
from ..forms import choices
from ..web import (
    form_status,
    inline_validation,
    int_arg,
    paginate_rows,
    redirect_to,
    render,
    wants_fragment,
)
from . import bp, exports, printing, services
from .diff import field_diffs
from .forms import CommentForm, DecisionForm, SettingsForm, StatementForm
from .models import Statement, StatementRevision
from .present import language_links, view_of, view_of_revision

FIELD_LABELS = {
    "issuer": "Issued by", "partners": "Partner organizations", "headline": "Headline",
    "subheadlines": "Sub-headlines", "occasion": "Occasion", "dateline": "Date line",
    "body": "Body", "slogans": "Closing slogans", "hashtags": "Hashtags",
    "reference": "Reference",
}


@bp.app_context_processor
def statement_labels():
    return {"state_labels": STATE_LABELS, "occasion_labels": OCCASION_LABELS,
            "languages": LANGUAGES, "language_short": LANGUAGE_SHORT,
            "action_labels": ACTION_LABELS, "Action": Action, "State": State}


def _statement(statement_id: int, *, history: bool = False) -> Statement:
    """The statement if the user may see it, else 404. With `history`, only for those
    who answer for it or review it: a chapter secretariat reads the alliance's approved
    statements, not their drafts, revisions or comments."""
    statement = services.get_visible(current_user, statement_id)
    if statement is None or (history and not services.may_see_history(current_user,
                                                                      statement)):
        abort(404)
    return statement


def _issuer_choices():
    scoped = current_scope()
    if scoped is not None:
        chapter = current_user.chapter
        return choices([(chapter.id, chapter.name)])
    pairs = [("alliance", alliance().name)]
    if current_user.role is Role.ADMIN:
        pairs += [(c.id, c.name) for c in chapter_services.all_chapters()]
    return choices(pairs)


# ---- the list ---------------------------------------------------------------------------

def _filters() -> services.Filters:
    args = request.args
    return services.Filters(q=args.get("q", ""), state=args.get("state", ""),
                            issuer=args.get("issuer", ""), language=args.get("language", ""),
                            occasion=args.get("occasion", ""))


@bp.route("/statements/")
def index():
    filters = _filters()
    page = paginate_rows(services.list_query(current_user, filters), page=int_arg("page") or 1,
                         per_page=current_app.config["PAGE_SIZE"], scalars=True)
    return render("statements/index.html", "statements/_table.html", page=page,
                  filters=filters, states=list(State), occasions=list(Occasion),
                  issuers=[] if current_scope() is not None else
                  chapter_services.all_chapters(),
                  may_draft=current_user.role in (Role.SECRETARIAT, Role.ADMIN),
                  out_of_date={s.id for s in page.items
                               if s.original_id and services.out_of_date(s)})


# ---- drafting ----------------------------------------------------------------------------

@bp.route("/statements/new", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT, Role.ADMIN)
@csrf_in_form
def new():
    form = StatementForm()
    form.issuer.choices = _issuer_choices()
    if request.method == "GET":
        chapter = current_user.chapter
        for name, value in services.default_values(chapter).items():
            form[name].data = value
        form.issuer.data = str(chapter.id) if chapter else "alliance"
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        issuer_id = None if form.issuer.data == "alliance" else int(form.issuer.data)
        statement = services.create_statement(current_user, issuer_chapter_id=issuer_id,
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
               "out_of_date": bool(statement.original_id and services.out_of_date(statement)),
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
    statement = _statement(statement_id)
    decision = decide(Action.EDIT, statement.state, services.actor_of(current_user),
                      statement.issuer_chapter_id)
    if request.method == "GET":
        if not decision:
            flash(_(decision.reason, **decision.params), "info")
            return redirect(url_for("statements.detail", statement_id=statement.id))
        form = StatementForm(formdata=None, data=services.revision_values(statement.current))
        form.base_revision.data = str(statement.current_revision_id)
        return render_template("statements/edit.html", **_editor_context(statement, form))

    form = StatementForm()
    form.issuer.choices = _issuer_choices()
    del form.issuer, form.language  # fixed once the statement exists
    if (answer := inline_validation(form)) is not None:
        return answer
    fragment = wants_fragment()  # an autosave, or "Save and close" through HTMX
    base_id = form.base_revision_id()
    if request.form.get("overwrite_base", "").isdigit():  # "keep my version" after a conflict
        base_id = int(request.form["overwrite_base"])
    source_id = form.source_revision_id() if form.source_up_to_date.data else None
    result = None
    if form.validate_on_submit():
        result = services.save(current_user, statement, form.values(), base_revision_id=base_id,
                               source_revision_id=source_id)
    page = "statements/_save_status.html" if fragment else "statements/edit.html"
    if result is not None and result.conflict:
        return render_template(page, **_editor_context(statement, form,
                                                       conflict=_conflict(result))), 409
    if result is not None and not result.decision:
        refused = _(result.decision.reason, **result.decision.params)
        return render_template(page, refused=refused, kept=result.revision,
                               **_editor_context(statement, form)), 409
    if result is None:
        return render_template(page, **_editor_context(statement, form)), form_status(form)
    if fragment and not request.form.get("close"):
        return render_template(page, result=result, **_editor_context(statement, form))
    if result.voided_sign_off is not None:
        flash(_("Saved as a new draft (revision %(num)d). The chair's sign-off stays with "
                "revision %(old)d; submit this draft for a new one.", num=result.revision.number,
                old=result.voided_sign_off.revision.number), "info")
    elif result.unchanged:
        flash(_("All changes saved (revision %(num)d).", num=result.revision.number), "success")
    else:
        flash(_("Saved (revision %(num)d).", num=result.revision.number), "success")
    return redirect_to(url_for("statements.detail", statement_id=statement.id))


def _conflict(result: services.SaveResult) -> dict:
    theirs, mine = result.theirs, result.revision
    return {"theirs": theirs, "mine": mine,
            "diffs": [d for d in field_diffs(_diff_fields(theirs), _diff_fields(mine),
                                             FIELD_LABELS) if d.changed]}


@bp.route("/statements/<int:statement_id>/preview", methods=["POST"])
@roles_required(Role.SECRETARIAT, Role.ADMIN)
def preview(statement_id: int):
    """The editor's live preview: the statement as the form now reads, nothing saved."""
    statement = _statement(statement_id)
    form = StatementForm()
    return render_template("statements/_preview.html", view=view_of(
        form.values(), issuer_name=statement.current.issuer_name, language=statement.language))


# ---- the statement -------------------------------------------------------------------------

def _detail_context(statement: Statement, **extra) -> dict:
    current = statement.current
    actor = services.actor_of(current_user)
    sign_off = services.sign_off_of(current)
    context = {
        "statement": statement, "current": current, "view": view_of_revision(current),
        "actions": allowed_actions(statement.state, actor, statement.issuer_chapter_id),
        "sign_off": sign_off, "last_approved": services.last_approved_revision(statement),
        "revisions": statement.revisions, "language_links": language_links(
            statement, lambda s: services.get_visible(current_user, s.id) is not None),
        "out_of_date": bool(statement.original_id and services.out_of_date(statement)),
        "missing_languages": [code for code in LANGUAGES if code != statement.language and
                              all(t.language != code for t in statement.translations)]
        if statement.original_id is None else [],
        "may_translate": statement.original_id is None and
        services.may_create(current_user, statement.issuer_chapter_id).ok,
        "comment_form": CommentForm(formdata=None), "decision_form": DecisionForm(formdata=None),
        "history": services.may_see_history(current_user, statement),
    }
    # What the page prints (the print stylesheet): as the PDF, signed only if approved.
    printed = printing.signed_off(statement)
    context["print_sign_off"] = printed
    if printed is not None:
        context["print_signed_on"] = printing.signed_on(printed, statement.language)
        context["print_verify_url"] = printing.verify_url(printed)
    context.update(extra)
    return context


@bp.route("/statements/<int:statement_id>")
def detail(statement_id: int):
    statement = _statement(statement_id)
    return render_template("statements/detail.html", **_detail_context(statement))


@bp.route("/statements/<int:statement_id>/actions/<action>", methods=["POST"])
@csrf_in_form
def act(statement_id: int, action: str):
    """Submit, approve, request changes, publish, withdraw. From the chair's queue
    (HTMX), the queue item is replaced in place."""
    statement = _statement(statement_id)
    if action not in Action.__members__.values() or action == Action.EDIT:
        abort(404)
    action = Action(action)
    form = DecisionForm()
    from_queue = request.form.get("origin") == "queue"
    decision = None
    if form.validate_on_submit():
        revision_id = form.revision_id.data
        decision = services.transition(
            current_user, statement, action, text=form.text.data or "",
            revision_id=int(revision_id) if (revision_id or "").isdigit() else None)
        if not decision:
            form.text.errors = [_(decision.reason, **decision.params)]
    ok = bool(decision)
    if ok:
        flash(_done_message(action, statement), "success")
    if from_queue and wants_fragment():
        return render_template("statements/_queue_item.html", statement=statement,
                               decided=action if ok else None, form=form, oob_messages=True,
                               **_queue_extra(statement)), 200 if ok else 422
    if from_queue:
        if ok:
            return redirect_to(url_for("statements.queue"))
        return _queue_page(failed_id=statement.id, failed_form=form), \
            400 if "csrf_token" in form.errors else 422
    if ok:
        return redirect_to(url_for("statements.detail", statement_id=statement.id))
    return render_template("statements/detail.html", **_detail_context(
        statement, decision_form=form, failed_action=action)), \
        400 if "csrf_token" in form.errors else 422


def _done_message(action: Action, statement: Statement) -> str:
    return {
        Action.SUBMIT: _("Submitted to the chair. The chair has been notified."),
        Action.APPROVE: _("Approved and signed off: “%(headline)s”.",
                          headline=statement.headline),
        Action.REQUEST_CHANGES: _("Sent back to its authors with your comment."),
        Action.PUBLISH: _("Marked as published."),
        Action.WITHDRAW: _("The statement has been withdrawn."),
    }[action]


@bp.route("/statements/<int:statement_id>/comments", methods=["POST"])
@csrf_in_form
def comment(statement_id: int):
    statement = _statement(statement_id, history=True)
    form = CommentForm()
    status = 200
    if form.validate_on_submit():
        services.add_comment(current_user, statement, form.body.data)
        form = CommentForm(formdata=None)
        if not wants_fragment():
            flash(_("Comment added."), "success")
            return redirect_to(url_for("statements.detail", statement_id=statement.id,
                                       _anchor="comments"))
    else:
        status = form_status(form)
    if wants_fragment():
        return render_template("statements/_comments.html", statement=statement,
                               comment_form=form), status
    return render_template("statements/detail.html", **_detail_context(
        statement, comment_form=form)), status


@bp.route("/statements/<int:statement_id>/translations", methods=["POST"])
@roles_required(Role.SECRETARIAT, Role.ADMIN)
def translate(statement_id: int):
    original = _statement(statement_id)
    result = services.create_translation(current_user, original, request.form.get("language", ""))
    if isinstance(result, Statement):
        flash(_("The %(language)s translation is started from the original's text: translate "
                "each field.", language=LANGUAGES[result.language]), "success")
        return redirect_to(url_for("statements.edit", statement_id=result.id))
    flash(_(result.reason, **result.params), "error")
    return redirect_to(url_for("statements.detail", statement_id=original.id))


# ---- history and comparison --------------------------------------------------------------

def _diff_fields(rev: StatementRevision | None) -> dict[str, str]:
    """A revision's fields as the texts a reader compares (empty when there is none)."""
    if rev is None:
        return {}
    view = view_of_revision(rev)
    return {"issuer": rev.issuer_name, "partners": rev.partners, "headline": rev.headline,
            "subheadlines": rev.subheadlines,
            "occasion": _(OCCASION_LABELS.get(rev.occasion, rev.occasion)),
            "dateline": view.dateline, "body": rev.body, "slogans": rev.slogans,
            "hashtags": rev.hashtags, "reference": view.reference_line}


def _comparison(statement: Statement, old: StatementRevision | None,
                new: StatementRevision) -> dict:
    diffs = field_diffs(_diff_fields(old), _diff_fields(new), FIELD_LABELS)
    return {"statement": statement, "old": old, "new": new, "diffs": diffs,
            "changed": [d for d in diffs if d.changed]}


@bp.route("/statements/<int:statement_id>/compare")
def compare(statement_id: int):
    """The current text against the last approved revision (or, never approved, the one
    the chair last sent back), word by word: the chair's "what changed?"."""
    statement = _statement(statement_id, history=True)
    old = services.last_approved_revision(statement)
    basis = "approved"
    if old is None:
        old, basis = services.last_sent_back_revision(statement), "sent_back"
    if old is None:
        basis = "none"
    if old is not None and old.id == statement.current_revision_id:
        basis = "same"
    return render("statements/compare.html", "statements/_compare.html", basis=basis,
                  **_comparison(statement, old, statement.current))


@bp.route("/statements/<int:statement_id>/revisions/<int:number>")
def revision(statement_id: int, number: int):
    statement = _statement(statement_id, history=True)
    rev = services.revision(statement, number) or abort(404)
    against = int_arg("compare")
    old = services.revision(statement, against) if against else None
    return render_template("statements/revision.html", rev=rev, view=view_of_revision(rev),
                           sign_off=services.sign_off_of(rev), against=old,
                           **_comparison(statement, old, rev) if old else
                           {"statement": statement})


# ---- the chair's queue ---------------------------------------------------------------------

def _queue_extra(statement: Statement) -> dict:
    if services.last_approved_revision(statement) is not None:
        compare_label = _("Compare with the last approved revision")
    elif services.last_sent_back_revision(statement) is not None:
        compare_label = _("Compare with the revision you sent back")
    else:
        compare_label = None  # never decided before: all of it is new
    return {"view": view_of_revision(statement.current), "compare_label": compare_label,
            "may_decide": current_user.role is Role.CHAIR, "waiting": services.queue_size()}


@bp.route("/statements/queue")
@roles_required(Role.CHAIR, Role.ADMIN)
def queue():
    return _queue_page()


def _queue_page(failed_id: int | None = None, failed_form: DecisionForm | None = None):
    """The queue; after a refused decision (without JavaScript), that item shows its
    error beside the comment, with the comment as typed."""
    items = [(s, _queue_extra(s)) for s in services.queue()]
    return render_template("statements/queue.html", items=items,
                           form=DecisionForm(formdata=None), failed_id=failed_id,
                           failed_form=failed_form)


# ---- settings ---------------------------------------------------------------------------------

@bp.route("/statements/settings", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
@csrf_in_form
def settings():
    """The global secretariat sets the reference line new statements start with and the
    paper statements print on."""
    current = alliance()
    form = SettingsForm(obj=current)
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        services.update_settings(current_user, name=form.reference_name.data,
                                 title=form.reference_title.data,
                                 paper_size=form.paper_size.data)
        flash(_("Saved. New statements will carry “Reference: %(line)s” and print on "
                "%(paper)s.", line=f"{form.reference_name.data.strip()}, "
                f"{form.reference_title.data.strip()}", paper=form.paper_size.data),
              "success")
        return redirect_to(url_for("statements.settings"))
    return render_template("statements/settings.html", form=form), form_status(form)


# ---- printing and verification --------------------------------------------------------------

@bp.route("/statements/<int:statement_id>.pdf")
def pdf(statement_id: int):
    """The statement as a PDF: the signed copy with its verification code when the chair
    has signed the current text off, otherwise a DRAFT."""
    statement = _statement(statement_id)
    paper = request.args.get("paper") or alliance().paper_size
    printed = printing.statement_pdf(statement, paper)
    response = Response(printed.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{printed.filename}"'
    response.headers["X-Document-Source"] = "store" if printed.from_store else "rendered"
    return response


@bp.route("/verify", methods=["GET"])
@public
def verify_form():
    """Anyone with a printed copy types its verification code here."""
    code = request.args.get("code", "")
    if code:
        return redirect(url_for("statements.verify", code=code.strip()))
    return render_template("statements/verify.html", sign_off=None, code="")


@bp.route("/verify/<code>")
@public
def verify(code: str):
    """Public: what the chair signed off under this code, so that a reader of a printed
    copy can check it is the approved text."""
    sign_off = services.sign_off_by_code(code)
    if sign_off is None:
        return render_template("statements/verify.html", sign_off=None, code=code), 404
    statement = sign_off.statement
    return render_template("statements/verify.html", sign_off=sign_off, code=code,
                           rev=sign_off.revision, statement=statement,
                           view=view_of_revision(sign_off.revision),
                           signed_on=printing.signed_on(sign_off, sign_off.revision.language))


# ---- batch export ----------------------------------------------------------------------------

@bp.route("/statements/export", methods=["POST"])
def export():
    """Starts a ZIP of PDFs of the chosen statements and shows its progress."""
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    chosen = [s for s in (services.get_visible(current_user, i) for i in dict.fromkeys(ids))
              if s is not None]
    paper = request.form.get("paper") or alliance().paper_size
    if not chosen or len(chosen) > exports.MAX_STATEMENTS or paper not in printing.PAPER_SIZES:
        flash(_("Tick the statements to export (at most %(num)d at a time).",
                num=exports.MAX_STATEMENTS) if paper in printing.PAPER_SIZES
              else _("Choose A4 or US Letter."), "error")
        return redirect_to(request.referrer or url_for("statements.index"))
    running = exports.running_job(current_user)
    if running is not None:
        flash(_("Your previous export is still rendering: it is below. Start the next one "
                "when it is ready."), "info")
        return redirect_to(url_for("statements.export_progress", job_id=running.id))
    job = exports.start(current_user, chosen, paper)
    jobs.enqueue_after_commit(jobs.export_statements, job.id)
    return redirect_to(url_for("statements.export_progress", job_id=job.id))


@bp.route("/exports/<int:job_id>")
def export_progress(job_id: int):
    """The export's progress: the page polls this fragment until the ZIP is ready."""
    job = exports.job_of(current_user, job_id) or abort(404)
    return render("statements/export.html", "statements/_export_progress.html", job=job)


@bp.route("/exports/<int:job_id>/download")
def export_download(job_id: int):
    job = exports.job_of(current_user, job_id) or abort(404)
    path = exports.archive_path(job) or abort(404)
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=exports.download_name(job), max_age=0)
