"""Info sessions' rules, tested directly: times across zones, weekly repeats, call links,
who may register, interpreters per language, orientations."""
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ima_portal.domain import info_sessions as rules
from ima_portal.domain.dues import MemberStatus
from ima_portal.domain.roles import Role

LA, NY = "America/Los_Angeles", "America/New_York"
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def test_six_pm_pacific_is_nine_pm_eastern_and_two_in_the_morning_utc_the_next_day():
    plan = rules.schedule(date(2026, 10, 7), time(18), time(19), LA, now=NOW)
    assert plan.ok
    start, end = plan.moments[0]
    assert start == datetime(2026, 10, 8, 1, 0, tzinfo=UTC)  # PDT is UTC-7 in October
    assert rules.in_zone(start, NY).strftime("%Y-%m-%d %H:%M") == "2026-10-07 21:00"
    assert end - start == timedelta(hours=1)
    winter = rules.schedule(date(2026, 11, 11), time(18), time(19), LA, now=NOW).moments[0][0]
    assert winter == datetime(2026, 11, 12, 2, 0, tzinfo=UTC)  # PST is UTC-8


def test_weekly_repeats_keep_the_wall_clock_time_across_the_change_of_summer_time():
    plan = rules.schedule(date(2026, 10, 21), time(18), time(19), LA, weeks=4, now=NOW)
    assert plan.ok and len(plan.moments) == 4
    local = [rules.in_zone(s, LA) for s, _e in plan.moments]
    assert [d.strftime("%a %H:%M") for d in local] == ["Wed 18:00"] * 4
    assert [d.date() for d in local] == [date(2026, 10, 21) + timedelta(weeks=n) for n in range(4)]
    # Summer time ends on 1 November 2026: the UTC hour moves by one.
    assert {s.hour for s, _e in plan.moments} == {1, 2}


def test_scheduling_refusals_are_by_field():
    assert set(rules.schedule(date(2026, 10, 7), time(19), time(18), LA).errors) == {"end_time"}
    assert set(rules.schedule(date(2026, 10, 7), time(8), time(18), LA).errors) == {"end_time"}
    assert set(rules.schedule(date(2026, 10, 7), time(18), time(19), "Mars/Base").errors) == {
        "timezone"}
    assert set(rules.schedule(date(2026, 10, 7), time(18), time(19), LA, weeks=0).errors) == {
        "weeks"}
    assert set(rules.schedule(date(2026, 9, 7), time(18), time(19), LA, now=NOW).errors) == {
        "day"}
    # 2:30 am on 8 March 2026 does not exist in Los Angeles (the clocks jump to 3 am).
    gap = rules.schedule(date(2026, 3, 8), time(2, 30), time(3, 30), LA)
    assert set(gap.errors) == {"start_time"}


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
       hour=st.integers(min_value=0, max_value=22), minute=st.sampled_from([0, 15, 30, 45]),
       zone=st.sampled_from([LA, NY, "Asia/Manila", "Asia/Kathmandu", "Europe/Paris",
                             "Australia/Adelaide", "Pacific/Chatham", "UTC"]),
       other=st.sampled_from([NY, "Asia/Hong_Kong", "Asia/Kolkata", "Pacific/Kiritimati"]))
def test_a_stored_moment_reads_back_as_typed_in_its_zone_and_is_the_same_instant_anywhere(
        day, hour, minute, zone, other):
    start = time(hour, minute)
    moment = rules.local_to_utc(day, start, zone)
    if moment is None:  # a time skipped by summer time: refused, never shifted silently
        return
    assert moment.tzinfo is UTC
    back = rules.in_zone(moment, zone)
    assert (back.date(), back.time()) == (day, start)
    assert rules.in_zone(moment, other) == moment  # the same instant, told elsewhere


def test_zones_are_every_iana_zone_grouped_by_region():
    zones = rules.all_zones()
    assert LA in zones and "Asia/Kathmandu" in zones and "UTC" in zones
    groups = dict(rules.zone_groups())
    assert LA in groups["America"] and "Asia/Manila" in groups["Asia"]
    assert sum(len(z) for z in groups.values()) == len(zones)
    assert rules.is_zone(NY) and not rules.is_zone("America/Nowhere") and not rules.is_zone("")
    assert rules.zone_or("../../etc/passwd", LA) == LA


def test_call_links_are_https_only():
    assert rules.check_call_link("https://meet.example.org/ima-info") is None
    assert rules.check_call_link("") is None  # may be added later
    assert rules.check_call_link("http://meet.example.org/x")
    assert rules.check_call_link("javascript:alert(1)")
    assert rules.check_call_link("https://user:pw@meet.example.org/")
    assert rules.check_call_link("https://meet example.org")
    assert rules.check_call_link("https://localhost/")


def facts(**kw):
    values = dict(starts_at=NOW + timedelta(days=1), cancelled=False, capacity=None,
                  registered=0)
    values.update(kw)
    return rules.SessionFacts(**values)


def test_who_may_register():
    assert rules.may_register(facts(), NOW)
    assert not rules.may_register(facts(cancelled=True), NOW)
    assert not rules.may_register(facts(starts_at=NOW), NOW)
    assert not rules.may_register(facts(capacity=2, registered=2), NOW)
    assert rules.may_register(facts(capacity=2, registered=1), NOW)


@given(st.lists(st.sampled_from([None, "", "en", "id", "es", "fr"]), max_size=40))
def test_interpreters_needed_count_each_request_once(wanted):
    counts = rules.interpreters_needed(wanted)
    assert sum(counts.values()) == sum(1 for w in wanted if w)
    assert all(n > 0 for n in counts.values())
    assert list(counts) == [c for c in rules.LANGUAGES if c in counts]


def test_interpretation_into_the_alliances_languages_only():
    assert rules.check_interpretation("") is None and rules.check_interpretation("fr") is None
    assert rules.check_interpretation("xx")


def test_mailing_the_call_link_needs_a_link_and_registrants():
    assert rules.may_mail_call_link("https://x.example.org/", False, 3)
    assert not rules.may_mail_call_link("", False, 3)
    assert not rules.may_mail_call_link("https://x.example.org/", False, 0)
    assert not rules.may_mail_call_link("https://x.example.org/", True, 3)


def test_managing_sessions_and_orientations_by_role():
    assert rules.may_manage_sessions(Role.SECRETARIAT) and rules.may_manage_sessions(Role.ADMIN)
    assert not rules.may_manage_sessions(Role.CHAIR)
    assert rules.may_record_orientation(Role.SECRETARIAT, MemberStatus.APPLICANT)
    assert not rules.may_record_orientation(Role.CHAIR, MemberStatus.APPLICANT)
    assert not rules.may_record_orientation(Role.SECRETARIAT, MemberStatus.ACTIVE)
    today = date(2026, 10, 1)
    assert rules.check_orientation(today, today) is None
    assert rules.check_orientation(today + timedelta(days=1), today)
    assert rules.check_orientation(None, today)
