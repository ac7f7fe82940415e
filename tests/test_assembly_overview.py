"""The chapter's assembly page and name badges, through the app on SQLite and PostgreSQL:
a secretariat lands on their chapter's page and sees only it (another chapter: 404, its
badges too); each item of what needs doing appears with its link, and "Nothing needs
doing" when nothing does; the counts link to the filtered delegates list; the fees and the
fund's progress add up; a badge sheet carries every name as typed in each script, eight
to a page, withdrawn registrations left out."""
from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta

from pypdf import PdfReader

from ima_portal.assembly import fees
from ima_portal.assembly.models import Registration
from ima_portal.db_types import utcnow
from ima_portal.domain.assembly import Participation, RegistrationState

from .test_scripts import EXACT, REORDERED, embedded_fonts, pdf_text, same_letters

PAGE = "/assemblies/5/chapters/IMA-USA/"


def add(db, assembly, org, name, **fields) -> Registration:
    values = {"participation": Participation.NON_VOTING, "arrival": date(2022, 11, 29),
              "departure": date(2022, 12, 4)}
    values.update(fields)
    reg = Registration(assembly_id=assembly.id, organization_id=org.id,
                       chapter_id=org.chapter_id, full_name=name, **values)
    db.session.add(reg)
    db.session.commit()
    return reg


def world(make, db, deadline_in_days=10):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    other = make.chapter("IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    assembly = make.assembly(registration_deadline=utcnow() + timedelta(days=deadline_in_days))
    w = {"assembly": assembly, "chapter": chapter, "other_chapter": other,
         "sec": make.user("secretariat", chapter=chapter, name="Maria Santos"),
         "other": make.user("secretariat", chapter=other, name="Wanjiru Kamau"),
         "admin": make.user("admin", name="Global Sec"), "chair": make.user("chair")}
    w["paid"] = make.organization(chapter, "Paid Up Workers")
    make.payment(w["paid"], 200)
    w["owing"] = make.organization(chapter, "Owing Collective")
    make.payment(w["owing"], 50)
    w["foreign"] = make.organization(other, "Nairobi Migrants")
    return w


def texts(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text)))


def todo_items(response) -> dict[str, list[str]]:
    items: dict[str, list[str]] = {}
    for kind, body in re.findall(r'<li data-todo="(\w+)">(.*?)</li>', response.text, re.S):
        items.setdefault(kind, []).append(html.unescape(body))
    return items


# ---- scope ---------------------------------------------------------------------------------------

def test_a_secretariat_lands_on_their_chapters_page_and_no_other(make, db, as_user):
    w = world(make, db)
    client = as_user(w["sec"])
    response = client.get("/assembly/")
    assert response.status_code in (302, 303) and response.location.endswith(PAGE)
    assert client.get("/assemblies/5/chapters/").location.endswith(PAGE)
    page = client.get(PAGE)
    assert page.status_code == 200 and "IMA USA at the 5th Global Assembly" in texts(page)
    assert 'aria-label="Chapters"' not in page.text  # no picker for a secretariat
    other = as_user(w["other"])
    assert other.get(PAGE).status_code == 404
    assert other.get("/assemblies/5/chapters/IMA-USA/badges.pdf").status_code == 404
    assert other.get("/assemblies/5/chapters/NOPE/").status_code == 404
    assert client.get("/assemblies/9/chapters/IMA-USA/").status_code == 404


def test_the_chair_and_the_global_secretariat_pick_any_chapter(make, db, as_user):
    w = world(make, db)
    add(db, w["assembly"], w["paid"], "Luz", participation=Participation.VOTING)
    add(db, w["assembly"], w["paid"], "Ramon", state=RegistrationState.CONFIRMED)
    add(db, w["assembly"], w["paid"], "Gone", state=RegistrationState.WITHDRAWN)
    for who in ("admin", "chair"):
        client = as_user(make.user(who))
        assert client.get("/assembly/").location.endswith("/assemblies/5/delegates/")
        listing = client.get("/assemblies/5/chapters/")
        assert listing.status_code == 200
        assert 'href="/assemblies/5/chapters/IMA-Kenya/"' in listing.text
        usa_row = re.search(r'<tr data-chapter="IMA-USA">.*?</tr>', listing.text, re.S).group(0)
        assert re.findall(r"<td>(\d+)</td>", usa_row) == ["1", "1", "1"]
        page = client.get("/assemblies/5/chapters/IMA-Kenya/")
        assert page.status_code == 200 and 'aria-label="Chapters"' in page.text
        assert client.get(PAGE).status_code == 200


def test_the_page_is_in_the_navigation_and_the_assembly_tabs(make, db, as_user):
    w = world(make, db)
    delegates = as_user(w["sec"]).get("/assemblies/5/delegates/")
    assert f'href="{PAGE[:-len("IMA-USA/")]}"' in delegates.text  # the tab: /chapters/
    home = as_user(w["admin"]).get("/")
    assert 'href="/assembly/chapters/"' in home.text


# ---- what needs doing ----------------------------------------------------------------------------

def test_nothing_needs_doing(make, db, as_user):
    w = world(make, db, deadline_in_days=60)
    add(db, w["assembly"], w["paid"], "Luz Dimasalang", participation=Participation.VOTING,
        state=RegistrationState.CONFIRMED)
    page = as_user(w["sec"]).get(PAGE)
    assert 'data-todo-count="0"' in page.text and "Nothing needs doing" in page.text


def test_each_item_of_what_needs_doing_with_its_link(make, db, as_user):
    w = world(make, db)
    a = w["assembly"]
    lost = add(db, a, w["owing"], "Vote Lost", participation=Participation.VOTING,
               state=RegistrationState.CONFIRMED)
    late = add(db, a, w["owing"], "Late Arrival", arrival=date(2022, 11, 30),
               state=RegistrationState.CONFIRMED)
    pending = add(db, a, w["owing"], "Pending Person", international=False)
    gone = add(db, a, w["owing"], "Gone Person", arrival=date(2022, 11, 25),
               state=RegistrationState.WITHDRAWN)
    page = as_user(w["sec"]).get(PAGE)
    items = todo_items(page)
    assert set(items) == {"no_voting_delegate", "vote_lost", "fee_due", "dates", "pending"}
    [missing] = items["no_voting_delegate"]
    assert "Paid Up Workers may vote but has no voting delegate" in missing
    assert f'/assemblies/5/delegates/new?organization_id={w["paid"].id}' in missing
    [flag] = items["vote_lost"]
    assert "Vote Lost is the voting delegate of Owing Collective" in flag and "Owes" in flag
    assert f'/organizations/{w["owing"].id}' in flag
    fee_items = items["fee_due"]  # 10 days to the deadline: near
    assert len(fee_items) == 2  # the two international ones; the local one owes nothing
    assert any("Vote Lost still owes US$250" in i and f"/delegates/{lost.id}/fee" in i
               for i in fee_items)
    [dates] = items["dates"]
    assert "Late Arrival" in dates and "recommended" in dates
    assert f"/delegates/{late.id}/edit" in dates
    [waiting] = items["pending"]
    assert "1 registration awaits confirmation" in waiting and "Pending Person" in waiting
    assert f'/assemblies/5/delegates/?state=pending&chapter_id={w["chapter"].id}"' in waiting
    assert f"/delegates/{pending.id}/" not in str(items)  # local: no fee; dates fine
    assert "Gone Person" not in str(items) and f"/delegates/{gone.id}/" not in str(items)


def test_fees_are_listed_only_near_the_deadline(make, db, as_user):
    w = world(make, db, deadline_in_days=60)
    add(db, w["assembly"], w["paid"], "Luz Dimasalang", state=RegistrationState.CONFIRMED)
    items = todo_items(as_user(w["sec"]).get(PAGE))
    assert "fee_due" not in items


def test_a_pending_link_lands_on_the_filtered_list(make, db, as_user):
    w = world(make, db)
    add(db, w["assembly"], w["paid"], "Pending Person")
    add(db, w["assembly"], w["paid"], "Confirmed Person", state=RegistrationState.CONFIRMED)
    client = as_user(w["sec"])
    link = re.search(r'<li data-todo="pending">.*?href="([^"]+)"', client.get(PAGE).text,
                     re.S).group(1)
    listed = client.get(html.unescape(link))
    assert "Pending Person" in listed.text and "Confirmed Person" not in listed.text


# ---- figures -------------------------------------------------------------------------------------

def test_counts_fees_and_the_fund(make, db, as_user):
    w = world(make, db)
    a, sec = w["assembly"], w["sec"]
    luz = add(db, a, w["paid"], "Luz", participation=Participation.VOTING,
              state=RegistrationState.CONFIRMED)
    ramon = add(db, a, w["paid"], "Ramon", participation=Participation.OBSERVER)
    add(db, a, w["paid"], "Thai Host", international=False, state=RegistrationState.CONFIRMED)
    gone = add(db, a, w["paid"], "Gone", state=RegistrationState.WITHDRAWN)
    add(db, a, w["foreign"], "Amina")  # another chapter: not counted
    client = as_user(sec)
    page = client.get(PAGE)
    assert 'The chapter has no solidarity fund' in page.text
    assert 'href="/assemblies/5/funds/IMA-USA"' in page.text
    _, fund = fees.save_fund(sec, w["chapter"], a, 6000_00)
    fees.receive(sec, fund, 1500_00, date(2022, 9, 1), "Dinner", False)
    fees.grant(sec, fund, ramon, fees.GrantPurpose.FEE, 100_00)
    fees.record_payment(sec, luz, 250_00, "bank", date(2022, 10, 1), "TX-1")
    fees.record_payment(sec, gone, 40_00, "bank", date(2022, 10, 1), "TX-2")
    db.session.commit()
    page = client.get(PAGE)
    cell = dict(re.findall(r'data-count="([\w-]+)">(?:<a href="[^"]*">)?(\d+)', page.text))
    assert cell["voting-confirmed"] == "1" and cell["observer-pending"] == "1"
    assert cell["non_voting-confirmed"] == "1" and cell["non_voting-withdrawn"] == "1"
    assert cell["all-pending"] == "1" and cell["all-confirmed"] == "2"
    assert "3 registrations pending or confirmed" in texts(page)
    assert ('/assemblies/5/delegates/?participation=voting&amp;state=confirmed&amp;chapter_id='
            f'{w["chapter"].id}') in page.text
    fee = dict(re.findall(r'data-fee="(\w+)">(?:<a href="[^"]*">)?([^<]+)', page.text))
    assert fee == {"due": "US$500", "paid": "US$250", "granted": "US$100",
                   "still_due": "US$150", "to_settle": "US$40"}
    fund_text = texts(page).split("Solidarity fund", 2)[-1]
    assert "US$1,500 of US$6,000 (25 %)" in fund_text and "balance US$1,400" in fund_text
    assert '<progress value="25" max="100"' in page.text


# ---- name badges ---------------------------------------------------------------------------------

def pages_of(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def test_a_badge_sheet_prints_every_script_as_typed(make, db, as_user):
    w = world(make, db)
    names = EXACT[:1] + EXACT[3:] + REORDERED  # Vietnamese, Thai, Arabic, CJK; Indic
    for name in names:
        add(db, w["assembly"], w["paid"], name)
    add(db, w["assembly"], w["paid"], "Voting Person", participation=Participation.VOTING)
    response = as_user(w["sec"]).get("/assemblies/5/chapters/IMA-USA/badges.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    read = pdf_text(response.data)
    unbroken = re.sub(r"\s+", "", read)
    for name in EXACT[:1] + EXACT[3:]:
        assert re.sub(r"\s+", "", name) in unbroken, (name, read)
    for name in REORDERED:
        assert same_letters(name, read), (name, read)
    assert "VOTING DELEGATE" in read and "Paid Up Workers" in read and "IMA USA" in read
    fonts = embedded_fonts(response.data)
    for script in ("Thai", "Arabic", "Devanagari", "Bengali", "SC", "KR", "vietnamese"):
        assert any(script in font for font in fonts), (script, fonts)
    assert not any("DejaVu" in font for font in fonts)


def test_badges_paginate_eight_to_a_page_without_the_withdrawn(make, db, as_user):
    w = world(make, db)
    for n in range(9):
        add(db, w["assembly"], w["paid"], f"Delegate {n}", state=RegistrationState.CONFIRMED)
    gone = add(db, w["assembly"], w["paid"], "Withdrawn Person",
               state=RegistrationState.WITHDRAWN)
    client = as_user(w["sec"])
    data = client.get("/assemblies/5/chapters/IMA-USA/badges.pdf").data
    assert pages_of(data) == 2
    read = pdf_text(data)
    assert all(f"Delegate {n}" in read for n in range(9)) and "Withdrawn Person" not in read
    assert client.get(f"/assemblies/5/delegates/{gone.id}/badge.pdf").status_code == 404


def test_one_delegates_badge_and_another_chapters_is_404(make, db, as_user):
    w = world(make, db)
    luz = add(db, w["assembly"], w["paid"], "Luz Dimasalang",
              participation=Participation.VOTING)
    amina = add(db, w["assembly"], w["foreign"], "Amina Otieno")
    client = as_user(w["sec"])
    response = client.get(f"/assemblies/5/delegates/{luz.id}/badge.pdf")
    assert response.status_code == 200 and pages_of(response.data) == 1
    read = pdf_text(response.data)
    assert "Luz Dimasalang" in read and "VOTING DELEGATE" in read
    assert client.get(f"/assemblies/5/delegates/{amina.id}/badge.pdf").status_code == 404
    assert as_user(w["admin"]).get(
        f"/assemblies/5/delegates/{amina.id}/badge.pdf").status_code == 200
    listing = client.get("/assemblies/5/delegates/")
    assert f'/assemblies/5/delegates/{luz.id}/badge.pdf' in listing.text


def test_no_badges_for_a_chapter_without_registrations(make, db, as_user):
    w = world(make, db)
    assert as_user(w["sec"]).get("/assemblies/5/chapters/IMA-USA/badges.pdf").status_code == 404


def test_a_delegate_who_needs_a_visa_letter_is_listed_until_it_is_requested(make, db,
                                                                             as_user):
    """The letters' side (issue 11): a confirmed international delegate marked as needing
    a visa letter, with none requested, is an item linking to the request form."""
    from .letters_helpers import LETTER_FORM
    w = world(make, db, deadline_in_days=60)
    a = w["assembly"]
    needs = add(db, a, w["paid"], "Needs Letter", state=RegistrationState.CONFIRMED,
                needs_visa_letter=True)
    add(db, a, w["paid"], "Pending Needs", needs_visa_letter=True)  # not confirmed yet
    add(db, a, w["paid"], "Local Person", state=RegistrationState.CONFIRMED,
        international=False, needs_visa_letter=True)
    client = as_user(w["sec"])
    [item] = todo_items(client.get(PAGE)).get("visa_letter", [])
    assert "Needs Letter needs a visa invitation letter; none is requested yet" in item
    assert f"/assemblies/5/delegates/{needs.id}/letter" in item and "Request the letter" in item
    response = client.post(f"/assemblies/5/delegates/{needs.id}/letter", data=LETTER_FORM)
    assert response.status_code in (302, 303), response.text
    assert "visa_letter" not in todo_items(client.get(PAGE))
