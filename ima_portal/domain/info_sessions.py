"""Info sessions before an assembly, their public sign-up, and an applicant's orientation.

A chapter runs info sessions before the Global Assembly (the US chapter: weekly, 6-7 pm
Pacific / 9-10 pm Eastern, with registration and interpretation on request). A session is
scheduled as a local date and times in a named (IANA) time zone and stored in UTC; anyone
with the chapter's public sign-up link registers, told the time in their own zone. An
applicant organization joins at the assembly only after its orientation with its chapter.
Plain Python: no flask, no sqlalchemy.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .common import N_, NP_, Decision
from .dues import MemberStatus
from .roles import Role

# The languages a session is held in or interpreted into.
LANGUAGES = {"en": N_("English"), "id": N_("Bahasa Indonesia"), "es": N_("Español"),
             "fr": N_("Français")}

MAX_WEEKS = 26          # "repeat weekly for N weeks": at most half a year at once
MAX_MINUTES = 8 * 60    # a session longer than a working day is a typing mistake
SIGNUP_LIMIT_PER_EMAIL = 5     # sign-ups for one e-mail within the window
SIGNUP_LIMIT_PER_ADDRESS = 20  # sign-ups from one address within the window
SIGNUP_WINDOW = timedelta(minutes=15)

THROTTLED = NP_("Too many sign-ups were sent from here in a short time. Please wait "
                "%(num)d minute and try again.",
                "Too many sign-ups were sent from here in a short time. Please wait "
                "%(num)d minutes and try again.")


# ---- time zones ------------------------------------------------------------------------------

@cache
def all_zones() -> tuple[str, ...]:
    """Every IANA zone name the system knows (zoneinfo), sorted; the old aliases left out
    where a current name exists."""
    return tuple(sorted(z for z in available_timezones()
                        if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))
                        and z not in ("posixrules",)) + ["UTC"])


@cache
def zone_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The zones grouped by their region (the part before the first slash)."""
    groups: dict[str, list[str]] = {}
    for zone in all_zones():
        region = zone.split("/", 1)[0] if "/" in zone else "UTC"
        groups.setdefault(region, []).append(zone)
    return tuple((region, tuple(zones)) for region, zones in sorted(groups.items()))


def is_zone(name: str | None) -> bool:
    if not name or name != name.strip() or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_or(name: str | None, fallback: str) -> str:
    """`name` if it is a zone, else `fallback` (a hand-edited address never errors)."""
    return name if is_zone(name) else fallback


def local_to_utc(day: date, at: time, zone: str) -> datetime | None:
    """The UTC moment of a wall-clock time in `zone`, or None when that time does not
    exist there (skipped by a change to summer time)."""
    tz = ZoneInfo(zone)
    local = datetime.combine(day, at, tzinfo=tz)
    moment = local.astimezone(UTC)
    back = moment.astimezone(tz)
    if (back.date(), back.time().replace(tzinfo=None)) != (day, at.replace(tzinfo=None)):
        return None
    return moment


def in_zone(moment: datetime, zone: str) -> datetime:
    """A stored (UTC) moment as the wall-clock time in `zone`."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone))


# ---- scheduling ------------------------------------------------------------------------------

def may_manage_sessions(role: Role) -> Decision:
    """A chapter secretariat schedules its chapter's sessions; the global secretariat may
    too (for any chapter). The chair reads them."""
    if role in (Role.SECRETARIAT, Role.ADMIN):
        return Decision.allow()
    return Decision.refuse(N_("Chapter secretariats schedule info sessions; the chair reads "
                              "them."))


def check_call_link(url: str) -> str | None:
    """An error for a call link that is not a plain https address, or None."""
    url = (url or "").strip()
    if not url:
        return None  # the link may be sent later
    if any(c.isspace() for c in url) or len(url) > 500:
        return N_("Enter one address, without spaces.")
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        return N_("The call link must start with https:// (a secure address).")
    if not parts.hostname or "." not in parts.hostname or parts.username or parts.password:
        return N_("Enter the call's address, such as https://meet.example.org/ima-info.")
    return None


@dataclass(frozen=True)
class Schedule:
    """The sessions a scheduling form asks for, or the errors by field."""
    moments: tuple[tuple[datetime, datetime], ...] = ()
    errors: dict[str, tuple[str, dict]] | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def schedule(day: date, start: time, end: time, zone: str, *, weeks: int = 1,
             now: datetime | None = None) -> Schedule:
    """The (start, end) UTC moments of a session on `day` from `start` to `end` in
    `zone`, repeated weekly `weeks` times. The wall-clock time stays the same each week,
    so across a change of summer time the UTC moments move by an hour."""
    errors: dict[str, tuple[str, dict]] = {}
    if not is_zone(zone):
        errors["timezone"] = (N_("Choose a time zone from the list."), {})
    if end <= start:
        errors["end_time"] = (N_("The session ends after it starts (on the same day)."), {})
    elif (datetime.combine(day, end) - datetime.combine(day, start)) > timedelta(
            minutes=MAX_MINUTES):
        errors["end_time"] = (N_("A session lasts at most %(hours)s hours."),
                              {"hours": MAX_MINUTES // 60})
    if not 1 <= weeks <= MAX_WEEKS:
        errors["weeks"] = (N_("Repeat for 1 to %(max)s weeks."), {"max": MAX_WEEKS})
    if errors:
        return Schedule(errors=errors)
    moments = []
    for n in range(weeks):
        d = day + timedelta(weeks=n)
        s, e = local_to_utc(d, start, zone), local_to_utc(d, end, zone)
        if s is None or e is None:
            return Schedule(errors={"start_time": (
                N_("%(day)s: that time does not exist in %(zone)s (the clocks change that "
                   "night). Choose another time."), {"day": d, "zone": zone})})
        moments.append((s, e))
    if now is not None and moments[0][0] <= now:
        return Schedule(errors={"day": (N_("Choose a day and time still to come."), {})})
    return Schedule(tuple(moments))


# ---- sign-up ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SessionFacts:
    starts_at: datetime
    cancelled: bool
    capacity: int | None
    registered: int
    languages: tuple[str, ...] = ("en",)


def may_register(session: SessionFacts, now: datetime) -> Decision:
    if session.cancelled:
        return Decision.refuse(N_("This session has been cancelled."))
    if session.starts_at <= now:
        return Decision.refuse(N_("This session has already started."))
    if session.capacity is not None and session.registered >= session.capacity:
        return Decision.refuse(N_("This session is full. Choose another one."))
    return Decision.allow()


def check_interpretation(wanted: str | None) -> str | None:
    """An error when interpretation is asked into a language the alliance does not
    interpret into (any of LANGUAGES may be asked for, whatever the session is held in)."""
    if not wanted:
        return None
    if wanted not in LANGUAGES:
        return N_("Choose a language from the list.")
    return None


def interpreters_needed(wanted: Iterable[str | None]) -> dict[str, int]:
    """How many registrants want interpretation into each language (languages in the
    order of LANGUAGES; those nobody asked for left out)."""
    counts = Counter(w for w in wanted if w)
    return {code: counts[code] for code in LANGUAGES if counts[code]}


def may_mail_call_link(call_link: str, cancelled: bool, registrants: int) -> Decision:
    if cancelled:
        return Decision.refuse(N_("This session has been cancelled."))
    if not call_link:
        return Decision.refuse(N_("Add the call link to the session first."))
    if registrants == 0:
        return Decision.refuse(N_("Nobody has registered yet."))
    return Decision.allow()


def may_cancel(cancelled: bool) -> Decision:
    if cancelled:
        return Decision.refuse(N_("This session is already cancelled."))
    return Decision.allow()


# ---- orientation -----------------------------------------------------------------------------

def may_record_orientation(role: Role, status: MemberStatus) -> Decision:
    """Its chapter's secretariat (or the global secretariat) records an applicant's
    orientation."""
    if role not in (Role.SECRETARIAT, Role.ADMIN):
        return Decision.refuse(N_("The chapter secretariat records orientations."))
    if status is not MemberStatus.APPLICANT:
        return Decision.refuse(N_("Only an applicant has an orientation before it joins."))
    return Decision.allow()


def check_orientation(held_on: date | None, today: date) -> str | None:
    if held_on is None:
        return N_("Enter the day the orientation was held.")
    if held_on > today:
        return N_("Record an orientation once it has been held (not a day to come).")
    return None
