from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ima_portal.domain import throttle

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def test_below_the_limit_is_allowed():
    d = throttle.decide([ago(1), ago(2), ago(3), ago(4)], now=NOW, limit=5, window=WINDOW)
    assert d.allowed and d.retry_minutes == 0


def test_at_the_limit_is_refused_until_the_oldest_counted_failure_ages_out():
    d = throttle.decide([ago(1), ago(2), ago(3), ago(4), ago(10)], now=NOW, limit=5,
                        window=WINDOW)
    assert not d.allowed
    assert d.retry_after == timedelta(minutes=5)
    assert d.retry_minutes == 5


def test_failures_outside_the_window_do_not_count():
    d = throttle.decide([ago(16), ago(20), ago(30), ago(1), ago(2)], now=NOW, limit=5,
                        window=WINDOW)
    assert d.allowed


def test_wait_is_rounded_up_to_whole_minutes():
    d = throttle.decide([ago(14.9)] * 5, now=NOW, limit=5, window=WINDOW)
    assert not d.allowed and d.retry_minutes == 1


def test_combine_takes_the_longest_wait():
    a = throttle.ThrottleDecision(False, timedelta(minutes=3))
    b = throttle.ThrottleDecision(False, timedelta(minutes=9))
    ok = throttle.ThrottleDecision(True)
    assert throttle.combine(ok, ok).allowed
    assert throttle.combine(a, ok, b).retry_after == timedelta(minutes=9)


minutes_ago = st.lists(st.floats(min_value=0, max_value=60, allow_nan=False), max_size=40)


@given(minutes_ago, st.integers(min_value=1, max_value=10))
def test_refused_exactly_when_limit_failures_are_recent(offsets, limit):
    failures = [ago(m) for m in offsets]
    d = throttle.decide(failures, now=NOW, limit=limit, window=WINDOW)
    recent = [t for t in failures if NOW - WINDOW < t <= NOW]
    assert d.allowed == (len(recent) < limit)


@given(minutes_ago, st.integers(min_value=1, max_value=10))
def test_after_the_wait_it_is_allowed_and_not_a_moment_before(offsets, limit):
    failures = [ago(m) for m in offsets]
    d = throttle.decide(failures, now=NOW, limit=limit, window=WINDOW)
    if d.allowed:
        return
    later = NOW + d.retry_after
    assert throttle.decide(failures, now=later, limit=limit, window=WINDOW).allowed
    just_before = later - timedelta(microseconds=1)
    assert not throttle.decide(failures, now=just_before, limit=limit, window=WINDOW).allowed
