"""Receipts for dues and fee payments: a PDF per payment, kept, mailed to the
organization's contact, verifiable at `/verify/<code>`."""
from flask import Blueprint

bp = Blueprint("receipts", __name__)


@bp.record_once
def _answer_verification_codes(state) -> None:
    """`/verify/<code>` (the statements' public page) asks this area too, through the
    foundation `verification` registry: statements never import receipts."""
    from .. import verification
    from .verify import lookup
    verification.register(state.app, lookup)
