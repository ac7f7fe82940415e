"""The assembly's spreadsheets: the delegates list and the voting roll as CSV text
(`csvfiles.to_csv`: formula-safe cells). Money as `format_usd`, from integer cents."""
from __future__ import annotations

from ..csvfiles import to_csv
from ..domain.money import format_usd
from .queries import Row

DELEGATES_HEADER = ["chapter", "organization", "full_name", "email", "phone", "participation",
                    "state", "delegation_lead", "international", "arrival", "departure",
                    "accommodation", "interpretation", "dietary", "access_needs", "offers",
                    "consent_list", "fee_usd", "flag", "fee_status", "fee_still_due_usd"]

ROLL_HEADER = ["chapter", "organization", "voting_delegate", "state", "entitled", "standing"]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def delegates_csv(rows: list[Row]) -> str:
    lines = []
    for row in rows:
        r = row.registration
        offers = ", ".join(name for name, on in (("speaker", r.offers_speaker),
                                                 ("cultural sharing", r.offers_cultural),
                                                 ("materials", r.offers_materials)) if on)
        lines.append([r.chapter.code, r.organization.name, r.full_name, r.email, r.phone,
                      r.participation.value, r.state.value, _yes(r.delegation_lead),
                      _yes(r.international), r.arrival.isoformat(), r.departure.isoformat(),
                      _yes(r.accommodation), r.interpretation, r.dietary, r.access_needs,
                      offers, _yes(r.consent_list), format_usd(row.fee_due),
                      row.flag.message() if row.flag else "",
                      row.fee.status.value if row.fee else "",
                      format_usd(row.fee.still_due_cents) if row.fee else ""])
    return to_csv(DELEGATES_HEADER, lines)


def voting_roll_csv(rows: list[Row]) -> str:
    return to_csv(ROLL_HEADER, [
        [r.registration.chapter.code, r.registration.organization.name,
         r.registration.full_name, r.registration.state.value,
         "no: " + r.flag.message() if r.flag else "yes", r.standing.sentence()] for r in rows])
