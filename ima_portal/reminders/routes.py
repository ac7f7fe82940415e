"""The account's choice: reminders by e-mail on or off (a section of the account page)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from . import bp, operations


@bp.route("/account/reminders", methods=["POST"])
def choose():
    """Turns the account's reminder digests on or off."""
    choice = request.form.get("reminders")
    if choice not in ("on", "off"):
        abort(400)
    operations.set_reminders(current_user, choice == "on")
    flash(_("Reminders by e-mail are on.") if choice == "on"
          else _("Reminders by e-mail are off: no digest will be sent to you."), "success")
    return redirect(url_for("auth.account"), code=303)  # its message takes focus (portal.js)
