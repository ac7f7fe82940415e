"""CSV exports of organizations and of the dues report (formula-safe cells: see
`csvfiles`; amounts as plain figures such as 150.00, in integer arithmetic)."""
from __future__ import annotations

from ..csvfiles import to_csv
from ..domain.money import plain_amount

ORGANIZATION_HEADER = ["Name", "Chapter", "Country", "Region", "Membership", "Status",
                       "Status since", "Joined on", "Contact person", "E-mail", "Phone",
                       "Owed (US$)", "May vote", "Standing"]


def organizations_csv(rows) -> str:
    return to_csv(ORGANIZATION_HEADER, (
        [r.organization.name, r.organization.chapter.code, r.organization.country,
         r.organization.region.name, r.organization.membership.value,
         r.organization.status.value, r.organization.status_since.isoformat(),
         r.organization.joined_on.isoformat() if r.organization.joined_on else "",
         r.organization.contact_person, r.organization.email, r.organization.phone,
         plain_amount(r.standing.owed_cents), "yes" if r.standing.may_vote else "no",
         r.standing.sentence()] for r in rows))


DUES_HEADER = ["Chapter", "Organization", "Membership", "Due (US$)", "Paid (US$)",
               "Owed (US$)", "Balance (US$)", "Unpaid years", "May vote", "Reason"]


def dues_report_csv(rows) -> str:
    return to_csv(DUES_HEADER, (
        [r.organization.chapter.code, r.organization.name, r.organization.membership.value,
         plain_amount(r.standing.total_due_cents), plain_amount(r.standing.total_paid_cents),
         plain_amount(r.standing.owed_cents), plain_amount(r.standing.balance_cents),
         " ".join(str(y) for y in r.standing.unpaid_years),
         "yes" if r.standing.may_vote else "no", r.standing.sentence()] for r in rows))
