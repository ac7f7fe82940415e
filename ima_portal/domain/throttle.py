"""Sign-in throttling: how many failed attempts within a window lock an account or an
address, and for how long. The caller keeps the attempts (in the database, shared by
every app server) and asks this module for the decision."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .common import NP_


@dataclass(frozen=True)
class ThrottleDecision:
    allowed: bool
    retry_after: timedelta = timedelta(0)

    @property
    def retry_minutes(self) -> int:
        """Whole minutes to wait, rounded up (at least one when refused)."""
        if self.allowed:
            return 0
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))


THROTTLED_MESSAGE = NP_("Too many failed sign-in attempts. Please wait %(num)d minute and "
                        "try again, or ask the global secretariat to reset your password.",
                        "Too many failed sign-in attempts. Please wait %(num)d minutes and "
                        "try again, or ask the global secretariat to reset your password.")


def decide(failures: Iterable[datetime], *, now: datetime, limit: int,
           window: timedelta) -> ThrottleDecision:
    """Refuse while `limit` or more failures fall within `window` before `now`.

    The lock lifts when enough of them have aged out of the window: the wait is measured
    from the failure that must age out for the count to drop below the limit."""
    if limit <= 0:
        return ThrottleDecision(True)
    recent = sorted(t for t in failures if now - window < t <= now)
    if len(recent) < limit:
        return ThrottleDecision(True)
    # After the oldest (len - limit + 1) failures leave the window, fewer than `limit` remain.
    pivot = recent[len(recent) - limit]
    return ThrottleDecision(False, pivot + window - now)


def combine(*decisions: ThrottleDecision) -> ThrottleDecision:
    """Refused if any is refused, for the longest of the waits."""
    refused = [d for d in decisions if not d.allowed]
    if not refused:
        return ThrottleDecision(True)
    return ThrottleDecision(False, max(d.retry_after for d in refused))
