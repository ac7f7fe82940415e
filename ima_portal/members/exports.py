"""CSV exports of organizations and of the dues report (formula-safe cells: see
`csvfiles`; amounts as plain figures such as 150.00, in integer arithmetic)."""
from __future__ import annotations

from flask_babel import gettext as _

from ..csvfiles import to_csv
from ..domain.common import N_
from ..domain.money import plain_amount

# The organizations' CSV is read back by the import (its columns and values are the
# import's, in English, whatever the language); the dues report is for people: its header,
# labels and yes/no are in the reader's language (figures stay plain, 150.00).
ORGANIZATION_HEADER = ["Name", "Chapter", "Country", "Region", "Membership", "Status",
                       "Status since", "Joined on", "Contact person", "E-mail", "Phone",
                       "Owed (US$)", "May vote", "Standing"]


def _header(names: list[str]) -> list[str]:
    return [_(name) for name in names]


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def organizations_csv(rows) -> str:
    return to_csv(ORGANIZATION_HEADER, (
        [r.organization.name, r.organization.chapter.code, r.organization.country,
         r.organization.region.name, r.organization.membership.value,
         r.organization.status.value, r.organization.status_since.isoformat(),
         r.organization.joined_on.isoformat() if r.organization.joined_on else "",
         r.organization.contact_person, r.organization.email, r.organization.phone,
         plain_amount(r.standing.owed_cents), "yes" if r.standing.may_vote else "no",
         r.standing.sentence()] for r in rows))


DUES_HEADER = [N_("Chapter"), N_("Organization"), N_("Membership"), N_("Due (US$)"),
               N_("Paid (US$)"), N_("Owed (US$)"), N_("Balance (US$)"), N_("Unpaid years"),
               N_("May vote"), N_("Reason")]


def dues_report_csv(rows) -> str:
    return to_csv(_header(DUES_HEADER), (
        [r.organization.chapter.code, r.organization.name, _(r.organization.membership.label),
         plain_amount(r.standing.total_due_cents), plain_amount(r.standing.total_paid_cents),
         plain_amount(r.standing.owed_cents), plain_amount(r.standing.balance_cents),
         " ".join(str(y) for y in r.standing.unpaid_years),
         _yes_no(r.standing.may_vote), r.standing.sentence()] for r in rows))
