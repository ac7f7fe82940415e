from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import csrf_in_form, current_scope, get_scoped_or_404, roles_required
from ..chapters import queries as chapter_services
from ..csvfiles import to_csv
from ..domain.assembly import (
    INTERPRETATION_LANGUAGES,
    PARTICIPATION_LABELS,
    REGISTRATION_STATE_LABELS,
    Participation,
    RegistrationState,
    check_dates,
    fee_cents,
)
from ..domain.money import format_usd
from ..domain.roles import Role
from ..extensions import db
from ..members.models import Organization
from ..web import form_status, inline_validation, int_arg, redirect_to, render
from . import bp, services
from .forms import AssemblyForm, RegistrationForm
from .models import Assembly, Registration


@bp.app_context_processor
def assembly_labels():
    return {"participation_labels": PARTICIPATION_LABELS,
            "registration_state_labels": REGISTRATION_STATE_LABELS,
            "interpretation_languages": INTERPRETATION_LANGUAGES,
            "Participation": Participation, "RegistrationState": RegistrationState}


def _assembly(number: int) -> Assembly:
    return services.by_number(number) or abort(404)


def _registration(assembly: Assembly, reg_id: int) -> Registration:
    reg = get_scoped_or_404(Registration, reg_id)
    if reg.assembly_id != assembly.id:
        abort(404)
    return reg


@bp.route("/assembly/")
def current():
    assembly = services.latest()
    if assembly is None:
        return render_template("assembly/none.html")
    return redirect_to(url_for("assembly.delegates", number=assembly.number))


# ---- the delegates list ------------------------------------------------------------------------

def _filters() -> services.Filters:
    args = request.args
    return services.Filters(q=args.get("q", ""), participation=args.get("participation", ""),
                            state=args.get("state", ""), arrival=args.get("arrival", ""),
                            interpretation=args.get("interpretation", ""),
                            chapter_id=int_arg("chapter_id"))


@bp.route("/assemblies/<int:number>/delegates/")
def delegates(number: int):
    assembly = _assembly(number)
    filters = _filters()
    result = db.session.execute(services.registrations_query(assembly, filters)).unique()
    rows = services.rows(assembly, result)
    return render("assembly/delegates.html", "assembly/_delegates_table.html",
                  assembly=assembly, rows=rows, filters=filters,
                  chapters=chapter_services.all_chapters() if current_scope() is None else [],
                  may_change=services.may_change(current_user, assembly),
                  interpretation=_interpretation_counts(rows),
                  fee_total=sum(fee_cents(r.registration.international, assembly.fee_cents)
                                for r in rows
                                if r.registration.state is not RegistrationState.WITHDRAWN))


def _interpretation_counts(rows) -> dict[str, int]:
    """Interpreters needed per language, for the registrations listed (withdrawn ones
    left out)."""
    counts: dict[str, int] = {}
    for row in rows:
        reg = row.registration
        if reg.interpretation and reg.state is not RegistrationState.WITHDRAWN:
            counts[reg.interpretation] = counts.get(reg.interpretation, 0) + 1
    return dict(sorted(counts.items()))


@bp.route("/assemblies/<int:number>/delegates.csv")
def delegates_csv(number: int):
    assembly = _assembly(number)
    filters = _filters()
    rows = services.rows(assembly, db.session.execute(
        services.registrations_query(assembly, filters)).unique())
    header = ["chapter", "organization", "full_name", "email", "phone", "participation",
              "state", "delegation_lead", "international", "arrival", "departure",
              "accommodation", "interpretation", "dietary", "access_needs", "offers",
              "consent_list", "fee_usd", "flag"]
    lines = []
    for row in rows:
        r = row.registration
        offers = ", ".join(name for name, on in (("speaker", r.offers_speaker),
                                                 ("cultural sharing", r.offers_cultural),
                                                 ("materials", r.offers_materials)) if on)
        lines.append([r.chapter.code, r.organization.name, r.full_name, r.email, r.phone,
                      r.participation.value, r.state.value, _yes(r.delegation_lead),
                      _yes(r.international), r.arrival.isoformat(), r.departure.isoformat(),
                      _yes(r.accommodation), r.interpretation, r.dietary, r.access_needs,
                      offers, _yes(r.consent_list),
                      format_usd(0 if r.state is RegistrationState.WITHDRAWN
                                 else fee_cents(r.international, assembly.fee_cents)),
                      row.flag or ""])
    return _csv(header, lines, f"assembly-{assembly.number}-delegates")


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _csv(header: list[str], lines: list[list], name: str) -> Response:
    """A CSV download; cells a spreadsheet would run as formulas are quoted."""
    filename = f"{name}-{date.today().isoformat()}.csv"
    return Response("\ufeff" + to_csv(header, lines), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/assemblies/<int:number>/delegates/confirm", methods=["POST"])
def bulk_confirm(number: int):
    assembly = _assembly(number)
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    done = refused = 0
    reasons: list[str] = []
    for reg_id in dict.fromkeys(ids):
        reg = db.session.get(Registration, reg_id)
        if reg is None or reg.assembly_id != assembly.id or (
                current_scope() is not None and reg.chapter_id != current_scope()):
            continue
        if reg.state is RegistrationState.PENDING:
            decision = services.set_state(current_user, reg, RegistrationState.CONFIRMED)
            done, refused = done + bool(decision), refused + (not decision)
            if not decision:
                reasons.append(_(decision.reason, **decision.params))
    if done:
        flash(_("%(num)d registration(s) confirmed.", num=done), "success")
    for reason in dict.fromkeys(reasons):
        flash(reason, "error")
    if not done and not reasons:
        flash(_("Nothing confirmed: tick the pending registrations to confirm."), "error")
    return redirect_to(request.referrer or url_for("assembly.delegates", number=number))


# ---- registering -------------------------------------------------------------------------------

def _form(assembly: Assembly, reg: Registration | None = None) -> RegistrationForm:
    form = RegistrationForm(obj=reg) if reg else RegistrationForm()
    orgs = services.organizations_for(current_user)
    form.organization_id.choices = [("", _("Choose an organization…"))] + [
        (o.id, f"{o.name} ({o.chapter.code})" if current_scope() is None else o.name)
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
    org_id = form.organization_id.data
    if not org_id:
        return None
    org = db.session.get(Organization, org_id)
    scoped = current_scope()
    if org is None or (scoped is not None and org.chapter_id != scoped):
        return None
    return org


def _context(assembly: Assembly, form: RegistrationForm, reg: Registration | None = None
             ) -> dict:
    org = reg.organization if reg is not None else _chosen_org(form)
    choices = services.choices_for(assembly, org, current=reg) if org is not None else None
    values = form.values()
    dates = check_dates(assembly.dates, values["arrival"], values["departure"],
                        accommodation=bool(values["accommodation"])) \
        if values["arrival"] and values["departure"] else None
    return {"assembly": assembly, "form": form, "registration": reg, "organization": org,
            "choices": choices, "dates": dates,
            "may_change": services.may_change(current_user, assembly)}


def _apply_outcome(form: RegistrationForm, outcome: services.Outcome) -> None:
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
            outcome = services.register(current_user, assembly, org, form.values())
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
                                    for o in services.organizations_for(current_user)]
    return render_template("assembly/_participation.html", **_context(assembly, form))


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
        outcome = services.update(current_user, reg, form.values())
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
    decision = services.set_state(current_user, reg, state)
    if decision:
        flash(_("%(name)s: %(state)s.", name=reg.full_name,
                state=_(REGISTRATION_STATE_LABELS[state]).lower()), "success")
    else:
        flash(_(decision.reason, **decision.params), "error")
    return redirect_to(request.referrer or url_for("assembly.delegates", number=number))


# ---- the voting roll ---------------------------------------------------------------------------

@bp.route("/assemblies/<int:number>/voting-roll")
def voting_roll(number: int):
    assembly = _assembly(number)
    return render_template("assembly/voting_roll.html", assembly=assembly,
                           rows=services.voting_roll(assembly))


@bp.route("/assemblies/<int:number>/voting-roll.csv")
def voting_roll_csv(number: int):
    assembly = _assembly(number)
    lines = [[r.registration.chapter.code, r.registration.organization.name,
              r.registration.full_name, r.registration.state.value,
              "no: " + r.flag if r.flag else "yes", r.standing.sentence()]
             for r in services.voting_roll(assembly)]
    return _csv(["chapter", "organization", "voting_delegate", "state", "entitled",
                 "standing"], lines, f"assembly-{assembly.number}-voting-roll")


@bp.route("/assemblies/<int:number>/voting-roll.pdf")
def voting_roll_pdf(number: int):
    from ..documents.pdf import render_pdf, static_url
    from ..web import render_anywhere
    assembly = _assembly(number)
    html = render_anywhere("documents/voting_roll.html", assembly=assembly,
                           rows=services.voting_roll(assembly), static_url=static_url,
                           scope_chapter=current_user.chapter if current_scope() else None)
    data = render_pdf(html, current_app.static_folder)
    filename = f"assembly-{assembly.number}-voting-roll-{date.today().isoformat()}.pdf"
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})





# ---- the assembly's facts (the global secretariat) -----------------------------------------------

def _assembly_form(assembly: Assembly | None) -> AssemblyForm:
    from ..members.queries import all_policies
    form = AssemblyForm(obj=assembly) if assembly else AssemblyForm()
    form.dues_policy_id.choices = [("", _("Choose…"))] + [(p.id, p.name)
                                                          for p in all_policies()]
    if request.method == "GET" and assembly is not None:
        form.fee.data = f"{assembly.fee_cents / 100:.2f}"
        form.registration_opens.data = assembly.opens_on
        form.registration_deadline.data = assembly.deadline_on
    return form


def _save_assembly(form: AssemblyForm, assembly: Assembly | None):
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        if services.number_taken(form.number.data, assembly.id if assembly else None):
            form.number.errors = [_("Another assembly has this number.")]
        else:
            values = {f: form[f].data for f in services.ASSEMBLY_FIELDS
                      if f in form._fields}
            values["fee_cents"] = form.fee_cents
            values["fee_covers"] = (form.fee_covers.data or "").strip()
            saved = services.save_assembly(current_user, assembly, values)
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
