"""Reminders that send themselves: when a digest is due, and for which period.

A chapter secretariat gets a digest of what needs doing before the assembly's
registration deadline, while registration is open: once a week, then once a day in the
last `DAILY_FROM_DAYS` days. The chair gets a digest of the statements that have waited for
sign-off longer than `CHAIR_WAIT`, once a day while there are any. Each digest is sent
once per recipient and period (the period is its key; the database holds one row per
recipient, kind and period, so any number of workers send it once)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum

from .readiness import TodoKind

DAILY_FROM_DAYS = 7
CHAIR_WAIT = timedelta(days=2)


# What a chapter's digest tells of, of the chapter page's to-do items (with the count of
# organizations owing dues).
CHAPTER_ITEMS = (TodoKind.NO_VOTING_DELEGATE, TodoKind.VOTE_LOST, TodoKind.FEE_DUE,
                 TodoKind.VISA_LETTER)


class DigestKind(StrEnum):
    CHAPTER = "chapter"
    CHAIR = "chair"


def chapter_period(today: date, opens_on: date | None, deadline_on: date | None) -> str | None:
    """The period a chapter's digest of `today` belongs to, or None when none is due
    (no assembly, registration not open yet, or the deadline passed)."""
    if opens_on is None or deadline_on is None or not opens_on <= today <= deadline_on:
        return None
    if (deadline_on - today).days < DAILY_FROM_DAYS:
        return f"day-{today.isoformat()}"
    year, week, _ = today.isocalendar()
    return f"week-{year}-W{week:02d}"


def waited_too_long(submitted: Iterable[datetime], now: datetime) -> list[datetime]:
    """The moments of submission (of statements still waiting) older than `CHAIR_WAIT`."""
    return [moment for moment in submitted if now - moment > CHAIR_WAIT]


def chair_period(today: date, waiting_too_long: int) -> str | None:
    return f"day-{today.isoformat()}" if waiting_too_long else None
