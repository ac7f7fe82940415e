"""What `/verify/<code>` shows of a letter or certificate: only what an embassy or a
reader needs to confirm it (name, nationality, assembly, dates, issued by and on, valid or
withdrawn), never the passport number in full (its last three characters)."""
from __future__ import annotations

from ..domain.letters import public_validity
from ..verification import Verified
from . import queries


def lookup(code: str) -> Verified | None:
    doc = queries.by_code(code)
    if doc is None:
        return None
    validity = public_validity(doc.current_state)
    if validity is None:
        return None
    return Verified("letters/verify.html", {"doc": doc, "validity": validity,
                                            "assembly": doc.assembly})
