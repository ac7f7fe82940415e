"""The Global Assembly's pages: thin views. Each validates its form, calls one operation
(given `current_user`) or the queries, and answers a page, its fragment or a download."""
from __future__ import annotations

from datetime import UTC, date, datetime

from flask import abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.access import csrf_in_form, roles_required
from ..chapters import queries as chapter_services
from ..domain.assembly import (
    INTERPRETATION_LANGUAGES,
    LEADS_TO,
    Participation,
    RegistrationAction,
    RegistrationState,
    check_dates,
)
from ..domain.money import plain_amount
from ..domain.roles import Role
from ..members.models import Organization
from ..scoping import scope_of
from ..web import (
    RowsPage,
    csv_download,
    download,
    form_status,
    ids_from,
    inline_validation,
    int_arg,
    redirect_to,
    render,
    say,
    text_arg,
)
from . import bp, exports, operations, queries
from .forms import AssemblyForm, MarkPaidForm, RegistrationForm
from .models import Assembly, Registration


@bp.app_context_processor
def assembly_labels():
    return {"interpretation_languages": INTERPRETATION_LANGUAGES,
            "Participation": Participation, "RegistrationState": RegistrationState,
            "RegistrationAction": RegistrationAction, "leads_to": LEADS_TO}


def _assembly(number: int) -> Assembly:
    return queries.by_number(number) or abort(404)


def _registration(assembly: Assembly, reg_id: int) -> Registration:
    return queries.registration_for(current_user, assembly, reg_id) or abort(404)


@bp.route("/assembly/")
def current():
    assembly = queries.latest()
    if assembly is None:
        return render_template("assembly/none.html")
    if current_user.is_secretariat:  # their chapter's page; the chair and admin: delegates
        return redirect_to(url_for("assembly.chapter_overview", number=assembly.number,
                                   code=current_user.chapter.code))
    return redirect_to(url_for("assembly.delegates", number=assembly.number))


# ---- the delegates list ------------------------------------------------------------------------

def _filters() -> queries.Filters:
    return queries.Filters(q=text_arg("q"), participation=text_arg("participation"),
                           state=text_arg("state"), arrival=text_arg("arrival"),
                           interpretation=text_arg("interpretation"),
                           chapter_id=int_arg("chapter_id"),
                           fee_status=text_arg("fee_status"))


@bp.route("/assemblies/<int:number>/delegates/")
def delegates(number: int):
    assembly = _assembly(number)
    filters = _filters()
    shown = queries.delegates_page(current_user, assembly, filters, int_arg("page") or 1)
    every_chapter = scope_of(current_user) is None
    return render("assembly/delegates.html", "assembly/_delegates_table.html",
                  assembly=assembly, rows=shown.rows, filters=filters, totals=shown.totals,
                  page=RowsPage(shown.rows, shown.number, shown.per_page, shown.totals.count),
                  chapters=chapter_services.all_chapters() if every_chapter else [],
                  may_change=queries.may_change(current_user, assembly),
                  mark_paid=MarkPaidForm(formdata=None, prefix="paid", paid_on=date.today()),
                  may_keep_fees=current_user.role in (Role.SECRETARIAT, Role.ADMIN))


@bp.route("/assemblies/<int:number>/delegates.csv")
def delegates_csv(number: int):
    assembly = _assembly(number)
    rows = queries.delegates(current_user, assembly, _filters())
    return csv_download(exports.delegates_csv(rows), f"assembly-{assembly.number}-delegates")


@bp.route("/assemblies/<int:number>/delegates/confirm", methods=["POST"])
def bulk_confirm(number: int):
    assembly = _assembly(number)
    ids = ids_from(request.form.getlist("ids"))
    confirmed = operations.confirm_many(current_user, assembly, ids)
    if confirmed.done:
        flash(ngettext("%(num)d registration confirmed.", "%(num)d registrations confirmed.",
                       confirmed.done), "success")
    reasons = [say(decision.reason, **decision.params) for decision in confirmed.refusals]
    for reason in dict.fromkeys(reasons):
        flash(reason, "error")
    if not confirmed.done and not reasons:
        flash(_("Nothing confirmed: tick the pending registrations to confirm."), "error")
    return redirect_to(request.referrer or url_for("assembly.delegates", number=number))


# ---- registering -------------------------------------------------------------------------------

def _form(assembly: Assembly, reg: Registration | None = None) -> RegistrationForm:
    form = RegistrationForm(obj=reg) if reg else RegistrationForm()
    orgs = queries.organizations_for(current_user)
    every_chapter = scope_of(current_user) is None
    form.organization_id.choices = [("", _("Choose an organization…"))] + [
        (o.id, f"{o.name} ({o.chapter.code})" if every_chapter else o.name)
        for o in orgs]
    if request.method == "GET" and reg is None:
        form.arrival.data, form.departure.data = assembly.arrive_by, assembly.leave_on
        org_id = int_arg("organization_id")
        if org_id:
            form.organization_id.data = org_id
    if reg is not None and request.method == "GET":
        form.participation.data = reg.participation.value
    return form


def _chosen_org(form: RegistrationForm) -> Organization | None:
    return queries.organization_for(current_user, form.organization_id.data)


def _context(assembly: Assembly, form: RegistrationForm, reg: Registration | None = None
             ) -> dict:
    org = reg.organization if reg is not None else _chosen_org(form)
    choices = queries.choices_for(assembly, org, current=reg) if org is not None else None
    values = form.values()
    dates = check_dates(assembly.dates, values["arrival"], values["departure"],
                        accommodation=bool(values["accommodation"])) \
        if values["arrival"] and values["departure"] else None
    return {"assembly": assembly, "form": form, "registration": reg, "organization": org,
            "choices": choices, "dates": dates,
            "may_change": queries.may_change(current_user, assembly),
            "actions": queries.actions_for(current_user, reg) if reg is not None else []}


def _apply_outcome(form: RegistrationForm, outcome: operations.Outcome) -> None:
    """Each refusal beside its field (every one of them), or above the form."""
    def text(decision) -> str:
        return _(decision.reason, **{k: v for k, v in decision.params.items()
                                     if k != "owes_cents"})
    errors = outcome.errors or ({outcome.field: outcome.decision} if outcome.field else {})
    if not errors:
        form.form_errors.append(text(outcome.decision))
    for name, decision in errors.items():
        if name in form._fields:
            form[name].errors = [*form[name].errors, text(decision)]
        else:
            form.form_errors.append(text(decision))


@bp.route("/assemblies/<int:number>/delegates/new", methods=["GET", "POST"])
@csrf_in_form
def register(number: int):
    assembly = _assembly(number)
    form = _form(assembly)
    if (answer := inline_validation(form)) is not None:
        return answer
    if request.method == "POST" and form.validate_on_submit():
        org = _chosen_org(form)
        if org is None:
            form.organization_id.errors = [_("Choose one of your chapter's organizations.")]
        else:
            outcome = operations.register(current_user, assembly, org, form.values())
            if outcome.decision:
                flash(_("%(name)s is registered (pending confirmation).",
                        name=outcome.registration.full_name), "success")
                return redirect_to(url_for("assembly.delegates", number=number))
            _apply_outcome(form, outcome)
    status = 200 if request.method == "GET" else (form_status(form) if form.errors else 422)
    return render_template("assembly/register.html", **_context(assembly, form)), status


@bp.route("/assemblies/<int:number>/participation")
def participation(number: int):
    """The participation choices for the chosen organization, each with its reason
    (HTMX: the form refreshes them when the organization changes)."""
    assembly = _assembly(number)
    form = RegistrationForm(formdata=request.args)
    form.organization_id.choices = [(o.id, o.name)
                                    for o in queries.organizations_for(current_user)]
    return render_template("assembly/_participation.html", announce=True,
                           **_context(assembly, form))


@bp.route("/assemblies/<int:number>/dates", methods=["POST"])
def dates_check(number: int):
    """Warnings and uncovered nights for the dates typed (HTMX, nothing saved)."""
    assembly = _assembly(number)
    form = RegistrationForm()
    context = _context(assembly, form)
    dates = context["dates"]
    for name in ("arrival", "departure"):
        reason = dates.errors.get(name) if dates else None
        form[name].errors = [_(reason[0], **reason[1])] if reason else []
    if not (form.arrival.data and form.departure.data):
        for name in ("arrival", "departure"):
            if not form[name].data:
                form[name].errors = [_("Enter a date such as %(day)s.", day=(
                    assembly.arrive_by if name == "arrival" else assembly.leave_on).isoformat())]
    return render_template("assembly/_dates.html", oob_feedback=True, **context)


@bp.route("/assemblies/<int:number>/delegates/<int:reg_id>/edit", methods=["GET", "POST"])
@csrf_in_form
def edit(number: int, reg_id: int):
    assembly = _assembly(number)
    reg = _registration(assembly, reg_id)
    form = _form(assembly, reg)
    form.organization_id.data = reg.organization_id
    if (answer := inline_validation(form)) is not None:
        return answer
    if request.method == "POST" and form.validate_on_submit():
        outcome = operations.update(current_user, reg, form.values())
        if outcome.decision:
            flash(_("The registration of %(name)s is saved.", name=reg.full_name), "success")
            return redirect_to(url_for("assembly.delegates", number=number))
        _apply_outcome(form, outcome)
    status = 200 if request.method == "GET" else (form_status(form) if form.errors else 422)
    return render_template("assembly/register.html", **_context(assembly, form, reg)), status


@bp.route("/assemblies/<int:number>/delegates/<int:reg_id>/state", methods=["POST"])
def change_state(number: int, reg_id: int):
    assembly = _assembly(number)
    reg = _registration(assembly, reg_id)
    try:
        state = RegistrationState(request.form.get("state", ""))
    except ValueError:
        abort(400)
    decision = operations.set_state(current_user, reg, state)
    if decision:
        flash(_("%(name)s: %(state)s.", name=reg.full_name, state=_(state.label).lower()),
              "success")
    else:
        flash(say(decision.reason, **decision.params), "error")
    return redirect_to(request.referrer or url_for("assembly.delegates", number=number))


# ---- the voting roll ---------------------------------------------------------------------------

@bp.route("/assemblies/<int:number>/voting-roll")
def voting_roll(number: int):
    assembly = _assembly(number)
    return render_template("assembly/voting_roll.html", assembly=assembly,
                           rows=queries.voting_roll(current_user, assembly),
                           missing=queries.eligible_without_voting_delegate(current_user,
                                                                            assembly))


@bp.route("/assemblies/<int:number>/voting-roll.csv")
def voting_roll_csv(number: int):
    assembly = _assembly(number)
    return csv_download(exports.voting_roll_csv(queries.voting_roll(current_user, assembly)),
                        f"assembly-{assembly.number}-voting-roll")


@bp.route("/assemblies/<int:number>/voting-roll.pdf")
def voting_roll_pdf(number: int):
    from flask_babel import get_timezone

    from ..documents.pdf import render_pdf, static_url
    from ..web import render_anywhere
    assembly = _assembly(number)
    one_chapter = scope_of(current_user) is not None
    # "As of": when this roll was made, in the reader's zone (standings change with payments).
    html = render_anywhere("documents/voting_roll.html", assembly=assembly,
                           generated_at=datetime.now(UTC), zone=str(get_timezone()),
                           rows=queries.voting_roll(current_user, assembly),
                           missing=queries.eligible_without_voting_delegate(current_user,
                                                                            assembly),
                           static_url=static_url,
                           scope_chapter=current_user.chapter if one_chapter else None)
    return download(render_pdf(html, current_app.static_folder),
                    f"assembly-{assembly.number}-voting-roll-{date.today().isoformat()}.pdf",
                    "application/pdf")


# ---- the assembly's facts (the global secretariat) -----------------------------------------------

def _assembly_form(assembly: Assembly | None) -> AssemblyForm:
    from ..members.queries import all_policies
    form = AssemblyForm(obj=assembly) if assembly else AssemblyForm()
    form.dues_policy_id.choices = [("", _("Choose…"))] + [(p.id, p.name)
                                                          for p in all_policies()]
    if request.method == "GET" and assembly is not None:
        form.fee.data = plain_amount(assembly.fee_cents)
        form.registration_opens.data = assembly.opens_on
        form.registration_deadline.data = assembly.deadline_on
    return form


def _save_assembly(form: AssemblyForm, assembly: Assembly | None):
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        if queries.number_taken(form.number.data, assembly.id if assembly else None):
            form.number.errors = [_("Another assembly has this number.")]
        else:
            values = {f: form[f].data for f in operations.ASSEMBLY_FIELDS
                      if f in form._fields}
            values["fee_cents"] = form.fee_cents
            values["fee_covers"] = (form.fee_covers.data or "").strip()
            saved = operations.save_assembly(current_user, assembly, values)
            flash(_("%(name)s is saved.", name=saved.name), "success")
            return redirect_to(url_for("assembly.delegates", number=saved.number))
    status = 200 if request.method == "GET" else (form_status(form) if form.errors else 422)
    return render_template("assembly/settings.html", form=form, assembly=assembly), status


@bp.route("/assemblies/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
@csrf_in_form
def new_assembly():
    return _save_assembly(_assembly_form(None), None)


@bp.route("/assemblies/<int:number>/settings", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
@csrf_in_form
def settings(number: int):
    assembly = _assembly(number)
    return _save_assembly(_assembly_form(assembly), assembly)
