"""Visa invitation letters and certificates of attendance: thin views. The delegate's
chapter secretariat and the global secretariat only (the chair and anyone else: 403);
another chapter's letter or certificate answers 404."""
from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..assembly import queries as assembly_queries
from ..auth.access import csrf_in_form, roles_required
from ..chapters.queries import all_chapters
from ..db_types import utcnow
from ..domain.common import whole_number
from ..domain.letters import (
    Delegate,
    DocumentKind,
    LetterAction,
    LetterState,
    Validity,
    may_issue_certificate,
)
from ..domain.roles import Role
from ..scoping import scope_of
from ..web import download, form_status, int_arg, redirect_to, render, say
from . import bp, operations, pdf, queries
from .forms import LetterRequestForm, ReasonForm

STAFF = (Role.SECRETARIAT, Role.ADMIN)


@bp.app_context_processor
def letter_labels():
    return {"LetterState": LetterState, "LetterAction": LetterAction, "Validity": Validity}


def _assembly(number: int):
    return assembly_queries.by_number(number) or abort(404)


def _letter(assembly, letter_id: int):
    return queries.document_for(current_user, assembly, DocumentKind.LETTER,
                                letter_id) or abort(404)


def _registration(assembly, reg_id: int):
    return assembly_queries.registration_for(current_user, assembly, reg_id) or abort(404)


def _today():
    return utcnow().date()


def _text(decision) -> str:
    return say(decision.reason, **decision.params)


def _state_arg() -> LetterState | None:
    try:
        return LetterState(request.args.get("state", ""))
    except ValueError:
        return None


@bp.route("/assemblies/<int:number>/letters/")
@roles_required(*STAFF)
def index(number: int):
    """The letters by state (requested, issued, refused, withdrawn) and the confirmed
    international delegates with whether each needs one."""
    assembly = _assembly(number)
    state = _state_arg()
    return render("letters/index.html", "letters/_letters_table.html", assembly=assembly,
                  state=state, letters=queries.letters(current_user, assembly, state),
                  counts=queries.letter_counts(current_user, assembly),
                  delegates=queries.international_delegates(current_user, assembly),
                  needing=queries.needing_letter_ids(current_user, assembly),
                  every_chapter=scope_of(current_user) is None)


@bp.route("/assemblies/<int:number>/delegates/<int:reg_id>/needs-letter", methods=["POST"])
@roles_required(*STAFF)
def needs_letter(number: int, reg_id: int):
    assembly = _assembly(number)
    reg = _registration(assembly, reg_id)
    needs = request.form.get("needs") == "1"
    decision = operations.set_needs_letter(current_user, reg, needs)
    if decision:
        flash(_("%(name)s needs a visa invitation letter.", name=reg.full_name) if needs else
              _("%(name)s needs no visa invitation letter.", name=reg.full_name), "success")
    else:
        flash(_text(decision), "error")
    return redirect_to(url_for("letters.index", number=number) + "#delegates")


@bp.route("/assemblies/<int:number>/delegates/<int:reg_id>/letter", methods=["GET", "POST"])
@roles_required(*STAFF)
@csrf_in_form
def request_letter(number: int, reg_id: int):
    """The chapter (or the global secretariat) requests the letter, or corrects a request."""
    assembly = _assembly(number)
    reg = _registration(assembly, reg_id)
    doc = queries.of_registration(reg, DocumentKind.LETTER)
    decision = operations.decide(current_user, LetterAction.REQUEST, reg, doc)
    form = LetterRequestForm(obj=doc) if request.method == "GET" and doc else LetterRequestForm()
    if request.method == "GET":  # the name as registered, until the passport's is typed
        form.passport_name.data = doc.holder_name if doc else reg.full_name
    status = 200
    if request.method == "POST" and decision:
        form.validate()
        if not form.csrf_token.errors:
            outcome = operations.request_letter(
                current_user, reg, passport_name=form.passport_name.data or "",
                nationality=form.nationality.data or "",
                passport_number=form.passport_number.data or "",
                passport_expiry=form.passport_expiry.data,
                date_of_birth=form.date_of_birth.data, today=_today())
            if outcome.ok and not form.errors:
                flash(_("Visa invitation letter requested for %(name)s: the global secretariat "
                        "reviews it.", name=reg.full_name), "success")
                return redirect_to(url_for("letters.detail", number=number,
                                           letter_id=outcome.document.id))
            for name, (message, params) in outcome.errors.items():
                if not form[name].errors:  # a date that did not parse says so already
                    form[name].errors = [*form[name].errors, say(message, **params)]
        status = form_status(form) if form.errors else 422
    elif request.method == "POST":
        status = 403
    return render_template("letters/request.html", assembly=assembly, reg=reg, doc=doc,
                           form=form, decision=decision), status


@bp.route("/assemblies/<int:number>/letters/<int:letter_id>")
@roles_required(*STAFF)
def detail(number: int, letter_id: int):
    assembly = _assembly(number)
    doc = _letter(assembly, letter_id)
    reg = doc.registration
    actions = {a: operations.decide(current_user, a, reg, doc) for a in LetterAction}
    return render_template("letters/detail.html", assembly=assembly, doc=doc, reg=reg,
                           actions=actions, reason_form=ReasonForm(),
                           verify_url=pdf.verify_url(doc) if doc.verification_code else "")


@bp.route("/assemblies/<int:number>/letters/<int:letter_id>/issue", methods=["POST"])
@roles_required(Role.ADMIN)
def issue(number: int, letter_id: int):
    assembly = _assembly(number)
    doc = _letter(assembly, letter_id)
    decision = operations.issue_letter(current_user, doc)
    if decision:
        flash(_("Letter issued for %(name)s, code %(code)s.", name=doc.holder_name,
                code=doc.code_display), "success")
    else:
        flash(_text(decision), "error")
    return redirect_to(url_for("letters.detail", number=number, letter_id=doc.id))


def _with_reason(number: int, letter_id: int, act, done: str):
    assembly = _assembly(number)
    doc = _letter(assembly, letter_id)
    form = ReasonForm()
    outcome = act(current_user, doc, form.reason.data or "")
    if outcome.ok:
        flash(done % {"name": doc.holder_name}, "success")
    else:
        if outcome.errors:
            message, params = next(iter(outcome.errors.values()))
            flash(say(message, **params), "error")
        else:
            flash(_text(outcome.decision), "error")
    return redirect_to(url_for("letters.detail", number=number, letter_id=doc.id))


@bp.route("/assemblies/<int:number>/letters/<int:letter_id>/refuse", methods=["POST"])
@roles_required(Role.ADMIN)
def refuse(number: int, letter_id: int):
    return _with_reason(number, letter_id, operations.refuse_letter,
                        _("Letter refused for %(name)s."))


@bp.route("/assemblies/<int:number>/letters/<int:letter_id>/withdraw", methods=["POST"])
@roles_required(*STAFF)
def withdraw(number: int, letter_id: int):
    return _with_reason(number, letter_id, operations.withdraw_letter,
                        _("Letter withdrawn for %(name)s."))


@bp.route("/assemblies/<int:number>/letters/<int:letter_id>.pdf")
@roles_required(*STAFF)
def letter_pdf(number: int, letter_id: int):
    assembly = _assembly(number)
    doc = _letter(assembly, letter_id)
    if not operations.decide(current_user, LetterAction.DOWNLOAD, doc.registration, doc):
        abort(404)
    data = pdf.kept(doc)
    if data is None:  # erased with the passport data
        abort(410)
    return download(data, pdf.filename(doc), "application/pdf")


# ---- certificates of attendance ----------------------------------------------------------

@bp.route("/assemblies/<int:number>/certificates/")
@roles_required(*STAFF)
def certificates(number: int):
    assembly = _assembly(number)
    chapter_id = int_arg("chapter_id") if scope_of(current_user) is None else None
    return render_template(
        "letters/certificates.html", assembly=assembly,
        certificates=queries.certificates(current_user, assembly),
        waiting=queries.without_certificate(current_user, assembly, chapter_id),
        chapters=all_chapters() if current_user.is_admin else [], chapter_id=chapter_id,
        may_issue=may_issue_certificate(current_user.role, _today(), assembly.last_day,
                                        Delegate(confirmed=True, international=True)))


@bp.route("/assemblies/<int:number>/certificates/issue", methods=["POST"])
@roles_required(Role.ADMIN)
def issue_certificates(number: int):
    """One delegate's certificate (`reg_id`), or every confirmed delegate's of a chapter
    (`chapter_id`) or of the assembly, who has none yet."""
    assembly = _assembly(number)
    reg_text, chapter_text = request.form.get("reg_id", ""), request.form.get("chapter_id", "")
    reg_id, chapter_id = whole_number(reg_text), whole_number(chapter_text)
    if (reg_text and reg_id is None) or (chapter_text and chapter_id is None):
        abort(400)  # never "everyone" for a malformed id
    if reg_id is not None:
        reg = _registration(assembly, reg_id)
        decision = operations.issue_certificate(current_user, reg, _today())
        issued = 1 if decision else 0
    else:
        issued, decision = operations.issue_certificates(
            current_user, assembly, _today(), chapter_id)
    if issued:
        flash(ngettext("%(num)d certificate of attendance issued.",
                       "%(num)d certificates of attendance issued.", issued), "success")
    if not decision:
        flash(_text(decision), "error")
    elif not issued:
        flash(_("Every confirmed delegate already has a certificate."), "success")
    return redirect_to(url_for("letters.certificates", number=number))


@bp.route("/assemblies/<int:number>/certificates/<int:cert_id>.pdf")
@roles_required(*STAFF)
def certificate_pdf(number: int, cert_id: int):
    assembly = _assembly(number)
    doc = queries.document_for(current_user, assembly, DocumentKind.CERTIFICATE,
                               cert_id) or abort(404)
    return download(operations.certificate_pdf(current_user, doc), pdf.filename(doc),
                    "application/pdf")
