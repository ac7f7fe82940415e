"""One transaction per request, committed in one place.

`PortalFlask.dispatch_request` runs the view and then ends the request's transaction:
it commits when the view answered with success (a status below 400) and rolls back when
the view raised (an `abort`, an error) or answered with a refusal (a 4xx: a form with
errors, a decision the rules refused). Views and operations never commit: operations
flush, so that the view can show what they did, and the commit happens here, after the
view; mail and jobs queued in the session are handed over by the session's
`after_commit` (see `mailer` and `jobs`), so a rolled-back change sends nothing.

A refusal that must still keep something (the editor's text set aside when a save
conflicts, so nothing typed is lost) says so with `keep_despite_refusal()`.

The command line and the worker own their transactions: they call operations and commit
themselves."""
from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from .extensions import db

_KEEP = "ima_keep_despite_refusal"


def keep_despite_refusal(session: Session | None = None) -> None:
    """The current transaction is kept even though the request answers with a refusal."""
    (session or db.session).info[_KEEP] = True


def finish(status: int) -> None:
    """Commits the request's transaction after a success, rolls it back after a refusal."""
    session = db.session
    keep = session.info.pop(_KEEP, False)
    if status < 400 or keep:
        session.commit()
    else:
        session.rollback()


class PortalFlask(Flask):
    """Flask whose every view runs in one transaction (see the module's docstring)."""

    def dispatch_request(self):  # type: ignore[override]
        try:
            rv = super().dispatch_request()
            response = self.make_response(rv)
        except BaseException:
            db.session.info.pop(_KEEP, None)
            db.session.rollback()
            raise
        finish(response.status_code)
        return response
