"""The logistics spreadsheets, for a hotel or a transport team to use as they are: one
row per person, sorted by date (then name), no internal ids, dates as YYYY-MM-DD, yes/no
for flags (`csvfiles.to_csv`: formula-safe cells, so a phone number starting with + is
written '+44… and a spreadsheet keeps it as text). Withdrawn registrations are never in
them. The columns, file by file:

`assembly-<n>-arrivals-departures-<today>.csv`: everyone, by arrival then departure.

| column | meaning |
|---|---|
| arrival | the day the person arrives |
| departure | the day the person leaves |
| full_name | the name as registered |
| organization | the member organization they come for |
| chapter | the chapter that registered them (its code) |
| country | the organization's country |
| phone | the phone given at registration, if any (+44…: 'shown with an apostrophe) |
| accommodation | yes: stays at the assembly's hotel |
| confirmed | yes: confirmed; no: pending confirmation |

`assembly-<n>-rooming-list-<today>.csv`: the people staying at the hotel, by check-in.

| column | meaning |
|---|---|
| check_in | the first night at the hotel (the arrival day) |
| check_out | the morning they leave (the departure day) |
| nights | how many nights |
| full_name, organization, chapter | as above |
| nights_not_covered | how many of the nights the assembly's fee does not cover |
| dates_not_covered | those nights, each named by the day it begins, separated by spaces |
| access_needs | what the person asked for, as typed (for the room) |
| confirmed | as above |

`assembly-<n>-interpretation-<today>.csv`: the people who asked for interpretation, by the
first assembly day they attend, then language.

| column | meaning |
|---|---|
| first_day | the first day of the assembly they are present on |
| last_day | the last day of the assembly they are present on |
| language | the language to interpret into, by name |
| full_name, organization, chapter, confirmed | as above |

`assembly-<n>-dietary-access-<today>.csv`: the people with a dietary or an access need, by
arrival.

| column | meaning |
|---|---|
| arrival, departure | as above |
| full_name, organization, chapter | as above |
| dietary | the dietary need as typed |
| access_needs | the access need as typed |
| accommodation, confirmed | as above |
"""
from __future__ import annotations

from collections.abc import Sequence

from ..csvfiles import to_csv
from ..domain.assembly import INTERPRETATION_LANGUAGES, AssemblyDates
from ..domain.logistics import (
    Stay,
    days_present,
    in_date_order,
    nights,
    uncovered_nights,
    with_needs,
)

MOVEMENTS_HEADER = ["arrival", "departure", "full_name", "organization", "chapter", "country",
                    "phone", "accommodation", "confirmed"]
ROOMING_HEADER = ["check_in", "check_out", "nights", "full_name", "organization", "chapter",
                  "nights_not_covered", "dates_not_covered", "access_needs", "confirmed"]
INTERPRETATION_HEADER = ["first_day", "last_day", "language", "full_name", "organization",
                         "chapter", "confirmed"]
NEEDS_HEADER = ["arrival", "departure", "full_name", "organization", "chapter", "dietary",
                "access_needs", "accommodation", "confirmed"]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _tidy(text: str) -> str:
    return " ".join(text.split())


def language_name(code: str) -> str:
    return INTERPRETATION_LANGUAGES.get(code, code)


def movements_csv(stays: Sequence[Stay]) -> str:
    return to_csv(MOVEMENTS_HEADER, [
        [s.arrival.isoformat(), s.departure.isoformat(), s.full_name, s.organization,
         s.chapter, s.country, s.phone, _yes(s.accommodation), _yes(s.confirmed)]
        for s in in_date_order(stays)])


def rooming_csv(stays: Sequence[Stay], dates: AssemblyDates) -> str:
    rows = []
    for s in in_date_order(s for s in stays if s.accommodation):
        outside = uncovered_nights(s, dates)
        rows.append([s.arrival.isoformat(), s.departure.isoformat(),
                     len(nights(s.arrival, s.departure)), s.full_name, s.organization,
                     s.chapter, len(outside), " ".join(n.isoformat() for n in outside),
                     _tidy(s.access_needs), _yes(s.confirmed)])
    return to_csv(ROOMING_HEADER, rows)


def interpretation_csv(stays: Sequence[Stay], dates: AssemblyDates) -> str:
    rows = []
    for s in stays:
        present = days_present(s, dates)
        if s.interpretation and present:
            rows.append((present[0], present[-1], language_name(s.interpretation), s))
    rows.sort(key=lambda r: (r[0], r[1], r[2].casefold(), r[3].sort_key))
    return to_csv(INTERPRETATION_HEADER, [
        [first.isoformat(), last.isoformat(), language, s.full_name, s.organization,
         s.chapter, _yes(s.confirmed)] for first, last, language, s in rows])


def needs_csv(stays: Sequence[Stay]) -> str:
    return to_csv(NEEDS_HEADER, [
        [s.arrival.isoformat(), s.departure.isoformat(), s.full_name, s.organization,
         s.chapter, _tidy(s.dietary), _tidy(s.access_needs), _yes(s.accommodation),
         _yes(s.confirmed)] for s in with_needs(stays)])
