"""What `/verify/<code>` shows of a receipt: the organization, the amount, what it paid
for, when, and whether the payment still stands or was voided."""
from __future__ import annotations

from ..domain.receipts import status
from ..verification import Verified
from . import queries
from .pdf import METHOD_NAMES


def lookup(code: str) -> Verified | None:
    receipt = queries.by_code(code)
    if receipt is None:
        return None
    return Verified("receipts/verify.html", {
        "doc": receipt, "status": status(queries.is_voided(receipt)),
        "method_names": METHOD_NAMES})
