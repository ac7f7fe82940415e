"""Public pages: anyone holding a printed copy checks its verification code."""
from __future__ import annotations

from flask import current_app, make_response, redirect, render_template, request, url_for

from ... import verification
from ...auth.access import public
from ...db_types import utcnow
from ...domain import throttle
from .. import bp, operations, queries
from ..view import signed_on, view_of_revision


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
    address = request.remote_addr or "unknown"
    window = current_app.config["VERIFY_THROTTLE_WINDOW"]
    now = utcnow()
    wait = throttle.decide(queries.verify_misses(address, now - window), now=now,
                           limit=current_app.config["VERIFY_THROTTLE_PER_ADDRESS"],
                           window=window)
    if not wait.allowed:
        response = make_response(render_template(
            "statements/verify.html", sign_off=None, code=code,
            throttled_minutes=wait.retry_minutes), 429)
        response.headers["Retry-After"] = str(int(wait.retry_after.total_seconds()) + 1)
        return response
    sign_off = queries.sign_off_by_code(code)
    if sign_off is None:
        # Not a statement's: a visa letter's or a certificate's (areas register lookups).
        found = verification.find(code)
        if found is not None:
            return render_template(found.template, code=code, **found.context)
        operations.record_verify_miss(address)
        return render_template("statements/verify.html", sign_off=None, code=code), 404
    statement = sign_off.statement
    return render_template("statements/verify.html", sign_off=sign_off, code=code,
                           rev=sign_off.revision, statement=statement,
                           view=view_of_revision(sign_off.revision),
                           signed_on=signed_on(sign_off, sign_off.revision.language))
