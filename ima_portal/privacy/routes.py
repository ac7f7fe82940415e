"""A person's data on request: find by e-mail, export as JSON, erase (global
secretariat only; the rest of the portal answers 403)."""
from __future__ import annotations

from datetime import date

from flask import flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import fresh_login, roles_required
from ..domain.privacy import KEPT
from ..domain.roles import Role
from ..web import download, form_status, redirect_to, say
from . import bp, operations, queries
from .forms import EraseForm, PersonForm

admin_only = roles_required(Role.ADMIN)


@bp.route("/admin/people", methods=["GET", "POST"])
@admin_only
def find():
    """Look up what the portal holds about an e-mail address (a POST, so the address
    stays out of logs and browser history)."""
    form = PersonForm()
    data = None
    status = 200
    if form.validate_on_submit():
        data = queries.person(form.email.data)
    elif form.is_submitted():
        status = form_status(form)
    return render_template("privacy/find.html", form=form, data=data, kept=KEPT,
                           erase_form=EraseForm(formdata=None, email=form.email.data)
                           if data else None), status


@bp.route("/admin/people/export", methods=["POST"])
@admin_only
@fresh_login
def export():
    form = PersonForm()
    if not form.validate_on_submit():
        return render_template("privacy/find.html", form=form, data=None, kept=KEPT,
                               erase_form=None), form_status(form)
    data = queries.person(form.email.data)
    return download(operations.export(current_user, data),
                    f"personal-data-{date.today().isoformat()}.json", "application/json")


@bp.route("/admin/people/erase", methods=["POST"])
@admin_only
@fresh_login
def erase():
    form = EraseForm()
    data = queries.person(form.email.data or "")
    if not form.validate_on_submit():
        return render_template("privacy/find.html", form=PersonForm(formdata=None,
                                                                    email=form.email.data),
                               data=data, kept=KEPT, erase_form=form), form_status(form)
    result = operations.erase(current_user, data, date.today())
    if not isinstance(result, operations.Erasure):
        form.confirm.errors.append(say(result.reason, **result.params))
        return render_template("privacy/find.html", form=PersonForm(formdata=None,
                                                                    email=form.email.data),
                               data=data, kept=KEPT, erase_form=form), 422
    flash(_("The person's data is erased. Registrations: %(regs)d · letters and "
            "certificates: %(docs)d · info session sign-ups: %(signups)d · organization "
            "contacts: %(orgs)d · account: %(account)s. What is kept, and why, is listed "
            "below.", regs=result.registrations, docs=result.documents,
            signups=result.info_sessions, orgs=result.contacts,
            account=_("erased") if result.account else _("none")), "success")
    return redirect_to(url_for("privacy.find"))
