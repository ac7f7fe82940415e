"""What every statements view shares: the statement the user may see, and the names the
templates use."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from ...domain.statements import LANGUAGE_SHORT, LANGUAGES, Action, Occasion, State
from .. import bp, queries
from ..models import Statement


@bp.app_context_processor
def statement_names():
    return {"languages": LANGUAGES, "language_short": LANGUAGE_SHORT, "Action": Action,
            "State": State, "Occasion": Occasion}


def statement_or_404(statement_id: int, *, history: bool = False) -> Statement:
    """The statement if the user may see it, else 404. With `history`, only for those
    who answer for it or review it: a chapter secretariat reads the alliance's approved
    statements, not their drafts, revisions or comments."""
    statement = queries.get_visible(current_user, statement_id, history=history)
    if statement is None:
        abort(404)
    return statement


def actor():
    """The signed-in user as the rules see them."""
    return queries.actor_of(current_user)
