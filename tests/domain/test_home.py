"""What each role's home leads with (domain.home): the items, their order, and the
waiting times, straight from the facts."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ima_portal.domain.common import Plural
from ima_portal.domain.home import (
    AssemblyFacts,
    Facts,
    Item,
    global_todos,
    secretariat_todos,
    waited,
)
from ima_portal.domain.money import Usd

TODAY = date(2022, 10, 1)


def assembly(deadline_in: int, opened_days_ago: int = 30) -> AssemblyFacts:
    return AssemblyFacts(5, "5th Global Assembly", TODAY - timedelta(days=opened_days_ago),
                         TODAY + timedelta(days=deadline_in))


def items(todos) -> list[Item]:
    return [t.item for t in todos]


def test_nothing_to_do_gives_no_items():
    assert secretariat_todos(Facts(), TODAY) == []
    assert global_todos(Facts(), TODAY) == []


def test_a_secretariat_sees_each_item_with_its_count_in_order():
    facts = Facts(owing=3, pending=2, unremitted=4, unremitted_amount=Usd(20000),
                  sent_back=1, assembly=assembly(40))
    todos = secretariat_todos(facts, TODAY)
    assert items(todos) == [Item.OWING, Item.PENDING, Item.UNREMITTED, Item.DEADLINE,
                            Item.SENT_BACK]
    assert [t.num for t in todos] == [3, 2, 4, 40, 1]
    assert not any(t.pressing for t in todos)
    owing = todos[0]
    assert isinstance(owing.text, Plural) and "may not vote" in owing.text.plural
    assert "your chapter" in todos[2].text and todos[2].params["amount"] == Usd(20000)


def test_a_near_deadline_comes_first_and_presses_what_it_concerns():
    facts = Facts(owing=1, pending=1, unremitted=1, sent_back=1, assembly=assembly(5))
    todos = secretariat_todos(facts, TODAY)
    assert items(todos)[:3] == [Item.DEADLINE, Item.OWING, Item.PENDING]
    assert [t.pressing for t in todos] == [True, True, True, False, False]


def test_the_deadline_day_and_after():
    (today,) = secretariat_todos(Facts(assembly=assembly(0)), TODAY)
    assert today.item is Item.DEADLINE and today.pressing and "today" in today.text
    assert secretariat_todos(Facts(assembly=assembly(-1)), TODAY) == []  # closed


def test_before_registration_opens_the_home_says_when():
    (opens,) = secretariat_todos(Facts(assembly=assembly(60, opened_days_ago=-3)), TODAY)
    assert opens.item is Item.OPENS and opens.params["date"] == TODAY + timedelta(days=3)


def test_the_global_secretariat_leads_with_its_own_items():
    facts = Facts(letters=2, without_secretariat=3, held=1, pending=4, unremitted=2,
                  assembly=assembly(40))
    todos = global_todos(facts, TODAY)
    assert items(todos) == [Item.LETTERS, Item.NO_SECRETARIAT, Item.HELD, Item.PENDING,
                            Item.UNREMITTED, Item.DEADLINE]
    assert "the chapters" in todos[4].text.plural
    # A chapter secretariat never sees the global secretariat's items.
    assert not {Item.LETTERS, Item.NO_SECRETARIAT, Item.HELD} & set(
        items(secretariat_todos(facts, TODAY)))


@given(st.builds(Facts, owing=st.integers(0, 5), pending=st.integers(0, 5),
                 unremitted=st.integers(0, 5), sent_back=st.integers(0, 5),
                 letters=st.integers(0, 5), without_secretariat=st.integers(0, 5),
                 held=st.integers(0, 5)),
       st.integers(-5, 60))
def test_pressing_items_always_come_first_and_no_item_counts_zero(facts, deadline_in):
    facts = Facts(**{**facts.__dict__, "assembly": assembly(deadline_in)})
    for todos in (secretariat_todos(facts, TODAY), global_todos(facts, TODAY)):
        flags = [t.pressing for t in todos]
        assert flags == sorted(flags, reverse=True)
        assert all(t.num is None or t.num > 0 for t in todos if t.item is not Item.DEADLINE)
        assert len({t.item for t in todos}) == len(todos)


def test_waited_says_days_then_hours_then_less_than_an_hour():
    now = datetime(2022, 10, 1, 12, tzinfo=UTC)
    text, params = waited(now - timedelta(days=3, hours=5), now)
    assert params == {"num": 3} and "day" in text
    text, params = waited(now - timedelta(hours=5), now)
    assert params == {"num": 5} and "hour" in text
    text, params = waited(now - timedelta(minutes=5), now)
    assert params == {} and "less than an hour" in text
    assert waited(now + timedelta(minutes=5), now)[1] == {}  # clocks apart: never negative
