"""The assembly's logistics, as day and night arithmetic: who arrives and leaves on which
day, who sleeps at the assembly's hotel each night (and which nights the fee does not
cover), how many people need interpretation into each language on each day of the
assembly, and how many have each dietary or access need.

A stay runs from the arrival day to the departure day: its nights are the arrival day up
to the day before departure (someone arriving on 29 November and leaving on 4 December
sleeps five nights: 29 and 30 November, 1, 2 and 3 December). The fee covers the nights
from `nights_from` up to the morning of `checkout_on`. Someone is present on a day of the
assembly when they have arrived by then and not yet left (the arrival and departure days
count). Withdrawn registrations are left out before the rules see them.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .assembly import AssemblyDates


@dataclass(frozen=True)
class Stay:
    """What logistics needs to know of one registered person."""
    full_name: str
    arrival: date
    departure: date
    organization: str = ""
    chapter: str = ""
    country: str = ""
    phone: str = ""
    accommodation: bool = True
    interpretation: str = ""  # a language code, or "" for none
    dietary: str = ""
    access_needs: str = ""
    confirmed: bool = False

    @property
    def sort_key(self) -> tuple:
        return (self.arrival, self.departure, self.full_name.casefold(), self.organization)


def days(first: date, last: date) -> tuple[date, ...]:
    """Every day from `first` to `last`, both included."""
    return tuple(first + timedelta(days=n) for n in range((last - first).days + 1))


def nights(arrival: date, departure: date) -> tuple[date, ...]:
    """The nights of a stay, each named by the day it begins: the arrival day up to the
    day before departure (none when someone leaves on the day they arrive)."""
    return tuple(arrival + timedelta(days=n) for n in range(max(0, (departure - arrival).days)))


def is_covered(night: date, dates: AssemblyDates) -> bool:
    """Does the fee cover `night` (from the first covered night to the check-out morning)?"""
    return dates.nights_from <= night < dates.checkout_on


def covered_nights(dates: AssemblyDates) -> tuple[date, ...]:
    return nights(dates.nights_from, dates.checkout_on)


def uncovered_nights(stay: Stay, dates: AssemblyDates) -> tuple[date, ...]:
    """The nights of a stay at the hotel the fee does not cover (none without a room)."""
    if not stay.accommodation:
        return ()
    return tuple(n for n in nights(stay.arrival, stay.departure) if not is_covered(n, dates))


def assembly_days(dates: AssemblyDates) -> tuple[date, ...]:
    return days(dates.first_day, dates.last_day)


def days_present(stay: Stay, dates: AssemblyDates) -> tuple[date, ...]:
    """The days of the assembly on which `stay`'s person is there."""
    return tuple(d for d in assembly_days(dates) if stay.arrival <= d <= stay.departure)


def in_date_order(stays: Iterable[Stay]) -> list[Stay]:
    return sorted(stays, key=lambda s: s.sort_key)


# ---- arrivals and departures ---------------------------------------------------------------

@dataclass(frozen=True)
class Movements:
    """Who arrives and who leaves on one day."""
    day: date
    arrivals: tuple[Stay, ...]
    departures: tuple[Stay, ...]


def movements_by_day(stays: Iterable[Stay]) -> list[Movements]:
    """Each day someone arrives or leaves, in date order, with the people by name."""
    stays = in_date_order(stays)
    by_day: dict[date, tuple[list[Stay], list[Stay]]] = {}
    for stay in stays:
        by_day.setdefault(stay.arrival, ([], []))[0].append(stay)
        by_day.setdefault(stay.departure, ([], []))[1].append(stay)
    return [Movements(day, tuple(arr), tuple(dep))
            for day, (arr, dep) in sorted(by_day.items())]


# ---- the rooming list ----------------------------------------------------------------------

@dataclass(frozen=True)
class Night:
    """Who sleeps at the assembly's hotel on one night, and whether the fee covers it."""
    night: date
    covered: bool
    guests: tuple[Stay, ...]


def rooming_by_night(stays: Iterable[Stay], dates: AssemblyDates) -> list[Night]:
    """Every covered night (even an empty one) and every other night someone with a room
    stays, in date order, with the guests by name."""
    guests: dict[date, list[Stay]] = {n: [] for n in covered_nights(dates)}
    for stay in in_date_order(s for s in stays if s.accommodation):
        for night in nights(stay.arrival, stay.departure):
            guests.setdefault(night, []).append(stay)
    return [Night(night, is_covered(night, dates), tuple(people))
            for night, people in sorted(guests.items())]


def person_nights(rooming: Sequence[Night], *, covered: bool | None = None) -> int:
    """The nights booked, one per guest per night (only covered or uncovered ones when
    `covered` says so)."""
    return sum(len(n.guests) for n in rooming if covered is None or n.covered is covered)


# ---- interpretation ------------------------------------------------------------------------

@dataclass(frozen=True)
class LanguageNeed:
    """How many people need interpretation into `language` on each day of the assembly
    (`counts` in the order of `assembly_days`), and who they are."""
    language: str
    counts: tuple[int, ...]
    people: tuple[Stay, ...]


def interpretation_by_day(stays: Iterable[Stay], dates: AssemblyDates) -> list[LanguageNeed]:
    """Per language asked for (in code order), the people present on each assembly day."""
    the_days = assembly_days(dates)
    by_language: dict[str, list[Stay]] = {}
    for stay in in_date_order(stays):
        if stay.interpretation:
            by_language.setdefault(stay.interpretation, []).append(stay)
    return [LanguageNeed(language,
                         tuple(sum(1 for s in people if s.arrival <= d <= s.departure)
                               for d in the_days),
                         tuple(people))
            for language, people in sorted(by_language.items())]


def interpreters_per_day(needs: Sequence[LanguageNeed]) -> tuple[int, ...]:
    """On each assembly day, how many languages need an interpreter (some person present)."""
    if not needs:
        return ()
    return tuple(sum(1 for need in needs if need.counts[i])
                 for i in range(len(needs[0].counts)))


# ---- dietary and access needs --------------------------------------------------------------

def need_key(text: str) -> str:
    """Needs typed differently but meaning the same ("Vegetarian", " vegetarian ") are one."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class NeedCount:
    need: str          # as the first person (in date order) typed it, spaces tidied
    count: int
    people: tuple[Stay, ...]


def count_needs(stays: Iterable[Stay], attribute: str) -> list[NeedCount]:
    """Each distinct need in `attribute` ("dietary" or "access_needs") with how many
    people have it, the most frequent first; no need typed, not counted."""
    groups: dict[str, list[Stay]] = {}
    labels: dict[str, str] = {}
    for stay in in_date_order(stays):
        text = getattr(stay, attribute)
        key = need_key(text)
        if key:
            labels.setdefault(key, " ".join(text.split()))
            groups.setdefault(key, []).append(stay)
    counted = [NeedCount(labels[k], len(people), tuple(people)) for k, people in groups.items()]
    return sorted(counted, key=lambda n: (-n.count, n.need.casefold()))


def with_needs(stays: Iterable[Stay]) -> list[Stay]:
    """The people with a dietary or an access need, in date order."""
    return [s for s in in_date_order(stays) if need_key(s.dietary) or need_key(s.access_needs)]
