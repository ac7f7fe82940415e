"""A chapter's readiness for an assembly, tested directly: each item of what needs doing
(and when it stays silent), "near the deadline", the visa-letter item as an optional input,
counts and fee totals; properties: withdrawn registrations never make an item, the order
of the registrations never changes the set of items, the counts add up."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ima_portal.domain.assembly import AssemblyDates, Participation, RegistrationState
from ima_portal.domain.fees import FeeEntry, FeeEntryKind, account
from ima_portal.domain.readiness import (
    DEADLINE_NEAR_DAYS,
    OrganizationFacts,
    RegistrationFacts,
    TodoKind,
    counts,
    deadline_near,
    fee_totals,
    todos,
)

DATES = AssemblyDates(date(2022, 11, 30), date(2022, 12, 3), date(2022, 11, 29),
                      date(2022, 12, 4), date(2022, 11, 28), date(2022, 12, 4))
DEADLINE = date(2022, 10, 31)
FAR, NEAR = date(2022, 9, 1), date(2022, 10, 20)
V, NV, OBS = Participation.VOTING, Participation.NON_VOTING, Participation.OBSERVER
PENDING, CONFIRMED, WITHDRAWN = (RegistrationState.PENDING, RegistrationState.CONFIRMED,
                                 RegistrationState.WITHDRAWN)


def reg(id_=1, name="Luz", participation=NV, state=CONFIRMED, **fields) -> RegistrationFacts:
    values = {"organization": "Workers Center", "arrival": date(2022, 11, 29),
              "departure": date(2022, 12, 4)}
    values.update(fields)
    return RegistrationFacts(id_, name, participation=participation, state=state, **values)


def kinds(items) -> list[TodoKind]:
    return [t.kind for t in items]


def run(orgs=(), regs=(), today=FAR):
    return todos(orgs, regs, dates=DATES, today=today, deadline_on=DEADLINE)


def test_nothing_to_do_for_a_ready_chapter():
    assert run([OrganizationFacts(1, "A", True, True), OrganizationFacts(2, "B", False, False)],
               [reg(), reg(2, participation=V)]) == []


def test_an_organization_entitled_to_vote_without_a_voting_delegate():
    items = run([OrganizationFacts(7, "Workers Center", True, False)])
    assert kinds(items) == [TodoKind.NO_VOTING_DELEGATE]
    assert items[0].organization_id == 7 and items[0].params == {"org": "Workers Center"}


def test_a_voting_delegate_whose_organization_now_owes_is_flagged():
    items = run(regs=[reg(3, participation=V, vote_lost="Owes US$50 for 2022")])
    assert kinds(items) == [TodoKind.VOTE_LOST] and items[0].registration_id == 3
    assert "Owes US$50" in items[0].params["why"]
    # a non-voting delegate's organization owing dues is nothing to do here
    assert run(regs=[reg(participation=NV, vote_lost="Owes")]) == []


def test_a_fee_still_owed_is_to_do_only_near_the_deadline():
    owing = reg(4, still_due_cents=150_00)
    assert run(regs=[owing], today=FAR) == []
    items = run(regs=[owing], today=NEAR)
    assert kinds(items) == [TodoKind.FEE_DUE]
    assert items[0].params["amount_cents"] == 150_00 and items[0].params["days"] == 11
    assert kinds(run(regs=[owing], today=date(2022, 11, 5))) == [TodoKind.FEE_DUE]  # passed


def test_near_is_fourteen_days():
    assert DEADLINE_NEAR_DAYS == 14
    assert deadline_near(date(2022, 10, 17), DEADLINE)
    assert not deadline_near(date(2022, 10, 16), DEADLINE)
    assert deadline_near(DEADLINE, DEADLINE) and deadline_near(date(2022, 12, 1), DEADLINE)


def test_dates_outside_the_assemblys():
    late = reg(5, arrival=date(2022, 11, 30))
    early = reg(6, departure=date(2022, 12, 3))
    uncovered = reg(7, arrival=date(2022, 11, 26))
    no_room = reg(8, arrival=date(2022, 11, 26), accommodation=False)
    items = run(regs=[late, early, uncovered, no_room])
    assert kinds(items) == [TodoKind.DATES] * 3
    assert [t.registration_id for t in items] == [5, 6, 7]
    assert "recommended" in items[0].params["why"]
    assert "not covered" in items[2].params["why"]
    out_of_window = run(regs=[reg(9, arrival=date(2022, 11, 1))])
    assert kinds(out_of_window) == [TodoKind.DATES]


def test_pending_registrations_are_one_item_with_their_number():
    items = run(regs=[reg(1, state=PENDING), reg(2, "Ramon", state=PENDING), reg(3)])
    assert kinds(items) == [TodoKind.PENDING]
    assert items[0].params["num"] == 2 and items[0].params["names"] == ["Luz", "Ramon"]


def test_visa_letter_item_is_an_optional_input():
    needs = reg(10, needs_visa_letter=True)
    assert kinds(run(regs=[needs])) == [TodoKind.VISA_LETTER]
    assert run(regs=[replace(needs, visa_letter_requested=True)]) == []
    assert run(regs=[replace(needs, international=False)]) == []
    assert kinds(run(regs=[replace(needs, state=PENDING)])) == [TodoKind.PENDING]
    assert run(regs=[reg(11)]) == []  # the default: nothing known, nothing said


regs_strategy = st.lists(st.builds(
    RegistrationFacts, id=st.integers(1, 10_000), name=st.sampled_from(["A", "B", "C"]),
    organization=st.just("Org"), participation=st.sampled_from(list(Participation)),
    state=st.sampled_from(list(RegistrationState)),
    arrival=st.dates(date(2022, 11, 20), date(2022, 12, 2)),
    departure=st.dates(date(2022, 12, 2), date(2022, 12, 10)),
    accommodation=st.booleans(), international=st.booleans(),
    still_due_cents=st.sampled_from([0, 100_00, 250_00]),
    vote_lost=st.sampled_from([None, "Owes dues"]), needs_visa_letter=st.booleans(),
    visa_letter_requested=st.booleans()), max_size=12)


@given(regs_strategy, st.dates(date(2022, 9, 1), date(2022, 12, 1)))
def test_withdrawn_registrations_never_make_an_item(regs, today):
    withdrawn = [replace(r, state=WITHDRAWN) for r in regs]
    assert run(regs=withdrawn, today=today) == []


@given(regs_strategy, st.randoms())
def test_the_order_of_the_registrations_never_changes_what_needs_doing(regs, rnd):
    shuffled = list(regs)
    rnd.shuffle(shuffled)

    def key(items):
        return sorted((t.kind.value, t.registration_id or 0, t.params.get("num", 0))
                      for t in items)
    assert key(run(regs=regs, today=NEAR)) == key(run(regs=shuffled, today=NEAR))


@given(st.lists(st.tuples(st.sampled_from(list(Participation)),
                          st.sampled_from(list(RegistrationState)))))
def test_counts_add_up(pairs):
    c = counts(pairs)
    assert c.of() == len(pairs)
    assert sum(c.of(participation=p) for p in Participation) == len(pairs)
    assert sum(c.of(state=s) for s in RegistrationState) == len(pairs)
    assert c.active == sum(1 for _, s in pairs if s is not WITHDRAWN)


def test_fee_totals():
    paid = account([FeeEntry(1, FeeEntryKind.PAYMENT, 250_00)], international=True,
                   state=CONFIRMED, fee_cents=250_00)
    partly = account([FeeEntry(2, FeeEntryKind.GRANT, 100_00)], international=True,
                     state=PENDING, fee_cents=250_00)
    local = account([], international=False, state=CONFIRMED, fee_cents=250_00)
    gone = account([FeeEntry(3, FeeEntryKind.PAYMENT, 50_00)], international=True,
                   state=WITHDRAWN, fee_cents=250_00)
    totals = fee_totals([paid, partly, local, gone])
    assert (totals.due_cents, totals.paid_cents, totals.granted_cents,
            totals.still_due_cents, totals.to_settle_cents) == (500_00, 250_00, 100_00,
                                                                150_00, 50_00)
