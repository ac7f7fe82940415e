"""The assembly's money pages: a registration's fee account, a chapter's solidarity fund,
and the bulk "mark paid". Thin views: each validates its form, calls one operation of
`fees` with `current_user`, and answers the page again (422, with what was typed and the
refusal beside its field) or a redirect."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..chapters.models import Chapter
from ..domain import fund as fund_rules
from ..domain.fees import FeeEntryKind, FeeStatus
from ..domain.fund import GrantPurpose
from ..extensions import db
from ..forms import choices
from ..scoping import scope_of
from ..web import form_status, ids_from, redirect_to, say, usd
from . import accounts, bp, fees, queries
from .forms import (
    GoalForm,
    GrantForm,
    MarkPaidForm,
    PaymentForm,
    PledgeForm,
    ReasonForm,
    ReceiptForm,
    SettleForm,
)
from .models import Assembly, Registration


@bp.app_context_processor
def money_labels():
    return {"FeeStatus": FeeStatus, "FeeEntryKind": FeeEntryKind, "GrantPurpose": GrantPurpose}


def _assembly(number: int) -> Assembly:
    return queries.by_number(number) or abort(404)


def _registration(assembly: Assembly, reg_id: int) -> Registration:
    return queries.registration_for(current_user, assembly, reg_id) or abort(404)


def _refusal(form, done: fees.Done) -> None:
    """The refusal beside its field, or above the form."""
    text = say(done.decision.reason, **done.decision.params)
    if done.field and done.field in form._fields:
        form[done.field].errors = [*form[done.field].errors, text]
    else:
        form.form_errors.append(text)


def _status(form) -> int:
    return form_status(form) if form.errors or form.form_errors else 422


# ---- a registration's fee account ----------------------------------------------------------------

def _fee_page(assembly: Assembly, reg: Registration, status: int = 200, **forms):
    payment = forms.get("payment") or PaymentForm(formdata=None, paid_on=date.today())
    void = forms.get("void") or ReasonForm(formdata=None)
    waiver = forms.get("waiver") or ReasonForm(formdata=None, prefix="waive")
    settle = forms.get("settle") or SettleForm(formdata=None)
    for form in (payment, void, waiver, settle):
        if not hasattr(form, "form_errors"):
            form.form_errors = []
    return render_template("assembly/fee.html", assembly=assembly, registration=reg,
                           book=accounts.ledger(reg), payment=payment, void=void,
                           waiver=waiver, settle=settle,
                           fund=accounts.fund_of(reg.chapter_id, assembly),
                           keeps=current_user.role.value in ("secretariat", "admin")), status


def _fee_action(assembly: Assembly, reg: Registration, form, slot: str,
                operation: Callable[[], fees.Done], done_message: Callable[[], str]):
    """One action on a fee account: the form valid and the operation done, back to the
    account with `done_message`; otherwise the account again, the refusal beside its field
    and what was typed kept (`slot` names the form on the page)."""
    form.form_errors = []
    if form.validate_on_submit():
        done = operation()
        if done.decision:
            flash(done_message(), "success")
            return redirect_to(url_for("assembly.fee", number=assembly.number, reg_id=reg.id))
        _refusal(form, done)
    return _fee_page(assembly, reg, _status(form), **{slot: form})


@bp.route("/assemblies/<int:number>/delegates/<int:reg_id>/fee", methods=["GET", "POST"])
def fee(number: int, reg_id: int):
    assembly = _assembly(number)
    reg = _registration(assembly, reg_id)
    if request.method == "GET":
        return _fee_page(assembly, reg)
    form = PaymentForm()
    return _fee_action(
        assembly, reg, form, "payment",
        lambda: fees.record_payment(current_user, reg, form.cents, form.method.data,
                                    form.paid_on.data, form.reference.data or ""),
        lambda: _("%(amount)s recorded for %(name)s.", amount=usd(form.cents),
                  name=reg.full_name))


@bp.route("/assemblies/<int:number>/delegates/<int:reg_id>/fee/void", methods=["POST"])
def fee_void(number: int, reg_id: int):
    assembly = _assembly(number)
    reg = _registration(assembly, reg_id)
    form = ReasonForm()
    return _fee_action(
        assembly, reg, form, "void",
        lambda: fees.void_fee_entry(current_user, reg, form.entry_id.data or 0,
                                    form.reason.data),
        lambda: _("The entry is voided; it stays on record."))


@bp.route("/assemblies/<int:number>/delegates/<int:reg_id>/fee/waive", methods=["POST"])
def fee_waive(number: int, reg_id: int):
    assembly = _assembly(number)
    reg = _registration(assembly, reg_id)
    form = ReasonForm(prefix="waive")
    return _fee_action(
        assembly, reg, form, "waiver",
        lambda: fees.waive(current_user, reg, form.reason.data),
        lambda: _("The fee of %(name)s is waived.", name=reg.full_name))


@bp.route("/assemblies/<int:number>/delegates/<int:reg_id>/fee/settle", methods=["POST"])
def fee_settle(number: int, reg_id: int):
    assembly = _assembly(number)
    reg = _registration(assembly, reg_id)
    form = SettleForm()
    return _fee_action(
        assembly, reg, form, "settle",
        lambda: fees.settle(current_user, reg, FeeEntryKind(form.decision.data),
                            form.reason.data or ""),
        lambda: _("The decision is recorded."))


@bp.route("/assemblies/<int:number>/delegates/mark-paid", methods=["POST"])
def mark_paid(number: int):
    """Several fees paid by one transfer: each selected registration that still owes gets
    one payment of what it owes, with the same reference."""
    assembly = _assembly(number)
    form = MarkPaidForm(prefix="paid")
    back = request.referrer or url_for("assembly.delegates", number=number)
    ids = ids_from(request.form.getlist("fee_ids"))
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            label = form[name].label.text if name in form._fields else name
            flash(f"{label}: {' '.join(errors)}", "error")
        return redirect_to(back)
    if current_user.role.value not in ("secretariat", "admin"):
        abort(403)
    result = fees.mark_paid_many(current_user, assembly, ids, form.reference.data.strip(),
                                 form.method.data, form.paid_on.data)
    if result.done:
        flash(ngettext("%(num)d fee marked paid, %(total)s in all, reference %(ref)s.",
                       "%(num)d fees marked paid, %(total)s in all, reference %(ref)s.",
                       result.done, total=usd(result.total_cents),
                       ref=form.reference.data.strip()), "success")
    if result.skipped:
        flash(_("Nothing was owed by: %(names)s.", names=", ".join(result.skipped)), "notice")
    if not result.done and not result.skipped:
        flash(_("Nothing marked paid: tick the fees that were paid, in the Fee column."), "error")
    return redirect_to(back)


# ---- the chapter's solidarity fund ---------------------------------------------------------------

def _chapter(code: str) -> Chapter:
    """The fund's chapter, when the user may see it: another chapter's secretariat gets
    404, as for any record outside their scope."""
    chapter = db.session.scalar(db.select(Chapter).where(Chapter.code == code))
    scope = scope_of(current_user)
    if chapter is None or (scope is not None and chapter.id != scope):
        abort(404)
    return chapter


def _fund_page(assembly: Assembly, chapter: Chapter, status: int = 200, **forms):
    fund = accounts.fund_of(chapter.id, assembly)
    keeps = fund_rules.may_keep(current_user.role, current_user.chapter_id, chapter.id)
    if fund is None and not keeps:
        abort(404)
    view = accounts.fund_view(fund, current_user.role, current_user.chapter_id) \
        if fund else None
    goal = forms.get("goal") or GoalForm(formdata=None, amount=(
        f"{fund.goal_cents // 100}" if fund else "6000"))
    pledge = forms.get("pledge") or PledgeForm(formdata=None, prefix="pledge")
    receipt = forms.get("receipt") or ReceiptForm(formdata=None, prefix="receipt",
                                                  received_on=date.today())
    grant = forms.get("grant") or GrantForm(formdata=None, prefix="grant")
    void = forms.get("void") or ReasonForm(formdata=None, prefix="void")
    for form in (goal, pledge, receipt, grant, void):
        if not hasattr(form, "form_errors"):
            form.form_errors = []
    if view is not None:
        receipt.settles_id.choices = choices([("", _("No pledge"))] + [
            (p.id, f"{view.donor(p) or _('Anonymous')} · {usd(p.amount_cents)}")
            for p in view.open_pledges()])
        grant.registration_id.choices = choices([("", _("Choose a delegate…"))] + [
            (r.id, r.full_name) for r in accounts.grantable_registrations(fund)])
    names = {r.id: r for r in (db.session.get(Registration, g.registration_id)
                               for g in (view.grants if view else []))}
    return render_template("assembly/fund.html", assembly=assembly, chapter=chapter,
                           fund=fund, view=view, keeps=keeps, goal=goal, pledge=pledge,
                           receipt=receipt, grant=grant, void=void,
                           registrations=names), status


def _fund_or_404(assembly: Assembly, chapter: Chapter):
    fund = accounts.fund_of(chapter.id, assembly)
    if fund is None:
        abort(404)
    return fund


def _back(number: int, code: str, anchor: str = ""):
    return redirect_to(url_for("assembly.fund", number=number, code=code) + anchor)


@bp.route("/assemblies/<int:number>/funds/<code>", methods=["GET", "POST"])
def fund(number: int, code: str):
    """The fund's page; a POST opens the fund or changes its goal."""
    assembly = _assembly(number)
    chapter = _chapter(code)
    if request.method == "GET":
        return _fund_page(assembly, chapter)
    form = GoalForm()
    form.form_errors = []
    if form.validate_on_submit():
        decision, _fund = fees.save_fund(current_user, chapter, assembly, form.cents)
        if decision:
            flash(_("The fund's goal is %(goal)s.", goal=usd(form.cents)), "success")
            return _back(number, code)
        form.form_errors.append(say(decision.reason, **decision.params))
    return _fund_page(assembly, chapter, _status(form), goal=form)


@bp.route("/assemblies/<int:number>/funds/<code>/pledges", methods=["POST"])
def fund_pledge(number: int, code: str):
    assembly, chapter = _assembly(number), _chapter(code)
    fund = _fund_or_404(assembly, chapter)
    form = PledgeForm(prefix="pledge")
    form.form_errors = []
    if form.validate_on_submit():
        done = fees.pledge(current_user, fund, form.donor.data, form.cents,
                           form.promised_on.data, form.anonymous.data)
        if done.decision:
            flash(_("Pledge of %(amount)s recorded.", amount=usd(form.cents)), "success")
            return _back(number, code, "#pledges")
        _refusal(form, done)
    return _fund_page(assembly, chapter, _status(form), pledge=form)


@bp.route("/assemblies/<int:number>/funds/<code>/receipts", methods=["POST"])
def fund_receipt(number: int, code: str):
    assembly, chapter = _assembly(number), _chapter(code)
    fund = _fund_or_404(assembly, chapter)
    form = ReceiptForm(prefix="receipt")
    form.form_errors = []
    form.settles_id.choices = choices([("", "")] + [(e.id, "") for e in accounts.fund_rows(fund)])
    if form.validate_on_submit():
        done = fees.receive(current_user, fund, form.cents, form.received_on.data,
                            form.donor.data or "", form.anonymous.data, form.settles_id.data)
        if done.decision:
            flash(_("Receipt of %(amount)s recorded.", amount=usd(form.cents)),
                  "success")
            return _back(number, code, "#receipts")
        _refusal(form, done)
    return _fund_page(assembly, chapter, _status(form), receipt=form)


@bp.route("/assemblies/<int:number>/funds/<code>/grants", methods=["POST"])
def fund_grant(number: int, code: str):
    assembly, chapter = _assembly(number), _chapter(code)
    fund = _fund_or_404(assembly, chapter)
    form = GrantForm(prefix="grant")
    form.form_errors = []
    form.registration_id.choices = choices([("", "")] + [
        (r.id, r.full_name) for r in accounts.grantable_registrations(fund)])
    if form.validate_on_submit():
        reg = db.session.get(Registration, form.registration_id.data)
        done = fees.grant(current_user, fund, reg, GrantPurpose(form.purpose.data), form.cents)
        if done.decision:
            flash(_("Granted %(amount)s to %(name)s.", amount=usd(form.cents),
                    name=reg.full_name), "success")
            return _back(number, code, "#grants")
        _refusal(form, done)
    return _fund_page(assembly, chapter, _status(form), grant=form)


@bp.route("/assemblies/<int:number>/funds/<code>/void", methods=["POST"])
def fund_void(number: int, code: str):
    assembly, chapter = _assembly(number), _chapter(code)
    fund = _fund_or_404(assembly, chapter)
    form = ReasonForm(prefix="void")
    form.form_errors = []
    if form.validate_on_submit():
        done = fees.void_fund_entry(current_user, fund, form.entry_id.data or 0,
                                    form.reason.data)
        if done.decision:
            flash(_("The entry is voided; it stays on record."), "success")
            return _back(number, code)
        _refusal(form, done)
    return _fund_page(assembly, chapter, _status(form), void=form)
