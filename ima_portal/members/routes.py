from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.access import (
    csrf_in_form,
    current_scope,
    fresh_login,
    get_scoped_or_404,
    role_allowed,
    roles_required,
)
from ..chapters.queries import all_chapters, all_regions
from ..domain.dues import MembershipType, MemberStatus
from ..domain.info_sessions import may_record_orientation
from ..domain.roles import Role, may_keep_member_records
from ..extensions import db
from ..web import (
    csv_download,
    form_status,
    inline_validation,
    int_arg,
    paginate_rows,
    redirect_to,
    render,
    say,
    text_arg,
    usd,
    wants_fragment,
)
from . import bp, exports, importing, operations, queries
from .forms import (
    CHANNEL_LABELS,
    METHOD_LABELS,
    DuesPolicyForm,
    OrganizationForm,
    OrientationForm,
    PaymentForm,
    VoidForm,
)
from .models import DuesEntry, DuesPolicyRecord, Organization

keepers_only = role_allowed(may_keep_member_records)  # the same rule the pages show


@bp.app_context_processor
def member_labels():
    return {"channel_labels": CHANNEL_LABELS, "method_labels": METHOD_LABELS}


def _filters() -> queries.Filters:
    return queries.Filters(q=text_arg("q"), chapter_id=int_arg("chapter_id"),
                           region_id=int_arg("region_id"),
                           membership=text_arg("membership"),
                           status=text_arg("status"), standing=text_arg("standing"),
                           sort=text_arg("sort", "name"))


@bp.route("/organizations/")
def index():
    filters = _filters()
    policy_record = queries.current_policy_record()
    policy = queries.as_policy(policy_record)
    page = paginate_rows(queries.organizations_query(current_user, filters),
                         count=queries.organizations_count(current_user, filters),
                         page=int_arg("page") or 1, per_page=current_app.config["PAGE_SIZE"])
    return render("members/index.html", "members/_table.html",
                  rows=queries.rows(page.items, policy), page=page, filters=filters,
                  policy=policy_record,
                  chapters=all_chapters() if current_scope() is None else [],
                  regions=all_regions(),
                  standing_filters=queries.STANDING_FILTERS, sorts=queries.SORTS,
                  memberships=list(MembershipType), statuses=list(MemberStatus),
                  may_change=may_keep_member_records(current_user.role))


@bp.route("/organizations/export.csv")
def export_csv():
    """The organizations of the list as filtered, every page."""
    return csv_download(exports.organizations_csv(queries.all_rows(current_user, _filters())),
                        "organizations")


@bp.route("/organizations/dues-report.csv")
def dues_report_csv():
    """Per organization (by chapter): membership, due, paid, owed, balance, may vote."""
    filters = _filters()
    filters.sort = "chapter"
    return csv_download(exports.dues_report_csv(queries.all_rows(current_user, filters)),
                        "dues-report")


def _read_upload() -> tuple[str, str]:
    """The CSV text sent (a file, or the text kept by the preview page), and a problem."""
    if "csv_text" in request.form:
        return request.form["csv_text"], ""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return "", _("Choose a CSV file to import.")
    data = upload.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), ""
        except UnicodeDecodeError:
            continue
    return "", _("The file is not text (CSV saved as UTF-8 is best).")


@bp.route("/organizations/import", methods=["GET", "POST"])
@keepers_only
def import_csv():
    """Step 1: upload and preview. Nothing is written here."""
    if request.method == "GET":
        return render("members/import.html", preview=None, csv_text="", problem="")
    text, problem = _read_upload()
    result = importing.preview(text, fixed_chapter_id=current_scope()) if text else None
    status = 200 if result is not None and result.valid else 422
    return render("members/import.html", preview=result, csv_text=text,
                  problem=problem), status


@bp.route("/organizations/import/confirm", methods=["POST"])
@keepers_only
def import_confirm():
    """Step 2: checks the rows again (others may have added some since) and adds every
    valid one in one transaction."""
    text = request.form.get("csv_text", "")
    result = importing.preview(text, fixed_chapter_id=current_scope())
    if not result.valid:
        return render("members/import.html", preview=result, csv_text=text, problem=""), 422
    added = operations.import_organizations(current_user, result.valid)
    skipped = len(result.invalid)
    flash(ngettext("%(num)d organization imported.", "%(num)d organizations imported.", added)
          + (" " + ngettext("%(num)d row with problems was left out.",
                            "%(num)d rows with problems were left out.", skipped)
             if skipped else ""), "success")
    return redirect_to(url_for("members.index", sort="recent"))


@bp.route("/dues-policies", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
@csrf_in_form
@fresh_login
def policies():
    """The global secretariat keeps the dues rules: the yearly rate and the years an
    assembly reckons. A policy is never edited once used; a new one is made current."""
    form = DuesPolicyForm()
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        policy = operations.create_policy(
            current_user, name=form.name.data, rate_cents=form.rate_cents,
            first_year=form.first_year.data, last_year=form.last_year.data,
            payments_from=form.payments_from.data, current=form.make_current.data)
        flash(_("Dues policy “%(name)s” added.", name=policy.name), "success")
        return redirect_to(url_for("members.policies"))
    return render("members/policies.html", form=form, policies=queries.all_policies()), \
        form_status(form)


@bp.route("/dues-policies/<int:policy_id>/current", methods=["POST"])
@roles_required(Role.ADMIN)
@fresh_login
def make_policy_current(policy_id: int):
    policy = db.get_or_404(DuesPolicyRecord, policy_id)
    operations.make_current(current_user, policy)
    flash(_("Standing is now reckoned under “%(name)s”.", name=policy.name), "success")
    return redirect_to(url_for("members.policies"))


@bp.route("/dues-check")
def dues_check():
    q = text_arg("q")
    policy_record = queries.current_policy_record()
    results = queries.search_standing(current_user, q, queries.as_policy(policy_record))
    return render("members/dues_check.html", "members/_dues_cards.html", q=q, results=results,
                  policy=policy_record)


def _form_choices() -> dict:
    scoped = current_scope()
    return {"chapters": all_chapters(), "regions": all_regions(),
            "fixed_chapter_id": scoped}


@bp.route("/organizations/new", methods=["GET", "POST"])
@keepers_only
@csrf_in_form
def new():
    form = OrganizationForm(**_form_choices())
    if request.method == "GET" and current_user.chapter:
        form.region_id.data = current_user.chapter.region_id
        form.country.data = form.country.data or current_user.chapter.country
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        org = operations.create_organization(current_user, chapter_id=form.chapter_id.data,
                                             status_since=form.status_since.data,
                                             **form.values())
        flash(_("%(name)s has been added.", name=org.name), "success")
        return redirect_to(url_for("members.detail", organization_id=org.id))
    return render("members/form.html", form=form, organization=None), form_status(form)


def _organization(organization_id: int) -> Organization:
    return get_scoped_or_404(Organization, organization_id)


def _entry(org: Organization, entry_id: int) -> DuesEntry:
    """A ledger line of `org` (already scoped), or 404."""
    entry = db.session.get(DuesEntry, entry_id)
    if entry is None or entry.organization_id != org.id:
        abort(404)
    return entry


@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
@keepers_only
@csrf_in_form
def edit(organization_id: int):
    org = _organization(organization_id)
    form = OrganizationForm(obj=org, organization_id=org.id, **_form_choices())
    if request.method == "GET":
        form.membership.data, form.status.data = org.membership.value, org.status.value
        form.status_since.data = org.status_since
    if (answer := inline_validation(form)) is not None:
        return answer
    if form.validate_on_submit():
        values = form.values()
        if current_scope() is None:
            values["chapter_id"] = form.chapter_id.data
        operations.update_organization(current_user, org,
                                       status_since=form.status_since.data, **values)
        flash(_("%(name)s has been saved.", name=org.name), "success")
        return redirect_to(url_for("members.detail", organization_id=org.id))
    return render("members/form.html", form=form, organization=org), form_status(form)


def _dues_context(org: Organization, payment_form: PaymentForm | None = None) -> dict:
    policy_record = queries.current_policy_record()
    entries = queries.ledger(org)
    return {"organization": org, "entries": entries, "voided": queries.voided_ids(entries),
            "remitted": queries.remittances(entries), "today": date.today().isoformat(),
            "standing": queries.standing_from_ledger(org, entries,
                                                      queries.as_policy(policy_record)),
            "policy": policy_record, "payment_form": payment_form or PaymentForm(formdata=None),
            "void_form": VoidForm(formdata=None),
            "may_change": may_keep_member_records(current_user.role)}


@bp.route("/organizations/<int:organization_id>")
def detail(organization_id: int):
    org = _organization(organization_id)
    return render("members/detail.html", **_dues_context(org), **_orientation_context(org))


@bp.route("/organizations/<int:organization_id>/payments", methods=["POST"])
@keepers_only
@csrf_in_form
def record_payment(organization_id: int):
    org = _organization(organization_id)
    form = PaymentForm()
    form.viewer_scope = current_scope()
    if (answer := inline_validation(form)) is not None:
        return answer
    status = 200
    result = operations.record_payment(current_user, org, **form.values()) \
        if form.validate_on_submit() else None
    if isinstance(result, DuesEntry):
        flash(_("Payment of %(amount)s recorded.", amount=usd(result.usd_cents)),
              "success")
        if not wants_fragment():
            return redirect_to(url_for("members.detail", organization_id=org.id))
        form = None
    else:
        if result is not None:  # refused by the service: the same reference, just now
            form.reference.errors = [say(result.reason, **result.params)]
        status = form_status(form) if result is None else 422
        if not wants_fragment():
            return render("members/detail.html", **_dues_context(org, form)), status
    return render_template("members/_dues.html", oob_messages=True,
                           **_dues_context(org, form)), status


@bp.route("/organizations/<int:organization_id>/entries/<int:entry_id>/remitted",
          methods=["POST"])
@keepers_only
def remitted(organization_id: int, entry_id: int):
    org = _organization(organization_id)
    entry = _entry(org, entry_id)
    try:
        on = date.fromisoformat(request.form.get("remitted_on", ""))
    except ValueError:
        on = None
    decision = operations.mark_remitted(current_user, org, entry, on) if on else None
    if decision:
        flash(_("Marked as remitted to the global secretariat."), "success")
    else:
        flash(say(decision.reason, **decision.params) if decision is not None
              else _("Enter the date it was remitted, such as 2022-06-30."), "error")
    if not wants_fragment():
        return redirect_to(url_for("members.detail", organization_id=org.id))
    return render_template("members/_dues.html", oob_messages=True, **_dues_context(org)), \
        200 if decision else 422


@bp.route("/organizations/<int:organization_id>/entries/<int:entry_id>/void",
          methods=["POST"])
@keepers_only
def void(organization_id: int, entry_id: int):
    org = _organization(organization_id)
    entry = _entry(org, entry_id)
    form = VoidForm()
    if form.validate_on_submit():
        decision = operations.void_payment(current_user, org, entry, form.reason.data)
        if decision:
            flash(_("The payment has been voided; the standing is recomputed."), "success")
        else:
            flash(say(decision.reason, **decision.params), "error")
    else:
        flash(" ".join(str(e) for e in form.reason.errors) or _("The payment was not voided."),
              "error")
    if not wants_fragment():
        return redirect_to(url_for("members.detail", organization_id=org.id))
    return render_template("members/_dues.html", oob_messages=True, **_dues_context(org))


# --- an applicant's orientation -------------------------------------------------------------

def _orientation_context(org: Organization, form: OrientationForm | None = None) -> dict:
    return {"orientations": queries.orientations(org.id),
            "orientation_form": form or OrientationForm(formdata=None),
            "may_record_orientation": may_record_orientation(current_user.role, org.status)}


@bp.route("/organizations/<int:organization_id>/orientation", methods=["POST"])
@keepers_only
@csrf_in_form
def record_orientation(organization_id: int):
    """An applicant's orientation with its chapter: recorded in place (HTMX) or, without
    script, back to the organization's page."""
    org = _organization(organization_id)
    form = OrientationForm()
    status = 200
    if form.validate_on_submit():
        decision = operations.record_orientation(current_user, org, held_on=form.held_on.data,
                                                 attended=form.attended.data,
                                                 notes=form.notes.data or "")
        if decision:
            flash(_("The orientation of %(name)s has been recorded.", name=org.name),
                  "success")
            if not wants_fragment():
                return redirect_to(url_for("members.detail", organization_id=org.id)
                                   + "#orientation-section")
            form = None
        else:
            target = form.held_on if decision.params.get("field") == "held_on" else None
            message = _(decision.reason)
            if target is not None:
                target.errors = [message]
            else:
                form.form_errors.append(message)
            status = 422
    else:
        status = form_status(form)
    if not wants_fragment():
        return render("members/detail.html", **_dues_context(org),
                      **_orientation_context(org, form)), status
    return render_template("members/_orientation.html", oob_messages=True, organization=org,
                           **_orientation_context(org, form)), status
