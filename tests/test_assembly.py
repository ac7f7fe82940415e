"""Registering delegates for the Global Assembly through the pages: who may vote, one
voting delegate per organization (also when two register at once), dates, the deadline,
the flag after a voided payment, the voting roll as page, CSV and PDF, and scope.
On SQLite and PostgreSQL."""
from __future__ import annotations

import io
import re
import threading
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ima_portal.assembly import operations, queries
from ima_portal.assembly.models import Assembly, Registration
from ima_portal.db_types import utcnow
from ima_portal.domain.assembly import Participation, RegistrationState


@pytest.fixture
def world(make, db):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    other = make.chapter("IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    assembly = make.assembly()
    paid = make.organization(chapter, "Paid Up Workers")
    make.payment(paid, 200)
    owing = make.organization(chapter, "Owing Workers")
    make.payment(owing, 50)
    associate = make.organization(chapter, "Associate Friends", membership="associate")
    make.payment(associate, 200)
    foreign = make.organization(other, "Nairobi Migrants")
    make.payment(foreign, 200)
    return {"assembly": assembly, "chapter": chapter, "paid": paid, "owing": owing,
            "associate": associate, "foreign": foreign,
            "sec": make.user("secretariat", chapter=chapter, name="Maria Santos"),
            "sec2": make.user("secretariat", chapter=chapter, name="Rosa Lim"),
            "other": make.user("secretariat", chapter=other),
            "admin": make.user("admin"), "chair": make.user("chair")}




def form(org, **fields) -> dict:
    data = {"organization_id": str(org.id), "participation": "voting",
            "full_name": "Luz Dimasalang", "email": "", "phone": "", "international": "y",
            "arrival": "2022-11-29", "departure": "2022-12-04", "accommodation": "y",
            "interpretation": ""}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def values(**fields) -> dict:
    data = {"full_name": "Luz Dimasalang", "email": "", "phone": "", "participation": "voting",
            "delegation_lead": False, "international": True, "arrival": date(2022, 11, 29),
            "departure": date(2022, 12, 4), "accommodation": True, "interpretation": "",
            "dietary": "", "access_needs": "", "offers_speaker": False,
            "offers_cultural": False, "offers_materials": False, "consent_list": False}
    data.update(fields)
    return data


def registrations(db) -> list[Registration]:
    db.session.expire_all()
    return list(db.session.scalars(select(Registration).order_by(Registration.id)))


URL = "/assemblies/5/delegates/new"


# ---- who may vote ----------------------------------------------------------------------------

def test_a_secretariat_registers_a_voting_delegate_for_a_member_in_good_standing(
        world, as_user, db):
    response = as_user(world["sec"]).post(URL, data=form(world["paid"], delegation_lead="y",
                                                         interpretation="tl"))
    assert response.status_code == 303
    (reg,) = registrations(db)
    assert (reg.full_name, reg.participation, reg.state) == (
        "Luz Dimasalang", Participation.VOTING, RegistrationState.PENDING)
    assert reg.chapter_id == world["chapter"].id and reg.interpretation == "tl"


def test_an_organization_that_owes_is_refused_a_vote_with_the_amount_and_a_link(
        world, as_user, db):
    client = as_user(world["sec"])
    choices = client.hx_get(f"/assemblies/5/participation?organization_id={world['owing'].id}")
    assert "Owes US$150 for 2020-2022" in choices.text
    assert f'href="/organizations/{world["owing"].id}#dues-section">Record the payment' in \
        choices.text
    # Refused but reachable: not disabled, aria-disabled and described by its reason.
    assert re.search(r'value="voting"[^>]*aria-disabled="true"', choices.text)
    assert not re.search(r'value="voting"[^>]*\sdisabled[\s>]', choices.text)
    response = client.post(URL, data=form(world["owing"], full_name="Typed Name Kept"))
    assert response.status_code == 422
    feedback = re.search(r'id="participation-feedback">(.*?)</div>', response.text, re.S)
    assert "Owes US$150 for 2020-2022" in feedback.group(1)
    assert 'value="Typed Name Kept"' in response.text
    assert registrations(db) == []


def test_an_associate_member_gets_no_vote_and_is_told_why(world, as_user, db):
    client = as_user(world["sec"])
    choices = client.hx_get(
        f"/assemblies/5/participation?organization_id={world['associate'].id}")
    assert "Associate members take part but do not vote." in choices.text
    assert client.post(URL, data=form(world["associate"])).status_code == 422
    assert client.post(URL, data=form(world["associate"],
                                      participation="non_voting")).status_code == 303


def test_one_voting_delegate_per_organization(world, as_user, db):
    client = as_user(world["sec"])
    assert client.post(URL, data=form(world["paid"])).status_code == 303
    second = client.post(URL, data=form(world["paid"], full_name="Ramon Aquino"))
    assert second.status_code == 422
    assert "already has a voting delegate for this assembly: Luz Dimasalang" in second.text
    assert client.post(URL, data=form(world["paid"], full_name="Ramon Aquino",
                                      participation="observer")).status_code == 303
    # Withdrawn, the record stays and the vote is free again.
    first = registrations(db)[0]
    client.post(f"/assemblies/5/delegates/{first.id}/state", data={"state": "withdrawn"})
    assert client.post(URL, data=form(world["paid"], full_name="Ana Cruz")).status_code == 303
    states = [(r.full_name, r.state) for r in registrations(db)]
    assert ("Luz Dimasalang", RegistrationState.WITHDRAWN) in states


def test_the_database_refuses_a_second_voting_delegate(world, db):
    for name in ("A", "B"):
        db.session.add(Registration(
            assembly_id=world["assembly"].id, organization_id=world["paid"].id,
            chapter_id=world["chapter"].id, full_name=name, participation=Participation.VOTING,
            arrival=date(2022, 11, 29), departure=date(2022, 12, 4)))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_two_secretariats_registering_a_voting_delegate_at_once_get_one(world, app, db):
    """Both check, both see no voting delegate yet, both insert: the partial unique index
    lets one through and the other gets a clear refusal, never an error page."""
    barrier = threading.Barrier(2)
    outcomes: list = []
    ids = {k: world[k].id for k in ("assembly", "paid", "sec", "sec2")}

    def register(user_key: str, name: str) -> None:
        from ima_portal.auth.models import User
        from ima_portal.extensions import db as _db
        from ima_portal.members.models import Organization
        with app.app_context():
            assembly = _db.session.get(Assembly, ids["assembly"])
            org = _db.session.get(Organization, ids["paid"])
            user = _db.session.get(User, ids[user_key])
            barrier.wait()
            outcome = operations.register(user, assembly, org, values(full_name=name))
            if outcome.decision:
                _db.session.commit()
            else:
                _db.session.rollback()
            outcomes.append(outcome.decision.message() if not outcome.decision else "ok")
            _db.session.remove()

    threads = [threading.Thread(target=register, args=("sec", "Luz")),
               threading.Thread(target=register, args=("sec2", "Ramon"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes, key=lambda o: o != "ok")[0] == "ok"
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes
    refusal = next(o for o in outcomes if o != "ok")
    assert "already has a voting delegate for this assembly" in refusal
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1


# ---- dates and deadline -------------------------------------------------------------------------

def test_dates_outside_the_window_are_refused_beside_the_field(world, as_user, db):
    response = as_user(world["sec"]).post(URL, data=form(world["paid"], arrival="2022-11-01"))
    assert response.status_code == 422
    feedback = re.search(r'id="arrival-feedback">(.*?)</div>', response.text, re.S)
    assert "Arrival must be between 2022-11-23" in feedback.group(1)
    assert registrations(db) == []


def test_early_arrival_is_allowed_and_the_uncovered_nights_are_counted(world, as_user, db):
    client = as_user(world["sec"])
    check = client.post("/assemblies/5/dates", htmx=True,
                        data=form(world["paid"], arrival="2022-11-26"))
    assert "2 nights not covered by the fee: Nov 26, 2022, Nov 27, 2022." in check.text
    assert client.post(URL, data=form(world["paid"], arrival="2022-11-26")).status_code == 303


def test_after_the_deadline_only_the_global_secretariat_registers(world, as_user, db):
    world["assembly"].registration_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    refused = as_user(world["sec"]).post(URL, data=form(world["paid"]))
    assert refused.status_code == 422 and "deadline" in refused.text
    assert registrations(db) == []
    assert as_user(world["admin"]).post(URL, data=form(world["paid"])).status_code == 303


# ---- the flag, the roll --------------------------------------------------------------------------

def test_a_voided_payment_flags_the_confirmed_voting_delegate(world, as_user, db, make):
    client = as_user(world["sec"])
    client.post(URL, data=form(world["paid"]))
    (reg,) = registrations(db)
    client.post(f"/assemblies/5/delegates/{reg.id}/state", data={"state": "confirmed"})
    entry = db.session.scalar(select(type(reg.organization.entries[0])).where(
        type(reg.organization.entries[0]).organization_id == world["paid"].id))
    client.post(f"/organizations/{world['paid'].id}/entries/{entry.id}/void",
                data={"reason": "The bank returned it."})
    listing = client.get("/assemblies/5/delegates/").text
    assert "No longer entitled to vote:" in listing and "Owes US$200 for 2019-2022" in listing
    assert registrations(db)[0].state is RegistrationState.CONFIRMED  # not dropped
    roll = client.get("/assemblies/5/voting-roll.csv").text
    assert "Luz Dimasalang" in roll and "no: Owes US$200" in roll


def test_the_voting_roll_pdf_lists_exactly_the_voting_delegates(world, as_user, make, db):
    client = as_user(world["admin"])
    client.post(URL, data=form(world["paid"], full_name="Voting Delegate One"))
    client.post(URL, data=form(world["foreign"], full_name="Voting Delegate Two"))
    client.post(URL, data=form(world["paid"], full_name="Just An Observer",
                               participation="observer"))
    client.post(URL, data=form(world["associate"], full_name="Associate Person",
                               participation="non_voting"))
    page = client.get("/assemblies/5/voting-roll").text
    assert "Voting Delegate One" in page and "Just An Observer" not in page
    response = client.get("/assemblies/5/voting-roll.pdf")
    assert response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Voting Delegate One" in text and "Voting Delegate Two" in text
    assert "Just An Observer" not in text and "Associate Person" not in text
    assert "2 entitled voting delegates: 0 confirmed, 2 pending" in re.sub(r"\s+", " ", text)
    # A chapter secretariat's roll has its chapter only.
    mine = as_user(world["sec"]).get("/assemblies/5/voting-roll.pdf").data
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(mine)).pages)
    assert "Voting Delegate One" in text and "Voting Delegate Two" not in text


# ---- lists, exports, scope -----------------------------------------------------------------------

def test_the_list_filters_confirms_in_bulk_and_exports(world, as_user, db):
    client = as_user(world["sec"])
    client.post(URL, data=form(world["paid"], interpretation="es"))
    client.post(URL, data=form(world["paid"], full_name="Ramon Aquino",
                               participation="observer", arrival="2022-11-28"))
    ids = [str(r.id) for r in registrations(db)]
    assert "Ramon Aquino" not in client.hx_get(
        "/assemblies/5/delegates/", query_string={"interpretation": "es"}).text
    assert "Luz Dimasalang" not in client.hx_get(
        "/assemblies/5/delegates/", query_string={"arrival": "2022-11-28"}).text
    client.post("/assemblies/5/delegates/confirm", data={"ids": ids})
    assert {r.state for r in registrations(db)} == {RegistrationState.CONFIRMED}
    csv_text = client.get("/assemblies/5/delegates.csv").text
    assert csv_text.splitlines()[0].lstrip("\ufeff").startswith("chapter,organization")
    assert "Luz Dimasalang" in csv_text and "US$250" in csv_text


def test_another_chapter_sees_nothing_of_ours(world, as_user, db):
    as_user(world["sec"]).post(URL, data=form(world["paid"]))
    (reg,) = registrations(db)
    other = as_user(world["other"])
    assert other.get(f"/assemblies/5/delegates/{reg.id}/edit").status_code == 404
    assert other.post(f"/assemblies/5/delegates/{reg.id}/state",
                      data={"state": "withdrawn"}).status_code == 404
    assert "Luz Dimasalang" not in other.get("/assemblies/5/delegates/").text
    assert "Luz Dimasalang" not in other.get("/assemblies/5/delegates.csv").text
    # Nor can it register for our organizations, or read their standing.
    assert other.post(URL, data=form(world["paid"])).status_code == 422
    choices = other.hx_get(f"/assemblies/5/participation?organization_id={world['paid'].id}")
    assert "good standing" not in choices.text
    assert registrations(db)[0].state is RegistrationState.PENDING


def test_the_global_secretariat_keeps_the_assemblys_facts(world, as_user, db):
    data = {"number": "6", "name": "6th Global Assembly", "city": "Mexico City",
            "country": "Mexico", "first_day": "2026-11-30", "last_day": "2026-11-28",
            "arrive_by": "2026-11-29", "leave_on": "2026-12-04", "nights_from": "2026-11-28",
            "checkout_on": "2026-12-04", "fee": "two hundred", "fee_covers": "Food",
            "registration_opens": "2026-08-01", "registration_deadline": "2026-10-31",
            "dues_policy_id": "1"}
    client = as_user(world["admin"])
    bad = client.post("/assemblies/new", data=data)
    assert bad.status_code == 422
    assert "The last day comes before the first." in re.search(
        r'id="last_day-feedback">(.*?)</div>', bad.text, re.S).group(1)
    assert "Enter an amount in US dollars" in bad.text and 'value="Mexico City"' in bad.text
    data.update(last_day="2026-12-03", fee="250", arrive_by="2026-10-01")
    early = client.post("/assemblies/new", data=data)
    assert "within the week before the first day" in re.search(
        r'id="arrive_by-feedback">(.*?)</div>', early.text, re.S).group(1)
    data.update(arrive_by="2026-11-29")
    assert client.post("/assemblies/new", data=data).status_code == 303
    sixth = queries.by_number(6)
    assert sixth.fee_cents == 250_00 and sixth.deadline_on == date(2026, 10, 31)
    taken = client.post("/assemblies/new", data=data)
    assert taken.status_code == 422 and "Another assembly has this number." in taken.text
    assert as_user(world["sec"]).get("/assemblies/new").status_code == 403
    assert as_user(world["sec"]).get("/assemblies/5/settings").status_code == 403


def test_a_voting_delegate_who_lost_the_vote_is_not_confirmed_and_keeps_the_flag(
        world, as_user, db):
    client = as_user(world["sec"])
    client.post(URL, data=form(world["paid"], full_name="Flagged Person"))
    client.post(URL, data=form(world["owing"], full_name="Owing Observer",
                               participation="observer"))
    reg = registrations(db)[0]
    entry = reg.organization.entries[0]
    client.post(f"/organizations/{world['paid'].id}/entries/{entry.id}/void",
                data={"reason": "Returned."})
    # Confirming is refused with the reason, one by one and in bulk.
    response = client.post(f"/assemblies/5/delegates/{reg.id}/state",
                           data={"state": "confirmed"}, follow_redirects=True)
    assert "cannot be confirmed as the voting delegate" in response.text
    client.post("/assemblies/5/delegates/confirm", data={"ids": [str(reg.id)]})
    assert registrations(db)[0].state is RegistrationState.PENDING
    # An edit that keeps the participation does not drop the vote: it stays flagged.
    page = client.get(f"/assemblies/5/delegates/{reg.id}/edit").text
    assert "Kept as registered, but flagged" in page
    assert re.search(r'value="voting"\s+checked', page)
    assert client.post(f"/assemblies/5/delegates/{reg.id}/edit", data=form(
        world["paid"], full_name="Flagged Person", phone="+1 555 0100")).status_code == 303
    reg = registrations(db)[0]
    assert reg.participation is Participation.VOTING and reg.phone == "+1 555 0100"
    # The roll's PDF lists the entitled only, and says how many are flagged.
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        client.get("/assemblies/5/voting-roll.pdf").data)).pages)
    assert "Flagged Person" not in text and "1 voting registration flagged" in \
        re.sub(r"\s+", " ", text)


def test_every_refusal_goes_beside_its_field_at_once(world, as_user):
    response = as_user(world["sec"]).post(URL, data=form(
        world["owing"], arrival="2022-11-01", departure="2022-12-30", full_name="Kept"))
    assert response.status_code == 422
    for name, text in (("participation", "Owes US$150"), ("arrival", "Arrival must be"),
                       ("departure", "Departure must be")):
        feedback = re.search(rf'id="{name}-feedback">(.*?)</div>', response.text, re.S)
        assert text in feedback.group(1), name
    # Beside its field and in the error summary; not repeated under the dates.
    assert response.text.count("Arrival must be") == 2


def test_after_the_deadline_a_secretariat_changes_nothing(world, as_user, db):
    client = as_user(world["sec"])
    client.post(URL, data=form(world["paid"]))
    (reg,) = registrations(db)
    world["assembly"].registration_deadline = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert client.post(f"/assemblies/5/delegates/{reg.id}/edit",
                       data=form(world["paid"], full_name="Changed")).status_code == 422
    client.post(f"/assemblies/5/delegates/{reg.id}/state", data={"state": "withdrawn"})
    client.post("/assemblies/5/delegates/confirm", data={"ids": [str(reg.id)]})
    reg = registrations(db)[0]
    assert (reg.full_name, reg.state) == ("Luz Dimasalang", RegistrationState.PENDING)


def test_the_deadline_day_is_a_whole_day_anywhere_on_earth(world, as_user, db):
    from ima_portal.domain.assembly import deadline_moment
    world["assembly"].registration_deadline = deadline_moment(date(2030, 10, 31))
    db.session.commit()
    for zone in ("Pacific/Kiritimati", "America/Los_Angeles", "UTC"):
        world["sec"].timezone = zone
        db.session.commit()
        page = as_user(world["sec"]).get("/assemblies/5/delegates/").text
        assert "registration until October 31, 2030 (anywhere on Earth)" in page, zone


def test_the_roll_is_in_chapter_order(world, as_user, db):
    client = as_user(world["admin"])
    client.post(URL, data=form(world["paid"], full_name="From USA"))
    client.post(URL, data=form(world["foreign"], full_name="From Kenya"))
    page = client.get("/assemblies/5/voting-roll").text
    assert page.index("From Kenya") < page.index("From USA")  # IMA-Kenya before IMA-USA


# ---- the queries take the user; the pages show what the rules allow ---------------------------

def test_the_queries_scope_to_the_user_they_are_given_without_a_request(world, app, db):
    """No request, no `current_user`: the command line and the worker get the same scope."""
    usa = {o.name for o in queries.organizations_for(world["sec"])}
    kenya = {o.name for o in queries.organizations_for(world["other"])}
    everyone = {o.name for o in queries.organizations_for(world["admin"])}
    assert usa == {"Paid Up Workers", "Owing Workers", "Associate Friends"}
    assert kenya == {"Nairobi Migrants"}
    assert everyone == usa | kenya
    operations.register(world["sec"], world["assembly"], world["paid"], values())
    operations.register(world["admin"], world["assembly"], world["foreign"],
                        values(full_name="Amina Otieno"))
    db.session.flush()
    names = lambda user: [r.registration.full_name  # noqa: E731
                          for r in queries.delegates(user, world["assembly"], queries.Filters())]
    assert names(world["sec"]) == ["Luz Dimasalang"]
    assert names(world["other"]) == ["Amina Otieno"]
    assert sorted(names(world["chair"])) == ["Amina Otieno", "Luz Dimasalang"]
    assert queries.organization_for(world["other"], world["paid"].id) is None
    db.session.rollback()


def test_a_withdrawn_registration_owes_nothing_in_the_total_and_the_csv(world, as_user, db):
    client = as_user(world["sec"])
    client.post(URL, data=form(world["paid"]))
    client.post(URL, data=form(world["paid"], full_name="Ramon Aquino",
                               participation="observer"))
    client.post(URL, data=form(world["paid"], full_name="Local Helper",
                               participation="observer", international=None))
    assert "fees due: US$500" in client.get("/assemblies/5/delegates/").text
    ramon = next(r for r in registrations(db) if r.full_name == "Ramon Aquino")
    client.post(f"/assemblies/5/delegates/{ramon.id}/state", data={"state": "withdrawn"})
    assert "fees due: US$250" in client.get("/assemblies/5/delegates/").text
    lines = client.get("/assemblies/5/delegates.csv", query_string={"state": "all"}).text
    column = lines.lstrip("\ufeff").splitlines()[0].split(",").index("fee_usd")
    fee = {line.split(",")[2]: line.split(",")[column] for line in lines.splitlines()[1:]}
    assert fee == {"Luz Dimasalang": "US$250", "Ramon Aquino": "US$0",
                   "Local Helper": "US$0"}


def test_the_list_and_the_page_offer_only_the_actions_the_rules_allow(world, as_user, db):
    client = as_user(world["sec"])
    client.post(URL, data=form(world["paid"], full_name="Flagged Person"))
    client.post(URL, data=form(world["owing"], full_name="Owing Observer",
                               participation="observer"))
    flagged, observer = registrations(db)
    client.post(f"/organizations/{world['paid'].id}/entries/"
                f"{flagged.organization.entries[0].id}/void", data={"reason": "Returned."})
    listing = client.get("/assemblies/5/delegates/").text
    # The observer may be confirmed (ticked in bulk); the flagged voting delegate not.
    assert f'name="ids" value="{observer.id}"' in listing
    assert f'name="ids" value="{flagged.id}"' not in listing
    assert f"/assemblies/5/delegates/{flagged.id}/edit" in listing
    page = client.get(f"/assemblies/5/delegates/{flagged.id}/edit").text
    assert re.search(r'name="state" value="withdrawn">\s*<button[^>]*>Withdraw', page)
    assert 'name="state" value="confirmed"' not in page
    page = client.get(f"/assemblies/5/delegates/{observer.id}/edit").text
    assert 'name="state" value="confirmed"' in page and '>Confirm</button>' in page
    assert 'name="state" value="pending"' not in page  # it is pending already
    # The chair reads the list: nothing to tick, nothing to edit.
    chair = as_user(world["chair"]).get("/assemblies/5/delegates/").text
    assert 'name="ids"' not in chair and "/edit" not in chair
    assert "Confirm the selected registrations" not in chair
    # Withdrawn: kept as it was, nothing offered.
    client.post(f"/assemblies/5/delegates/{observer.id}/state", data={"state": "withdrawn"})
    listing = client.get("/assemblies/5/delegates/", query_string={"state": "all"}).text
    assert f"/assemblies/5/delegates/{observer.id}/edit" not in listing


def test_the_settings_show_the_fee_as_a_plain_amount(world, as_user, db):
    world["assembly"].fee_cents = 250_10
    db.session.commit()
    page = as_user(world["admin"]).get("/assemblies/5/settings").text
    assert re.search(r'name="fee"[^>]*value="250.10"', page) or \
        re.search(r'value="250.10"[^>]*name="fee"', page)


def test_the_downloads_are_attachments(world, as_user, db):
    client = as_user(world["admin"])
    today = date.today().isoformat()
    for url, name, mimetype in (
            ("/assemblies/5/delegates.csv", f"assembly-5-delegates-{today}.csv", "text/csv"),
            ("/assemblies/5/voting-roll.csv", f"assembly-5-voting-roll-{today}.csv", "text/csv"),
            ("/assemblies/5/voting-roll.pdf", f"assembly-5-voting-roll-{today}.pdf",
             "application/pdf")):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == mimetype
        assert response.headers["Content-Disposition"] == f"attachment; filename={name}"


def test_the_voting_roll_lists_entitled_organizations_without_a_voting_delegate(
        world, as_user, db):
    """Only a regular member in good standing is missing from the roll until its voting
    delegate is registered; owing, associate and other chapters' organizations are not
    listed to a chapter secretariat; a withdrawn voting delegate leaves the vote missing."""
    def missing(client) -> str:
        page = client.get("/assemblies/5/voting-roll").text
        return page[page.index('id="missing-votes"'):]

    sec, admin = as_user(world["sec"]), as_user(world["admin"])
    section = missing(sec)
    assert "1 organization may vote but has no voting delegate registered." in section
    assert "Paid Up Workers" in section
    assert "Owing Workers" not in section and "Associate Friends" not in section
    assert "Nairobi Migrants" not in section  # another chapter's: not this secretariat's
    assert "Nairobi Migrants" in missing(admin)  # the global secretariat sees every chapter
    pdf = sec.get("/assemblies/5/voting-roll.pdf").data
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text()
                                          for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Entitled to vote, without a voting delegate" in text and "Paid Up Workers" in text
    assert "Owing Workers" not in text and "Nairobi Migrants" not in text

    sec.post(URL, data=form(world["paid"], full_name="Voting Delegate One"))
    section = missing(sec)
    assert "Paid Up Workers" not in section
    assert "Every organization entitled to vote has its voting delegate." in section

    reg = next(r for r in registrations(db) if r.full_name == "Voting Delegate One")
    sec.post(f"/assemblies/5/delegates/{reg.id}/state", data={"state": "withdrawn"})
    assert "Paid Up Workers" in missing(sec)
