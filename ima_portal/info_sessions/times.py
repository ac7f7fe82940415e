"""A session's time told in a given zone, in the reader's language (Babel's CLDR data):
"Wednesday, October 7, 2026 · 9:00 PM – 10:00 PM (America/New_York)"."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask_babel import get_locale

from ..domain import info_sessions as rules


def _locale() -> str:
    try:
        return str(get_locale() or "en")
    except RuntimeError:  # outside a request
        return "en"


def day_in(moment: datetime, zone: str, locale: str | None = None) -> str:
    return format_date(rules.in_zone(moment, zone).date(), "full", locale=locale or _locale())


def clock_in(moment: datetime, zone: str, locale: str | None = None) -> str:
    return format_time(moment, "short", tzinfo=ZoneInfo(zone), locale=locale or _locale())


def span_in(starts_at: datetime, ends_at: datetime, zone: str,
            locale: str | None = None) -> str:
    """The day and the times from start to end, as read in `zone`."""
    return (f"{day_in(starts_at, zone, locale)} · {clock_in(starts_at, zone, locale)} – "
            f"{clock_in(ends_at, zone, locale)}")


def when(session, zone: str, locale: str | None = None) -> str:
    """The session's time in `zone`, in `locale` (default: the reader's language)."""
    return f"{span_in(session.starts_at, session.ends_at, zone, locale)} ({zone})"
