"""The Global Assembly: who may register as what, the dates, the nights the fee covers,
the deadline, and the voting delegate.

From the constitution and the 5th assembly's call (Bangkok, 30 November to 3 December
2022; arrive by 29 November, leave on 4 December; US$250 per international participant,
covering food except dinner and accommodation from the night of 28 November to check-out
on 4 December):
- Each member organization in good standing has exactly one voting delegate; only a
  regular member, active and up to date on its dues (under the assembly's dues policy),
  may have one. An associate member takes part but does not vote.
- An organization may officially join during the assembly (a guest organization).
- Dates outside the assembly's window are refused; dates outside the recommended arrival
  and departure are allowed with a warning; nights the fee does not cover are counted.
- After the registration deadline only the global secretariat registers or changes a
  registration.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from .common import N_, NP_, Decision, LabelledEnum, Reason
from .dues import MembershipType, MemberStatus, Standing
from .roles import Role

# How far before the first day and after the last a participant may arrive or leave.
WINDOW_DAYS = 7

# Registration days are whole days wherever a chapter is: registration opens when the day
# starts anywhere on Earth (UTC+14) and closes when the deadline day has ended everywhere
# ("anywhere on Earth", UTC-12), so no chapter loses hours of its last day.
EARLIEST_ZONE = timezone(timedelta(hours=14))
ANYWHERE_ON_EARTH = timezone(timedelta(hours=-12))


def opening_moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=EARLIEST_ZONE)


def deadline_moment(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=ANYWHERE_ON_EARTH)


def opening_day(moment: datetime) -> date:
    return moment.astimezone(EARLIEST_ZONE).date()


def deadline_day(moment: datetime) -> date:
    return moment.astimezone(ANYWHERE_ON_EARTH).date()


class Participation(LabelledEnum):
    VOTING = "voting", N_("Voting delegate")
    NON_VOTING = "non_voting", N_("Non-voting delegate")
    OBSERVER = "observer", N_("Observer")
    GUEST = "guest", N_("Guest organization joining at the assembly")


class RegistrationState(LabelledEnum):
    PENDING = "pending", N_("Pending")
    CONFIRMED = "confirmed", N_("Confirmed")
    WITHDRAWN = "withdrawn", N_("Withdrawn")


# Languages interpreters are arranged for, counted per language.
INTERPRETATION_LANGUAGES = {
    "en": "English", "es": "Español", "fr": "Français", "id": "Bahasa Indonesia",
    "tl": "Filipino (Tagalog)", "ar": "العربية (Arabic)", "zh": "中文 (Chinese)",
    "ko": "한국어 (Korean)", "ja": "日本語 (Japanese)", "th": "ไทย (Thai)",
    "pt": "Português", "ne": "नेपाली (Nepali)", "hi": "हिन्दी (Hindi)",
}


@dataclass(frozen=True)
class AssemblyDates:
    first_day: date
    last_day: date
    arrive_by: date          # recommended arrival
    leave_on: date           # recommended departure
    nights_from: date        # the first night the fee covers
    checkout_on: date        # the morning the covered accommodation ends

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError("the assembly ends before it starts")
        if self.checkout_on <= self.nights_from:
            raise ValueError("the covered nights end before they start")

    @property
    def window(self) -> tuple[date, date]:
        return (self.first_day - timedelta(days=WINDOW_DAYS),
                self.last_day + timedelta(days=WINDOW_DAYS))


# The name an assembly has unless the global secretariat names it otherwise: "5th Global
# Assembly". Shown in each reader's language (`web.assembly_name`), which needs the
# ordinal's grammatical form: CLDR's categories, as Babel gives them (en: 1st, 2nd, 3rd,
# 4th, 11th, 21st).
ORDINAL_SUFFIXES = {"one": "st", "two": "nd", "few": "rd", "other": "th"}


def english_ordinal_form(number: int) -> str:
    """CLDR's English ordinal category of `number`: one (1, 21, 101), two (2, 22), few
    (3, 23), other (4-20, 11-13, 111-113...)."""
    if number % 100 in (11, 12, 13):
        return "other"
    return {1: "one", 2: "two", 3: "few"}.get(number % 10, "other")


def default_name(number: int) -> str:
    """The assembly's usual name, in English: "5th Global Assembly"."""
    return f"{number}{ORDINAL_SUFFIXES[english_ordinal_form(number)]} Global Assembly"


def check_assembly_dates(first_day: date, last_day: date, arrive_by: date, leave_on: date,
                         nights_from: date, checkout_on: date) -> dict[str, str]:
    """The global secretariat's dates for an assembly, by field: the recommended arrival
    and departure and the covered nights sit around the assembly (a registration's
    pre-filled dates must be valid)."""
    errors: dict[str, str] = {}
    if last_day < first_day:
        errors["last_day"] = N_("The last day comes before the first.")
        return errors
    window_start = first_day - timedelta(days=WINDOW_DAYS)
    window_end = last_day + timedelta(days=WINDOW_DAYS)
    if not window_start <= arrive_by <= first_day:
        errors["arrive_by"] = N_("The recommended arrival must be within the week before the "
                                 "first day.")
    if not last_day <= leave_on <= window_end:
        errors["leave_on"] = N_("The recommended departure must be within the week after the "
                                "last day.")
    if not window_start <= nights_from <= first_day:
        errors["nights_from"] = N_("The first covered night must be within the week before "
                                   "the first day.")
    if not max(nights_from + timedelta(days=1), last_day) <= checkout_on <= window_end:
        errors["checkout_on"] = N_("Check-out must be after the last day (and within the "
                                   "week after it).")
    return errors


@dataclass(frozen=True)
class DatesCheck:
    errors: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    warnings: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    uncovered_nights: tuple[date, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def _d(day: date) -> date:
    """A day as a message's parameter: the web layer writes it in the reader's style."""
    return day


def check_dates(dates: AssemblyDates, arrival: date | None, departure: date | None, *,
                accommodation: bool) -> DatesCheck:
    """Errors (by field: arrival, departure), warnings, and the nights of the stay the
    fee does not cover (only when the participant needs accommodation)."""
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    warnings: list[tuple[str, dict[str, Any]]] = []
    earliest, latest = dates.window
    if arrival is None:
        errors["arrival"] = (N_("Enter the arrival date, such as %(day)s."),
                             {"day": _d(dates.arrive_by)})
    elif not earliest <= arrival <= dates.last_day:
        errors["arrival"] = (N_("Arrival must be between %(earliest)s and the assembly's last "
                                "day, %(last)s."),
                             {"earliest": _d(earliest), "last": _d(dates.last_day)})
    if departure is None:
        errors["departure"] = (N_("Enter the departure date, such as %(day)s."),
                               {"day": _d(dates.leave_on)})
    elif not dates.first_day <= departure <= latest:
        errors["departure"] = (N_("Departure must be between the assembly's first day, "
                                  "%(first)s, and %(latest)s."),
                               {"first": _d(dates.first_day), "latest": _d(latest)})
    elif arrival is not None and "arrival" not in errors and departure < arrival:
        errors["departure"] = (N_("Departure comes before arrival."), {})
    if errors:
        return DatesCheck(errors)
    assert arrival is not None and departure is not None
    if arrival > dates.arrive_by:
        warnings.append((N_("Arrives after the recommended %(day)s: may miss the opening."),
                         {"day": _d(dates.arrive_by)}))
    if departure < dates.leave_on:
        warnings.append((N_("Leaves before the recommended %(day)s: may miss the closing."),
                         {"day": _d(dates.leave_on)}))
    uncovered: tuple[date, ...] = ()
    if accommodation:
        nights = [arrival + timedelta(days=n) for n in range((departure - arrival).days)]
        uncovered = tuple(n for n in nights if not dates.nights_from <= n < dates.checkout_on)
        if uncovered:
            warnings.append((NP_("%(num)d night not covered by the fee: %(nights)s.",
                                 "%(num)d nights not covered by the fee: %(nights)s."),
                             {"num": len(uncovered),
                              "nights": tuple(uncovered)}))
    return DatesCheck({}, warnings, uncovered)


@dataclass(frozen=True)
class Organization:
    """What the rules need to know of an organization."""
    membership: MembershipType
    status: MemberStatus
    standing: Standing
    name: str = ""
    # An applicant's orientation with its chapter has been recorded.
    oriented: bool = False


def participation_choices(org: Organization) -> dict[Participation, Decision]:
    """Which ways of taking part are open to `org`, each with the reason a user reads.

    A voting delegate: a regular member, active, in good standing. A guest organization
    joining at the assembly: an applicant whose orientation is recorded. Non-voting
    delegates and observers: any member that has not left (an applicant may send an
    observer)."""
    standing = org.standing
    choices: dict[Participation, Decision] = {}
    if org.status is MemberStatus.LEFT:
        refusal = Decision.refuse(N_("This organization has left the alliance."))
        return dict.fromkeys(Participation, refusal)
    if standing.may_vote:
        choices[Participation.VOTING] = Decision.allow(standing.reason, **standing.params)
    elif org.membership is MembershipType.ASSOCIATE:
        choices[Participation.VOTING] = Decision.refuse(
            N_("Associate members take part but do not vote."))
    elif org.status is MemberStatus.APPLICANT:
        choices[Participation.VOTING] = Decision.refuse(
            N_("Not yet a member: it may join at the assembly as a guest organization."))
    elif org.status is MemberStatus.SUSPENDED:
        choices[Participation.VOTING] = Decision.refuse(standing.reason, **standing.params)
    else:
        choices[Participation.VOTING] = Decision.refuse(
            N_("Owes %(amount)s for %(years)s: no voting delegate until the dues are paid."),
            owes_cents=standing.owed_cents, **standing.params)
    if org.status is MemberStatus.APPLICANT and not org.oriented:
        choices[Participation.GUEST] = Decision.refuse(
            N_("Joins officially at the assembly only after its orientation with its "
               "chapter: record the orientation first."), needs_orientation=True)
    if org.status is MemberStatus.APPLICANT:
        choices.setdefault(Participation.GUEST, Decision.allow(
            N_("Joins officially at the assembly, after the orientation with its chapter.")))
        choices[Participation.NON_VOTING] = Decision.refuse(
            N_("Not yet a member: register it as a guest organization or an observer."))
    else:
        choices[Participation.GUEST] = Decision.refuse(
            N_("Already a member: only an applicant joins at the assembly."))
        if org.status is MemberStatus.SUSPENDED:
            choices[Participation.NON_VOTING] = Decision.refuse(
                N_("A suspended member may send an observer only."))
        else:
            choices[Participation.NON_VOTING] = Decision.allow()
    choices[Participation.OBSERVER] = Decision.allow()
    return {p: choices[p] for p in Participation}


def may_change_registrations(role: Role, now: datetime, deadline: datetime,
                             opens: datetime | None = None) -> Decision:
    """Before the deadline a chapter secretariat registers and changes its chapter's
    registrations; after it (or before registration opens) only the global secretariat."""
    if role is Role.ADMIN:
        return Decision.allow()
    if role is not Role.SECRETARIAT:
        return Decision.refuse(N_("Chapter secretariats register their delegates; the chair "
                                  "reads the lists."))
    if opens is not None and now < opens:
        return Decision.refuse(N_("Registration opens on %(day)s."), day=_d(opening_day(opens)))
    if now > deadline:
        return Decision.refuse(N_("The registration deadline (%(day)s, anywhere on Earth) has "
                                  "passed: ask the global secretariat to make the change."),
                               day=_d(deadline_day(deadline)))
    return Decision.allow()


def voting_flag(participation: Participation, state: RegistrationState,
                org: Organization) -> Reason | None:
    """A voting delegate whose organization may no longer vote (a payment voided, a
    suspension) is flagged with the reason (the refusal), never dropped silently."""
    if participation is not Participation.VOTING or state is RegistrationState.WITHDRAWN:
        return None
    decision = participation_choices(org)[Participation.VOTING]
    return None if decision.ok else Reason.of(decision)


VOTING_TAKEN = N_("%(org)s already has a voting delegate for this assembly: %(name)s. An "
                  "organization has exactly one; register this person as a non-voting "
                  "delegate, or withdraw the other registration first.")


# ---- what may be done to a registration ----------------------------------------------------

class RegistrationAction(LabelledEnum):
    EDIT = "edit", N_("Edit")
    CONFIRM = "confirm", N_("Confirm")
    BACK_TO_PENDING = "back_to_pending", N_("Back to pending")
    WITHDRAW = "withdraw", N_("Withdraw (the record is kept)")


# The state each action leads to (editing leaves the state as it is).
LEADS_TO = {
    RegistrationAction.CONFIRM: RegistrationState.CONFIRMED,
    RegistrationAction.BACK_TO_PENDING: RegistrationState.PENDING,
    RegistrationAction.WITHDRAW: RegistrationState.WITHDRAWN,
}

WITHDRAWN_KEPT = N_("This registration was withdrawn; register the person again instead.")


def action_to(state: RegistrationState) -> RegistrationAction:
    """The action that puts a registration in `state`."""
    return next(a for a, target in LEADS_TO.items() if target is state)


@dataclass(frozen=True)
class Registration:
    """What the rules need to know of a registration: who, as what, in which state, and
    the facts of its organization (whose standing decides the vote)."""
    full_name: str
    participation: Participation
    state: RegistrationState
    organization: Organization


@dataclass(frozen=True)
class Changer:
    """Who asks, and when, against the assembly's registration period."""
    role: Role
    now: datetime
    deadline: datetime
    opens: datetime | None = None

    def may_change(self) -> Decision:
        return may_change_registrations(self.role, self.now, self.deadline, self.opens)


def decide_registration(action: RegistrationAction, reg: Registration,
                        changer: Changer) -> Decision:
    """May `changer` take `action` on `reg` now? Only while they may change registrations
    (the deadline, their role); a withdrawn registration is kept as it was (the person is
    registered again instead); a voting delegate whose organization may not vote (dues,
    membership) is not confirmed. Asking for the state a registration is already in is
    allowed: nothing changes."""
    if action is RegistrationAction.EDIT:
        if reg.state is RegistrationState.WITHDRAWN:
            return Decision.refuse(WITHDRAWN_KEPT)
        return changer.may_change()
    allowed = changer.may_change()
    if not allowed:
        return allowed
    target = LEADS_TO[action]
    if reg.state is target:
        return Decision.allow()
    if reg.state is RegistrationState.WITHDRAWN:
        return Decision.refuse(WITHDRAWN_KEPT)
    if target is RegistrationState.CONFIRMED and reg.participation is Participation.VOTING:
        vote = participation_choices(reg.organization)[Participation.VOTING]
        if not vote:
            return Decision.refuse(N_("%(name)s cannot be confirmed as the voting delegate "
                                      "of %(org)s: %(why)s"), name=reg.full_name,
                                   org=reg.organization.name, why=vote)
    return Decision.allow()


def allowed_actions(reg: Registration, changer: Changer) -> list[RegistrationAction]:
    """The actions `changer` could take on `reg` now that change something (what the
    delegates list and the registration's page offer)."""
    return [a for a in RegistrationAction
            if LEADS_TO.get(a) is not reg.state and decide_registration(a, reg, changer)]


# ---- the fee -------------------------------------------------------------------------------

def fee_due(international: bool, state: RegistrationState, fee: int) -> int:
    """What a registration owes: the assembly's fee, for international participants
    only; a withdrawn registration owes nothing."""
    if state is RegistrationState.WITHDRAWN or not international:
        return 0
    return fee
