"""Delegates' verifiable documents: visa invitation letters and certificates of attendance."""
from flask import Blueprint

bp = Blueprint("letters", __name__)


@bp.record_once
def _answer_verification_codes(state) -> None:
    """`/verify/<code>` (the statements' public page) asks this area too, through the
    foundation `verification` registry: statements never import letters."""
    from .. import verification
    from .verify import lookup
    verification.register(state.app, lookup)
