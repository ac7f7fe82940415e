"""The statement and its review: its page, the actions that move it (submit, approve,
request changes, publish, withdraw), comments, its history and comparisons, and the
chair's queue."""
from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_htmx import make_response
from flask_login import current_user

from ...auth.access import csrf_in_form, roles_required
from ...domain.common import whole_number
from ...domain.roles import Role
from ...domain.statements import (
    Action,
    allowed_actions,
    decide,
    may_decide,
    may_see_history,
    may_translate,
    missing_languages,
)
from ...web import form_status, int_arg, redirect_to, render, say, wants_fragment
from .. import bp, operations, queries
from ..diff import field_diffs
from ..forms import CommentForm, DecisionForm
from ..models import Statement, StatementRevision
from ..pdf import verify_url
from ..view import (
    COMPARED_FIELDS,
    SinceDecision,
    compared_texts,
    language_links,
    signed_on,
    since_decision,
    view_of_revision,
)
from .common import actor, statement_or_404

# ---- the statement -------------------------------------------------------------------------


def _detail_context(statement: Statement, **extra) -> dict:
    current = statement.current
    who = actor()
    is_translation = statement.original_id is not None
    context = {
        "statement": statement, "current": current, "view": view_of_revision(current),
        "actions": allowed_actions(statement.state, who, statement.issuer_chapter_id),
        "sign_off": queries.sign_off_of(current),
        "last_approved": queries.last_approved_revision(statement),
        "revisions": statement.revisions, "language_links": language_links(
            statement, lambda s: queries.get_visible(current_user, s.id) is not None),
        "out_of_date": is_translation and queries.out_of_date(statement),
        "missing_languages": missing_languages(
            statement.language, [t.language for t in statement.translations],
            is_translation=is_translation),
        "may_translate": may_translate(who, statement.issuer_chapter_id,
                                       is_translation=is_translation),
        "comment_form": CommentForm(formdata=None), "decision_form": DecisionForm(formdata=None),
        "history": may_see_history(who, statement.issuer_chapter_id),
    }
    # What the page prints (the print stylesheet): as the PDF, signed only if approved.
    printed = queries.signed_off(statement)
    context["print_sign_off"] = printed
    if printed is not None:
        context["print_signed_on"] = signed_on(printed, statement.language)
        context["print_verify_url"] = verify_url(printed)
    context.update(extra)
    return context


@bp.route("/statements/<int:statement_id>")
def detail(statement_id: int):
    statement = statement_or_404(statement_id)
    return render_template("statements/detail.html", **_detail_context(statement))


@bp.route("/statements/<int:statement_id>/actions/<action>", methods=["POST"])
@csrf_in_form
def act(statement_id: int, action: str):
    """Submit, approve, request changes, publish, withdraw. From the chair's queue
    (HTMX), the queue item is replaced in place; a refused request for changes replaces
    only its form (the comparison beside it stays). Approving is the second step of the
    sign-off: it carries the hash its confirmation showed (`sign_off`)."""
    statement = statement_or_404(statement_id)
    if action not in Action.__members__.values() or action == Action.EDIT:
        abort(404)
    action = Action(action)
    form = DecisionForm()
    from_queue = request.form.get("origin") == "queue"
    decision = None
    if form.validate_on_submit():
        revision_id = form.revision_id.data
        decision = operations.transition(
            current_user, statement, action, text=form.text.data or "",
            revision_id=whole_number(revision_id),
            content_sha256=(form.content_sha256.data or "") if action is Action.APPROVE
            else None)
        if not decision:
            form.text.errors = [say(decision.reason, **decision.params)]
    ok = bool(decision)
    if ok:
        flash(_done_message(action, statement), "success")
    status = 400 if "csrf_token" in form.errors else 422
    if from_queue and wants_fragment():
        if not ok and action is Action.REQUEST_CHANGES:
            # Only the form: the statement and what changed stay as they were.
            return make_response(render_template(
                "statements/_queue_decision.html", statement=statement, form=form,
                current=statement.current, failed_action=action), status,
                retarget=f"#decision-{statement.id}", reswap="outerHTML")
        return render_template("statements/_queue_item.html", statement=statement,
                               decided=action if ok else None, form=form, oob_messages=True,
                               failed_action=None if ok else action,
                               **_queue_extra(statement)), 200 if ok else status
    if from_queue:
        if ok:
            return redirect_to(url_for("statements.queue"))
        return _queue_page(failed_id=statement.id, failed_form=form,
                           failed_action=action), status
    if ok:
        return redirect_to(url_for("statements.detail", statement_id=statement.id))
    return render_template("statements/detail.html", **_detail_context(
        statement, decision_form=form, failed_action=action)), status


@bp.route("/statements/<int:statement_id>/sign-off", methods=["GET", "POST"])
@roles_required(Role.CHAIR)
def confirm_sign_off(statement_id: int):
    """The first step of a sign-off: what is being signed, named (the headline and the
    SHA-256 of the exact text), with "Sign off" (the second step, which carries that
    hash) and "Back". Shows only: nothing changes here. Reached from the queue's
    "Approve and sign off" (a POST carrying the comment typed, or, with HTMX, in place of
    the queue's form) or by a link (GET)."""
    statement = statement_or_404(statement_id)
    values = request.form if request.method == "POST" else request.args
    form = DecisionForm(formdata=None, text=values.get("text", ""),
                        revision_id=values.get("revision_id", ""))
    current = statement.current
    shown = whole_number(values.get("revision_id"))
    refusal = decide(Action.APPROVE, statement.state, actor(), statement.issuer_chapter_id)
    context = {"statement": statement, "current": current, "form": form,
               "stale": shown is not None and shown != statement.current_revision_id,
               "refusal": None if refusal else say(refusal.reason, **refusal.params)}
    if wants_fragment():
        return render_template("statements/_sign_off_confirm.html", level=3, **context)
    return render_template("statements/sign_off.html", level=2, **context)


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
    statement = statement_or_404(statement_id, history=True)
    form = CommentForm()
    status = 200
    if form.validate_on_submit():
        operations.add_comment(current_user, statement, form.body.data)
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


# ---- history and comparison --------------------------------------------------------------

def _comparison(statement: Statement, old: StatementRevision | None,
                new: StatementRevision) -> dict:
    diffs = field_diffs(compared_texts(old), compared_texts(new), COMPARED_FIELDS)
    return {"statement": statement, "old": old, "new": new, "diffs": diffs,
            "changed": [d for d in diffs if d.changed]}


@bp.route("/statements/<int:statement_id>/compare")
def compare(statement_id: int):
    """The current text against the last approved revision (or, never approved, the one
    the chair last sent back), word by word: the chair's "what changed?"."""
    statement = statement_or_404(statement_id, history=True)
    old = queries.last_approved_revision(statement)
    basis = "approved"
    if old is None:
        old, basis = queries.last_sent_back_revision(statement), "sent_back"
    if old is None:
        basis = "none"
    if old is not None and old.id == statement.current_revision_id:
        basis = "same"
    return render("statements/compare.html", "statements/_compare.html", basis=basis,
                  **_comparison(statement, old, statement.current))


@bp.route("/statements/<int:statement_id>/revisions/<int:number>")
def revision(statement_id: int, number: int):
    statement = statement_or_404(statement_id, history=True)
    rev = queries.revision(statement, number) or abort(404)
    against = int_arg("compare")
    old = queries.revision(statement, against) if against else None
    return render_template("statements/revision.html", rev=rev, view=view_of_revision(rev),
                           sign_off=queries.sign_off_of(rev), against=old,
                           **_comparison(statement, old, rev) if old else
                           {"statement": statement})


# ---- the chair's queue ---------------------------------------------------------------------

def _since(statement: Statement) -> SinceDecision | None:
    """The revision the chair last decided on (sent back, or signed off and edited since)
    with the chair's comment, compared with the current text; None on a first
    submission."""
    comment = queries.last_sent_back_comment(statement)
    approved = queries.last_approved_revision(statement)
    sent_back = comment.revision if comment is not None else None
    current = statement.current
    if sent_back is not None and (approved is None or sent_back.number >= approved.number):
        return since_decision("sent_back", sent_back, current, comment)
    if approved is not None and approved.id != current.id:
        return since_decision("approved", approved, current)
    return None


def _queue_extra(statement: Statement) -> dict:
    return {"view": view_of_revision(statement.current), "since": _since(statement),
            "may_decide": may_decide(actor()), "waiting": queries.queue_size()}


@bp.route("/statements/queue")
@roles_required(Role.CHAIR, Role.ADMIN)
def queue():
    return _queue_page()


@bp.route("/statements/<int:statement_id>/queue-item")
@roles_required(Role.CHAIR, Role.ADMIN)
def queue_item(statement_id: int):
    """One item of the queue as it stands (the confirmation's "Back", with HTMX: the
    comment typed comes back with it); without HTMX, the queue at that item."""
    statement = statement_or_404(statement_id)
    if not wants_fragment():
        return redirect_to(url_for("statements.queue", _anchor=f"statement-{statement.id}"))
    form = DecisionForm(formdata=None, text=request.args.get("text", ""))
    return render_template("statements/_queue_item.html", statement=statement, decided=None,
                           form=form, back=True, **_queue_extra(statement))


def _queue_page(failed_id: int | None = None, failed_form: DecisionForm | None = None,
                failed_action: Action | None = None):
    """The queue; after a refused decision (without JavaScript), that item shows its
    error beside the comment, with the comment as typed."""
    items = [(s, _queue_extra(s)) for s in queries.queue()]
    return render_template("statements/queue.html", items=items,
                           form=DecisionForm(formdata=None), failed_id=failed_id,
                           failed_form=failed_form, failed_action=failed_action)
