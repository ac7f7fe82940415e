"""The delegates list in pages (issue 15): 50 rows a page, the next rows on page 2, the
filters kept in the pager's links (full page and HTMX fragment), the totals (number of
registrations, fees due, still owed, interpretation counts) over every filtered
registration rather than the page, summed by the database as the fee rules would, a
filter by one fee status paged too, bulk confirm from page 2, the CSV complete, and the
same number of queries for 60 and 600 registrations. On SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import insert, select

from ima_portal.assembly import fees, queries
from ima_portal.assembly.models import Registration
from ima_portal.domain.assembly import Participation, RegistrationState
from ima_portal.domain.fees import FeeEntryKind
from ima_portal.domain.fund import GrantPurpose

from .query_count import count_queries

URL = "/assemblies/5/delegates/"


@pytest.fixture
def w(make, db):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    other = make.chapter("IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    assembly = make.assembly()
    return {"assembly": assembly, "chapter": chapter,
            "org": make.organization(chapter, "Paid Up Workers"),
            "foreign": make.organization(other, "Nairobi Migrants"),
            "sec": make.user("secretariat", chapter=chapter, name="Maria Santos"),
            "admin": make.user("admin", name="Global Sec")}


def _add(db, w, start: int, n: int, **fields) -> list[Registration]:
    """`n` non-voting registrations "Delegate 000"... of the chapter's organization."""
    names = [f"Delegate {i:03d}" for i in range(start, start + n)]
    row = {"assembly_id": w["assembly"].id, "organization_id": w["org"].id,
           "chapter_id": w["chapter"].id, "participation": Participation.NON_VOTING,
           "arrival": date(2022, 11, 29), "departure": date(2022, 12, 4)} | fields
    db.session.execute(insert(Registration), [row | {"full_name": name} for name in names])
    db.session.commit()
    return list(db.session.scalars(select(Registration).where(
        Registration.full_name.in_(names)).order_by(Registration.full_name)))


def names_in(text: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"Delegate \d{3}", text)))


def count_line(text: str) -> str:
    match = re.search(r'data-count="registrations">(.*?)</p>', text, re.S)
    assert match, "no count line"
    return " ".join(match.group(1).split())


def test_page_2_shows_the_next_rows_in_the_page_and_the_fragment(w, as_user, db):
    _add(db, w, 0, 60)
    client = as_user(w["sec"])
    first = client.get(URL).text
    assert names_in(first) == [f"Delegate {i:03d}" for i in range(50)]
    assert 'rel="next"' in first and "Page 1 of 2" in first
    second = client.get(URL + "?page=2").text
    assert names_in(second) == [f"Delegate {i:03d}" for i in range(50, 60)]
    assert 'rel="prev"' in second and 'rel="next"' not in second
    fragment = client.hx_get(URL, query_string={"page": "2"}).text
    assert "<html" not in fragment and names_in(fragment) == names_in(second)
    assert 'class="delegates stack"' in fragment and 'data-label="Organization"' in fragment
    # Past the end: the last page.
    assert names_in(client.get(URL + "?page=9").text) == names_in(second)


def test_the_totals_are_over_every_filtered_row_not_the_page(w, as_user, db):
    regs = _add(db, w, 0, 60, interpretation="es")
    _add(db, w, 60, 5, international=False, interpretation="fr")
    sec, admin = w["sec"], w["admin"]
    fees.record_payment(sec, regs[0], 250_00, "bank", date(2022, 10, 1))       # paid
    fees.record_payment(sec, regs[51], 100_00, "bank", date(2022, 10, 1))      # partly, page 2
    fees.waive(admin, regs[52], "Staff")                                         # waived
    voided = fees.record_payment(sec, regs[53], 250_00, "bank", date(2022, 10, 1)).entry
    fees.void_fee_entry(sec, regs[53], voided.id, "Bounced")                     # unpaid again
    _, fund = fees.save_fund(sec, w["chapter"], w["assembly"], 2000_00)
    fees.receive(sec, fund, 1000_00, date(2022, 9, 1), "Church", False)
    fees.grant(sec, fund, regs[54], GrantPurpose.FEE, 250_00)                    # covered
    gone = fees.grant(sec, fund, regs[55], GrantPurpose.FEE, 100_00).entry
    fees.void_fund_entry(sec, fund, gone.id, "Wrong delegate")                   # unpaid again
    fees.grant(sec, fund, regs[56], GrantPurpose.TRAVEL, 100_00)                 # not the fee
    fees.record_payment(sec, regs[57], 300_00, "bank", date(2022, 10, 1))      # overpaid
    fees.record_payment(sec, regs[58], 250_00, "bank", date(2022, 10, 1))
    regs[58].state = RegistrationState.WITHDRAWN                                  # to settle
    fees.record_payment(sec, regs[59], 250_00, "bank", date(2022, 10, 1))
    regs[59].state = RegistrationState.WITHDRAWN
    db.session.flush()
    fees.settle(sec, regs[59], FeeEntryKind.REFUND, "Refunded")                  # refunded
    db.session.commit()

    # Pending and confirmed (not withdrawn): 58 international at US$250 and 5 local.
    # Still owed: 250 × 58, less 250 (paid), 150 (partly), 250 (waived), 250 (covered),
    # 250 (overpaid) -> 57 × 250... computed by the fee rules below.
    every = queries.delegates(sec, w["assembly"], queries.Filters())
    owed = sum(row.fee.still_due_cents for row in every)
    assert len(every) == 63 and owed == (58 * 250_00 - 250_00 - 100_00 - 250_00 - 250_00
                                         - 250_00)
    expected = (f"63 registrations · fees due: US$14,500 · still owed: US${owed // 100:,}"
                " · interpretation: Español 58, Français 5")
    client = as_user(sec)
    for page in ("1", "2"):
        assert count_line(client.get(URL, query_string={"page": page}).text) == expected
    assert count_line(client.hx_get(URL, query_string={"page": "2"}).text) == expected

    # The database's sums are the fee rules' sums, whatever the filter.
    for filters in (queries.Filters(), queries.Filters(state="all"),
                    queries.Filters(fee_status="open"),
                    queries.Filters(fee_status="open", state="all"),
                    queries.Filters(state="withdrawn"), queries.Filters(interpretation="fr"),
                    queries.Filters(q="delegate 05"), queries.Filters(fee_status="paid"),
                    queries.Filters(fee_status="to_settle", state="all")):
        for user in (sec, admin):
            rows = queries.delegates(user, w["assembly"], filters)
            shown = queries.delegates_page(user, w["assembly"], filters, 1, per_page=7)
            assert shown.totals.count == len(rows), filters
            assert shown.totals.fee_due_cents == queries.fee_total(rows), filters
            assert shown.totals.still_owed_cents == sum(r.fee.still_due_cents for r in rows)
            assert shown.totals.interpretation == queries.interpretation_counts(rows), filters
            assert [r.registration.id for r in shown.rows] == [
                r.registration.id for r in rows[:7]], filters


def test_the_filters_are_kept_across_pages(w, as_user, db):
    _add(db, w, 0, 60, interpretation="es")
    _add(db, w, 60, 60, interpretation="fr")
    client = as_user(w["sec"])
    for get in (client.get, client.hx_get):
        first = get(URL, query_string={"interpretation": "fr", "q": "delegate"}).text
        assert names_in(first)[0] == "Delegate 060" and "60 registrations" in first
        (link,) = re.findall(r'href="([^"]+)" rel="next"', first)
        link = link.replace("&amp;", "&")
        assert "interpretation=fr" in link and "q=delegate" in link and "page=2" in link
        assert names_in(client.get(link).text) == [f"Delegate {i:03d}"
                                                   for i in range(110, 120)]
    # A filter by one fee status (decided by the fee rules in Python) is paged too.
    paid = _add(db, w, 200, 55, interpretation="id")
    for reg in paid:
        fees.record_payment(w["sec"], reg, 250_00, "bank", date(2022, 10, 1))
    db.session.commit()
    first = client.get(URL, query_string={"fee_status": "paid"}).text
    assert "55 registrations" in first and len(names_in(first)) == 50
    (link,) = re.findall(r'href="([^"]+)" rel="next"', first)
    second = client.get(link.replace("&amp;", "&")).text
    assert names_in(second) == [f"Delegate {i:03d}" for i in range(250, 255)]
    assert "fees due: US$13,750 · still owed: US$0" in " ".join(second.split())


def test_bulk_confirm_and_the_fee_checkboxes_work_on_page_2_and_the_csv_is_complete(
        w, as_user, db):
    regs = _add(db, w, 0, 60)
    client = as_user(w["sec"])
    second = client.get(URL + "?page=2").text
    last = regs[-1]
    assert f'name="ids" value="{last.id}"' in second
    assert f'name="fee_ids" value="{last.id}"' in second
    assert f'name="ids" value="{regs[0].id}"' not in second
    response = client.post("/assemblies/5/delegates/confirm", data={"ids": [str(last.id)]},
                           headers={"Referer": "http://localhost/assemblies/5/delegates/?page=2"})
    assert response.status_code in (302, 303) and "page=2" in response.headers["Location"]
    db.session.refresh(last)
    assert last.state is RegistrationState.CONFIRMED
    text = client.get("/assemblies/5/delegates.csv").get_data(as_text=True).lstrip("\ufeff")
    assert len(list(csv.reader(io.StringIO(text)))) == 61  # the header and every row




def test_the_same_number_of_queries_for_60_and_600_registrations(w, as_user, db):
    client = as_user(w["sec"])

    def measure():
        return (count_queries(db, lambda: client.get(URL)),
                count_queries(db, lambda: client.hx_get(URL, query_string={"page": "2"})),
                count_queries(db, lambda: client.hx_get(
                    URL, query_string={"fee_status": "open", "q": "delegate", "page": "3"})))

    _add(db, w, 0, 60, interpretation="es")
    small = measure()
    _add(db, w, 60, 540, interpretation="fr")
    assert "600 registrations" in client.get(URL).text
    assert measure() == small
