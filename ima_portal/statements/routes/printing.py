"""Paper: a statement's PDF, the batch export of many as a ZIP, and the settings of
what statements print (the reference line, the paper size)."""
from __future__ import annotations

from flask import abort, flash, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth.access import csrf_in_form, roles_required
from ...chapters.queries import alliance
from ...domain.roles import Role
from ...queue import enqueue_after_commit
from ...web import download, form_status, ids_from, inline_validation, redirect_to, render
from .. import bp, exports, operations, queries
from ..forms import SettingsForm
from ..pdf import PAPER_SIZES, statement_pdf
from .common import statement_or_404


@bp.route("/statements/<int:statement_id>.pdf")
def pdf(statement_id: int):
    """The statement as a PDF: the signed copy with its verification code when the chair
    has signed the current text off, otherwise a DRAFT."""
    statement = statement_or_404(statement_id)
    paper = request.args.get("paper") or alliance().paper_size
    printed = statement_pdf(statement, paper)
    response = download(printed.data, printed.filename, "application/pdf")
    response.headers["X-Document-Source"] = "store" if printed.from_store else "rendered"
    return response


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
        operations.update_settings(current_user, name=form.reference_name.data,
                                   title=form.reference_title.data,
                                   paper_size=form.paper_size.data)
        flash(_("Saved. New statements will carry “Reference: %(line)s” and print on "
                "%(paper)s.", line=f"{form.reference_name.data.strip()}, "
                f"{form.reference_title.data.strip()}", paper=form.paper_size.data),
              "success")
        return redirect_to(url_for("statements.settings"))
    return render_template("statements/settings.html", form=form), form_status(form)


# ---- batch export ----------------------------------------------------------------------------

@bp.route("/statements/export", methods=["POST"])
def export():
    """Starts a ZIP of PDFs of the chosen statements and shows its progress."""
    ids = ids_from(request.form.getlist("ids"))
    chosen = [s for s in (queries.get_visible(current_user, i) for i in dict.fromkeys(ids))
              if s is not None]
    paper = request.form.get("paper") or alliance().paper_size
    if not chosen or len(chosen) > exports.MAX_STATEMENTS or paper not in PAPER_SIZES:
        flash(_("Tick the statements to export (at most %(num)d at a time).",
                num=exports.MAX_STATEMENTS) if paper in PAPER_SIZES
              else _("Choose A4 or US Letter."), "error")
        return redirect_to(request.referrer or url_for("statements.index"))
    running = exports.running_job(current_user)
    if running is not None:
        flash(_("Your previous export is still rendering: it is below. Start the next one "
                "when it is ready."), "info")
        return redirect_to(url_for("statements.export_progress", job_id=running.id))
    job = exports.start(current_user, chosen, paper)
    enqueue_after_commit(exports.export_statements, job.id)
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
    response = send_file(path, mimetype="application/zip", as_attachment=True,
                         download_name=exports.download_name(job), max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response
