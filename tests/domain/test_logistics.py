"""The logistics arithmetic, tested directly: nights of a stay, covered nights, arrivals and
departures by day, the rooming list, interpretation per language and day, needs counted."""
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ima_portal.domain.assembly import AssemblyDates
from ima_portal.domain.logistics import (
    Stay,
    count_needs,
    days_present,
    interpretation_by_day,
    interpreters_per_day,
    movements_by_day,
    nights,
    person_nights,
    rooming_by_night,
    uncovered_nights,
    with_needs,
)

# The 5th assembly: 30 Nov to 3 Dec 2022, the fee covers the nights of 28 Nov to 3 Dec.
FIFTH = AssemblyDates(date(2022, 11, 30), date(2022, 12, 3), date(2022, 11, 29),
                      date(2022, 12, 4), date(2022, 11, 28), date(2022, 12, 4))
D = date


def stay(name="Luz", arrival=D(2022, 11, 29), departure=D(2022, 12, 4), **kw) -> Stay:
    return Stay(name, arrival, departure, **kw)


def test_the_nights_of_a_stay_run_from_arrival_to_the_night_before_departure():
    assert nights(D(2022, 11, 29), D(2022, 12, 4)) == (
        D(2022, 11, 29), D(2022, 11, 30), D(2022, 12, 1), D(2022, 12, 2), D(2022, 12, 3))
    assert nights(D(2022, 12, 1), D(2022, 12, 1)) == ()


def test_nights_outside_the_covered_ones_are_named():
    early = stay(arrival=D(2022, 11, 26), departure=D(2022, 12, 6))
    assert uncovered_nights(early, FIFTH) == (
        D(2022, 11, 26), D(2022, 11, 27), D(2022, 12, 4), D(2022, 12, 5))
    assert uncovered_nights(stay(), FIFTH) == ()
    assert uncovered_nights(stay(arrival=D(2022, 11, 26), accommodation=False), FIFTH) == ()


def test_arrivals_and_departures_by_day():
    a, b = stay("Ana"), stay("Ben", arrival=D(2022, 11, 30), departure=D(2022, 12, 4))
    days = movements_by_day([b, a])
    assert [(m.day, [s.full_name for s in m.arrivals], [s.full_name for s in m.departures])
            for m in days] == [(D(2022, 11, 29), ["Ana"], []), (D(2022, 11, 30), ["Ben"], []),
                               (D(2022, 12, 4), [], ["Ana", "Ben"])]


def test_the_rooming_list_shows_every_covered_night_and_marks_the_others():
    rooming = rooming_by_night([stay("Ana", arrival=D(2022, 11, 27)),
                                stay("Local", accommodation=False)], FIFTH)
    assert [(n.night, n.covered, len(n.guests)) for n in rooming] == [
        (D(2022, 11, 27), False, 1), (D(2022, 11, 28), True, 1), (D(2022, 11, 29), True, 1),
        (D(2022, 11, 30), True, 1), (D(2022, 12, 1), True, 1), (D(2022, 12, 2), True, 1),
        (D(2022, 12, 3), True, 1)]
    assert person_nights(rooming, covered=False) == 1 and person_nights(rooming) == 7


def test_interpretation_per_language_and_day():
    needs = interpretation_by_day([stay("Ana", interpretation="es"),
                                   stay("Ben", interpretation="es", departure=D(2022, 12, 1)),
                                   stay("Chi", interpretation="zh", arrival=D(2022, 12, 2)),
                                   stay("Dan")], FIFTH)
    assert [(n.language, n.counts) for n in needs] == [("es", (2, 2, 1, 1)),
                                                       ("zh", (0, 0, 1, 1))]
    assert interpreters_per_day(needs) == (1, 1, 2, 2)


def test_needs_typed_differently_are_counted_as_one():
    people = [stay("Ana", dietary="Vegetarian"), stay("Ben", dietary=" vegetarian "),
              stay("Chi", dietary="Halal", access_needs="Wheelchair access"), stay("Dan")]
    assert [(n.need, n.count) for n in count_needs(people, "dietary")] == [
        ("Vegetarian", 2), ("Halal", 1)]
    assert [(n.need, n.count) for n in count_needs(people, "access_needs")] == [
        ("Wheelchair access", 1)]
    assert [s.full_name for s in with_needs(people)] == ["Ana", "Ben", "Chi"]


# ---- properties ------------------------------------------------------------------------------

WINDOW_START = FIFTH.first_day - timedelta(days=7)


@st.composite
def stays(draw):
    arrival = WINDOW_START + timedelta(days=draw(st.integers(0, 11)))
    departure = max(arrival, FIFTH.first_day) + timedelta(days=draw(st.integers(0, 10)))
    return Stay(draw(st.text(min_size=1, max_size=8)), arrival, departure,
                accommodation=draw(st.booleans()),
                interpretation=draw(st.sampled_from(["", "es", "fr", "zh"])))


@settings(deadline=None)  # the machine is shared: timing is not what is tested
@given(st.lists(stays(), max_size=25))
def test_person_nights_are_the_sum_of_each_stays_nights(people):
    rooming = rooming_by_night(people, FIFTH)
    with_room = [s for s in people if s.accommodation]
    assert person_nights(rooming) == sum(len(nights(s.arrival, s.departure)) for s in with_room)
    assert person_nights(rooming, covered=False) == sum(
        len(uncovered_nights(s, FIFTH)) for s in people)
    assert [n.night for n in rooming] == sorted({n.night for n in rooming})


@settings(deadline=None)  # the machine is shared: timing is not what is tested
@given(st.lists(stays(), max_size=25))
def test_each_person_arrives_once_and_leaves_once(people):
    days = movements_by_day(people)
    assert sum(len(m.arrivals) for m in days) == len(people)
    assert sum(len(m.departures) for m in days) == len(people)
    assert [m.day for m in days] == sorted({m.day for m in days})


@settings(deadline=None)  # the machine is shared: timing is not what is tested
@given(st.lists(stays(), max_size=25))
def test_interpretation_counts_add_up_to_the_days_present(people):
    needs = interpretation_by_day(people, FIFTH)
    assert sum(sum(n.counts) for n in needs) == sum(
        len(days_present(s, FIFTH)) for s in people if s.interpretation)
    assert sum(len(n.people) for n in needs) == sum(1 for s in people if s.interpretation)
