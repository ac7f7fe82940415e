"""Member organizations and the dues ledger, through the portal's pages."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from ima_portal.audit.models import AuditEntry
from ima_portal.members.models import DuesEntry, Organization, StatusChange

from .query_count import count_queries


def org_form(**fields):
    data = {"name": "Migrante Québec", "country": "Canada", "region_id": "4",
            "membership": "regular", "status": "active", "status_since": "2020-01-15",
            "joined_on": "2020-01-15", "contact_person": "Ana", "email": "", "phone": "",
            "notes": ""}
    data.update(fields)
    return data


def pay_form(**fields):
    data = {"amount": "50", "currency": "USD", "usd_amount": "", "paid_on": "2021-06-01",
            "channel": "chapter", "method": "paypal", "reference": ""}
    data.update(fields)
    return data


def test_secretariat_adds_an_organization_to_its_own_chapter(client, db, make, login_as):
    me = login_as()
    response = client.post("/organizations/new", data=org_form())
    assert response.status_code == 303
    org = db.session.scalar(select(Organization))
    assert org.chapter_id == me.chapter_id and org.name == "Migrante Québec"
    assert [c.status.value for c in org.status_changes] == ["active"]
    assert db.session.scalar(select(AuditEntry.action)) == "organization.create"


def test_a_duplicate_name_is_refused_with_a_link_and_the_input_kept(client, make, login_as):
    me = login_as()
    existing = make.organization(me.chapter, "Migrante Québec")
    response = client.post("/organizations/new", data=org_form(name="MIGRANTE  quebec",
                                                               contact_person="Typed"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "already has an organization of this name" in html
    assert f'href="/organizations/{existing.id}"' in html
    assert 'value="MIGRANTE  quebec"' in html and 'value="Typed"' in html


def test_the_same_name_may_exist_in_another_chapter(client, make, login_as):
    make.organization(make.chapter(), "Migrante Québec")
    login_as()
    assert client.post("/organizations/new", data=org_form()).status_code == 303


def test_bad_dates_and_email_are_explained_beside_the_field(client, login_as):
    login_as()
    response = client.post("/organizations/new", data=org_form(
        status_since="2999-01-01", joined_on="yesterday", email="not-an-email", name=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This date is in the future." in html
    assert "Enter an e-mail address" in html and "Enter the organization's name." in html


def test_status_changes_are_kept_as_history(client, db, make, login_as):
    me = login_as()
    org = make.organization(me.chapter)
    data = org_form(name=org.name, status="suspended", status_since="2022-03-03")
    assert client.post(f"/organizations/{org.id}/edit", data=data).status_code == 303
    changes = db.session.scalars(select(StatusChange).where(
        StatusChange.organization_id == org.id).order_by(StatusChange.id)).all()
    assert [(c.status.value, c.effective_on) for c in changes] == [
        ("active", date(2015, 1, 1)), ("suspended", date(2022, 3, 3))]
    page = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "Suspended since Mar 3, 2022" in page


def test_recording_a_payment_updates_the_standing_card_in_place(client, db, make, login_as):
    me = login_as()
    org = make.organization(me.chapter, joined_on=date(2015, 1, 1))
    before = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "Owes US$200" in before
    response = client.post(f"/organizations/{org.id}/payments", htmx=True,
                           data=pay_form(amount="150", reference="PP-123"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="dues-section"' in html
    assert "Owes US$50" in html and "Owes US$50 for 2022." in html
    assert 'hx-swap-oob="innerHTML"' in html and "Payment of US$150 recorded." in html
    entry = db.session.scalar(select(DuesEntry))
    assert entry.recorded_by_id == me.id and entry.usd_cents == 150_00


def test_payment_form_errors_keep_the_input(client, make, login_as):
    me = login_as()
    org = make.organization(me.chapter)
    response = client.post(f"/organizations/{org.id}/payments", htmx=True,
                           data=pay_form(amount="fifty", currency="CAD", reference="R-1"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter an amount such as 50 or 50.00." in html
    assert "Paid in CAD: enter what it came to in US dollars." in html
    assert 'value="fifty"' in html and 'value="R-1"' in html


def test_a_payment_in_another_currency_records_both_amounts(client, db, make, login_as):
    me = login_as()
    org = make.organization(me.chapter)
    client.post(f"/organizations/{org.id}/payments",
                data=pay_form(amount="68.50", currency="CAD", usd_amount="50"))
    entry = db.session.scalar(select(DuesEntry))
    assert (entry.amount_cents, entry.currency, entry.usd_cents) == (68_50, "CAD", 50_00)


def test_another_chapters_reference_is_refused_without_naming_its_records(client, db, make,
                                                                          login_as, as_user):
    """Issue 14: the duplicate check told a secretariat another chapter's organization,
    the payment's date and a link to it."""
    me = login_as()
    elsewhere = make.chapter(code="IMA-XX", name="Elsewhere Chapter")
    theirs = make.organization(elsewhere, name="Their Hidden Center")
    make.payment(theirs, 50, method="paypal", reference="DEMO-001-1", paid_on=date(2021, 3, 9))
    mine = make.organization(me.chapter)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(f"/organizations/{mine.id}/payments", headers=headers,
                               data=pay_form(method="paypal", reference="DEMO-001-1"))
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "already recorded for a payment of another chapter" in html
        for leak in ("Their Hidden Center", "2021-03-09", f"/organizations/{theirs.id}"):
            assert leak not in html, leak
    # inline validation of the field says the same
    inline = client.post(f"/organizations/{mine.id}/payments", htmx=True,
                         data={**pay_form(method="paypal", reference="DEMO-001-1"),
                               "_validate": "reference"})
    assert "Their Hidden Center" not in inline.get_data(as_text=True)
    assert "another chapter" in inline.get_data(as_text=True)
    # the global secretariat, who sees every chapter, is told where it was recorded
    page = as_user(make.user("admin")).post(f"/organizations/{mine.id}/payments",
                       data=pay_form(method="paypal", reference="DEMO-001-1"))
    assert "Their Hidden Center" in page.get_data(as_text=True)


def test_the_same_reference_twice_is_refused_until_voided(client, db, make, login_as):
    me = login_as()
    org = make.organization(me.chapter, name="First Org")
    other = make.organization(me.chapter)
    first = make.payment(org, 50, method="paypal", reference="TX 42")
    response = client.post(f"/organizations/{other.id}/payments",
                           data=pay_form(method="paypal", reference=" tx  42 "))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This reference was already recorded on May 1, 2021 for:" in html
    assert "First Org" in html
    # The same reference with another method is another payment.
    assert client.post(f"/organizations/{other.id}/payments",
                       data=pay_form(method="venmo", reference="TX 42")).status_code == 303
    # Voided, it may be entered again (the new entry replaces the voided one).
    client.post(f"/organizations/{org.id}/entries/{first.id}/void",
                data={"reason": "wrong organization"})
    ok = client.post(f"/organizations/{other.id}/payments",
                     data=pay_form(method="paypal", reference="TX 42"))
    assert ok.status_code == 303
    again = db.session.scalar(select(DuesEntry).where(DuesEntry.replaces_id == first.id))
    assert again.organization_id == other.id


def test_voiding_a_payment_recomputes_the_standing_and_keeps_the_line(client, db, make,
                                                                      login_as):
    me = login_as()
    org = make.organization(me.chapter)
    entry = make.payment(org, 200)
    assert "May vote" in client.get(f"/organizations/{org.id}").get_data(as_text=True)
    empty = client.post(f"/organizations/{org.id}/entries/{entry.id}/void", htmx=True,
                        data={"reason": "  "})
    assert "Say why the payment is voided." in empty.get_data(as_text=True)
    response = client.post(f"/organizations/{org.id}/entries/{entry.id}/void", htmx=True,
                           data={"reason": "bounced"})
    html = response.get_data(as_text=True)
    assert "Owes US$200" in html and "Voided: bounced" in html
    twice = client.post(f"/organizations/{org.id}/entries/{entry.id}/void", htmx=True,
                        data={"reason": "again"})
    assert "already been voided" in twice.get_data(as_text=True)
    kinds = db.session.scalars(select(DuesEntry.kind).order_by(DuesEntry.id)).all()
    assert kinds == ["payment", "void"]


@pytest.mark.parametrize("method,path", [
    ("GET", "/organizations/{id}"), ("GET", "/organizations/{id}/edit"),
    ("POST", "/organizations/{id}/edit"), ("POST", "/organizations/{id}/payments"),
    ("POST", "/organizations/{id}/entries/{entry}/void"),
    ("POST", "/organizations/{id}/entries/{entry}/remitted"),
])
def test_another_chapters_organization_answers_404(client, make, login_as, method, path):
    foreign = make.organization(make.chapter(), "Foreign Org")
    entry = make.payment(foreign, 50)
    login_as()
    url = path.format(id=foreign.id, entry=entry.id)
    response = client.get(url) if method == "GET" else client.post(url, data=pay_form(
        reason="x"))
    assert response.status_code == 404
    assert "Foreign Org" not in response.get_data(as_text=True)


def test_lists_and_dues_check_show_only_the_own_chapter(client, make, login_as):
    me = login_as()
    make.organization(me.chapter, "Ours Workers Center")
    make.organization(make.chapter(), "Theirs Workers Center")
    listing = client.get("/organizations/").get_data(as_text=True)
    check = client.hx_get("/dues-check?q=workers").get_data(as_text=True)
    for html in (listing, check):
        assert "Ours Workers Center" in html and "Theirs Workers Center" not in html
    assert client.get(f"/organizations/?chapter_id={make.chapter().id}").status_code == 200


def test_chair_reads_every_chapter_but_changes_nothing(client, make, login_as):
    org = make.organization(make.chapter(), "Somewhere Org")
    login_as("chair")
    assert "Somewhere Org" in client.get("/organizations/").get_data(as_text=True)
    page = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "Record a payment" not in page
    assert client.post(f"/organizations/{org.id}/payments", data=pay_form()).status_code == 403
    assert client.get("/organizations/new").status_code == 403


def test_dues_check_answers_with_standing_cards(client, make, login_as):
    me = login_as()
    paid = make.organization(me.chapter, "Paid Up Center")
    make.payment(paid, 200)
    make.organization(me.chapter, "Owing Center", joined_on=date(2020, 2, 2))
    associate = make.organization(me.chapter, "Associate Center", membership="associate")
    make.payment(associate, 200)
    html = client.hx_get("/dues-check?q=center").get_data(as_text=True)
    assert "<html" not in html
    cards = dict(re.findall(r'<strong><a href="/organizations/\d+">([^<]+)</a></strong>.*?'
                            r'data-testid="reason">([^<]+)<', html, re.S))
    assert cards == {"Paid Up Center": "Regular member in good standing.",
                     "Owing Center": "Owes US$150 for 2020-2022.",
                     "Associate Center": "Associate members do not vote."}
    assert "No organization matches" in client.hx_get("/dues-check?q=zzz").get_data(
        as_text=True)


def test_filters_by_standing_and_sort_by_owed(client, make, login_as):
    me = login_as()
    make.payment(make.organization(me.chapter, "Alpha"), 200)
    make.payment(make.organization(me.chapter, "Beta"), 100)
    make.organization(me.chapter, "Gamma")
    owing = client.hx_get("/organizations/?standing=owing&sort=owed").get_data(as_text=True)
    assert "Alpha" not in owing and owing.index("Gamma") < owing.index("Beta")
    votes = client.hx_get("/organizations/?standing=votes").get_data(as_text=True)
    assert "Alpha" in votes and "Beta" not in votes


def test_the_count_line_counts_what_each_standing_filter_lists(client, make, login_as, app):
    """The list's count (its own query, which reads the balances only for a standing
    filter) is the number of organizations the filter lists, over every page."""
    me = login_as()
    app.config["PAGE_SIZE"] = 2
    make.payment(make.organization(me.chapter, "Alpha"), 200)     # paid up: votes
    make.payment(make.organization(me.chapter, "Beta"), 100)      # owes
    make.organization(me.chapter, "Gamma")                         # owes
    make.organization(me.chapter, "Delta", membership="associate")  # owes, no vote
    make.organization(make.chapter(), "Elsewhere")                 # another chapter's
    for standing, names in {"": {"Alpha", "Beta", "Gamma", "Delta"},
                            "good": {"Alpha"}, "owing": {"Beta", "Gamma", "Delta"},
                            "votes": {"Alpha"}, "no-vote": {"Beta", "Gamma", "Delta"}}.items():
        listed, page = set(), 1
        while True:
            html = client.get(f"/organizations/?standing={standing}&page={page}").text
            shown = set(re.findall(r'/organizations/\d+">([^<]+)</a>', html))
            if not shown - listed:
                break
            listed |= shown
            page += 1
        assert listed == names, standing
        count = re.search(r'data-count="organizations">(\d+) organization', html).group(1)
        assert int(count) == len(names), standing


def test_a_filtered_list_brings_the_new_count_of_filters_in_use(client, make, login_as):
    """The filter bar's summary ("Filters · 2 in use", what a phone shows of it folded)
    is outside the list the filters replace: the list's fragment brings a fresh count,
    swapped out of band; the page itself shows it once."""
    me = login_as()
    make.organization(me.chapter, "Alpha")
    filters = {"X-Filters": "in-use"}

    def count(html: str) -> str:
        found = re.search(r'<span id="filters-in-use" hx-swap-oob="true">(.*?)</span>\s*$',
                          html, re.S)
        assert found, html[-300:]
        return re.sub(r"<[^>]+>", "", found.group(1)).strip()

    assert count(client.hx_get("/organizations/?standing=owing&q=al&sort=owed&page=1",
                               headers=filters).get_data(as_text=True)) == "2 in use"
    assert count(client.hx_get("/organizations/?q=&standing=owing",
                               headers=filters).get_data(as_text=True)) == "1 in use"
    assert count(client.hx_get("/organizations/", headers=filters)
                 .get_data(as_text=True)) == ""
    # Without the filter bar's header (a page link), no count; the page has one, not OOB.
    assert "filters-in-use" not in client.hx_get("/organizations/?page=1").get_data(
        as_text=True)
    page = client.get("/organizations/?standing=owing").get_data(as_text=True)
    assert page.count('id="filters-in-use"') == 1 and "hx-swap-oob" not in page
    assert "1 in use" in page




def test_list_and_dues_check_make_the_same_number_of_queries_for_10_or_2000(
        client, db, make, login_as):
    from sqlalchemy import insert

    from ima_portal.domain.names import name_key

    me = login_as()

    def add(start, n):
        rows = [{"chapter_id": me.chapter_id, "name": f"Org {i}", "name_key": name_key(f"Org {i}"),
                 "country": "Kenya", "region_id": me.chapter.region_id,
                 "membership": "regular" if i % 3 else "associate", "status": "active",
                 "status_since": date(2015, 1, 1), "joined_on": date(2010 + i % 12, 1, 1),
                 "contact_person": "", "email": "", "phone": "", "notes": ""}
                for i in range(start, start + n)]
        db.session.execute(insert(Organization), rows)
        ids = db.session.scalars(select(Organization.id).where(
            Organization.name_key.in_([r["name_key"] for r in rows]))).all()
        db.session.execute(insert(DuesEntry), [
            {"organization_id": oid, "kind": "payment", "amount_cents": 50_00,
             "currency": "USD", "usd_cents": 50_00, "paid_on": date(2020, 1, 1),
             "channel": "chapter", "method": "bank", "reference": "", "reference_key": ""}
            for oid in ids])
        db.session.commit()

    def measure():
        return (count_queries(db, lambda: client.get("/organizations/")),
                count_queries(db, lambda: client.get("/organizations/?page=3&sort=owed")),
                count_queries(db, lambda: client.hx_get("/dues-check?q=org")))

    add(0, 10)
    small = measure()
    add(10, 1990)
    assert "2000 organizations" in client.get("/organizations/").get_data(as_text=True)
    assert measure() == small


def test_the_ledger_refuses_edits_and_deletes(db, make):
    org = make.organization()
    entry = make.payment(org, 50)
    for statement in ("UPDATE dues_entries SET usd_cents = 1 WHERE id = :id",
                      "DELETE FROM dues_entries WHERE id = :id"):
        with pytest.raises(DBAPIError, match="never edited or deleted"):
            db.session.execute(text(statement), {"id": entry.id})
        db.session.rollback()


def test_the_database_refuses_a_second_payment_with_the_same_reference(db, make):
    org = make.organization()
    make.payment(org, 50, method="paypal", reference="R1")
    db.session.add(DuesEntry(organization_id=org.id, kind="payment", amount_cents=50_00,
                             currency="USD", usd_cents=50_00, paid_on=date(2021, 1, 1),
                             channel="chapter", method="paypal", reference="R1",
                             reference_key="r1"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("fields", [
    {"kind": "void", "voids_id": None, "reason": "x"},           # a void names its payment
    {"kind": "payment", "amount_cents": 0},                       # a payment is positive
    {"kind": "payment", "usd_cents": 10_00},                      # USD amounts agree
    {"kind": "payment", "method": "bitcoin"},                     # known methods only
])
def test_the_database_refuses_malformed_ledger_lines(db, make, fields):
    org = make.organization()
    values = {"organization_id": org.id, "kind": "payment", "amount_cents": 50_00,
              "currency": "USD", "usd_cents": 50_00, "paid_on": date(2021, 1, 1),
              "channel": "chapter", "method": "bank", "reference": "", "reference_key": ""}
    values.update(fields)
    db.session.add(DuesEntry(**values))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_organization_names_are_unique_per_chapter_in_the_database(db, make):
    org = make.organization(name="Casa Migrante")
    clash = Organization(chapter_id=org.chapter_id, name="CASA MIGRANTE",
                         name_key="casa migrante", country="X", region_id=org.region_id,
                         membership=org.membership, status=org.status,
                         status_since=date(2020, 1, 1))
    db.session.add(clash)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_csv_exports_follow_the_scope_and_the_filters(client, make, login_as):
    import csv
    import io

    me = login_as()
    ours = make.organization(me.chapter, "=HYPERLINK(\"http://evil\")")
    make.payment(ours, 50)
    make.organization(me.chapter, "Paid Center")
    make.organization(make.chapter(), "Foreign Center")
    response = client.get("/organizations/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Name" and len(rows) == 3
    names = {r[0] for r in rows[1:]}
    assert "Foreign Center" not in " ".join(names)
    assert "'=HYPERLINK(\"http://evil\")" in names  # never a live formula
    report = client.get("/organizations/dues-report.csv?q=paid").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(report.lstrip("\ufeff"))))
    assert lines[1][1:9] == ["Paid Center", "Regular member", "200.00", "0.00", "200.00",
                             "-200.00", "2019 2020 2021 2022", "no"]


def test_a_chapter_payment_is_marked_remitted_once(client, db, make, login_as):
    from ima_portal.members.models import Remittance

    me = login_as()
    org = make.organization(me.chapter)
    through_chapter = make.payment(org, 50, channel="chapter")
    direct = make.payment(org, 50, channel="global", paid_on=date(2021, 6, 1))
    url = f"/organizations/{org.id}/entries/{through_chapter.id}/remitted"
    early = client.post(url, htmx=True, data={"remitted_on": "2020-01-01"})
    assert early.status_code == 422 and "between the payment and today" in early.get_data(
        as_text=True)
    ok = client.post(url, htmx=True, data={"remitted_on": "2021-07-01"})
    assert ok.status_code == 200 and "remitted Jul 1, 2021" in ok.get_data(as_text=True)
    again = client.post(url, htmx=True, data={"remitted_on": "2021-07-02"})
    assert "already marked as remitted" in again.get_data(as_text=True)
    other = client.post(f"/organizations/{org.id}/entries/{direct.id}/remitted", htmx=True,
                        data={"remitted_on": "2021-07-01"})
    assert "directly to the global secretariat" in other.get_data(as_text=True)
    void = client.post(f"/organizations/{org.id}/entries/{through_chapter.id}/void",
                       htmx=True, data={"reason": "typo"})
    assert "already remitted" in void.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Remittance)) == 1


def test_the_dues_report_speaks_its_readers_language(client, make, login_as):
    """Issue 12: a CSV people read has its header, labels and yes/no in their language;
    the figures stay plain for a spreadsheet."""
    import csv
    import io
    me = login_as()
    make.payment(make.organization(me.chapter, "Paid Center"), 200)
    report = client.get("/organizations/dues-report.csv",
                        headers={"Accept-Language": "fr"}).get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(report.lstrip("\ufeff"))))
    assert "Chapter" not in lines[0] and "Organization" not in lines[0]
    assert lines[1][2] != "Regular member" and lines[1][3] == "200.00"
    assert lines[1][8] in ("oui", "non")
