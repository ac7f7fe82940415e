"""CSV exports of organizations and of the dues report. Each cell that a spreadsheet would
read as a formula (=, +, -, @, tab, carriage return) is quoted with a leading apostrophe."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def cell(value) -> str:
    text = "" if value is None else str(value)
    if NUMBER.match(text):  # a plain figure such as -200.00 stays a number
        return text
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(header: list[str], rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()


def dollars(cents: int) -> str:
    """Plain figures for spreadsheets: 150.00"""
    return f"{cents / 100:.2f}" if cents % 100 else f"{cents // 100}.00"


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
         dollars(r.standing.owed_cents), "yes" if r.standing.may_vote else "no",
         r.standing.sentence()] for r in rows))


DUES_HEADER = ["Chapter", "Organization", "Membership", "Due (US$)", "Paid (US$)",
               "Owed (US$)", "Balance (US$)", "Unpaid years", "May vote", "Reason"]


def dues_report_csv(rows) -> str:
    return to_csv(DUES_HEADER, (
        [r.organization.chapter.code, r.organization.name, r.organization.membership.value,
         dollars(r.standing.total_due_cents), dollars(r.standing.total_paid_cents),
         dollars(r.standing.owed_cents), dollars(r.standing.balance_cents),
         " ".join(str(y) for y in r.standing.unpaid_years),
         "yes" if r.standing.may_vote else "no", r.standing.sentence()] for r in rows))

