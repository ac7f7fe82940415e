"""The global secretariat's logistics through the pages: arrivals and departures by day, the
rooming list with the nights the fee does not cover, interpretation per language and day,
dietary and access needs counted; each as a page, a CSV (columns exactly as documented in
`logistics/exports.py`, no ids, one row per person, in date order) and a PDF read back.
Withdrawn registrations never count; only the global secretariat sees any of it.
On SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from ima_portal.assembly.models import Registration
from ima_portal.domain.assembly import Participation, RegistrationState
from ima_portal.logistics import exports

D = date
BASE = "/assemblies/5/logistics"


@pytest.fixture
def world(make, db):
    usa = make.chapter("IMA-USA", name="IMA USA")
    kenya = make.chapter("IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    assembly = make.assembly()
    workers = make.organization(usa, "Migrant Workers United")
    nairobi = make.organization(kenya, "Nairobi Migrants")
    people = [
        # name, org, arrival, departure, accommodation, interpretation, dietary, access, state
        ("Ana Reyes", workers, D(2022, 11, 29), D(2022, 12, 4), True, "es", "Vegetarian", "",
         RegistrationState.CONFIRMED),
        ("Ben Otieno", nairobi, D(2022, 11, 26), D(2022, 12, 6), True, "fr", "vegetarian ",
         "Wheelchair access", RegistrationState.PENDING),
        ("Chen Wei", nairobi, D(2022, 12, 1), D(2022, 12, 3), True, "es", "Halal", "",
         RegistrationState.CONFIRMED),
        ("Dana Local", workers, D(2022, 11, 30), D(2022, 12, 3), False, "", "", "",
         RegistrationState.CONFIRMED),
        ("Withdrawn Person", workers, D(2022, 11, 25), D(2022, 12, 7), True, "ar", "Kosher",
         "Step-free room", RegistrationState.WITHDRAWN),
    ]
    for name, org, arrival, departure, room, lang, dietary, access, state in people:
        db.session.add(Registration(
            assembly_id=assembly.id, organization_id=org.id, chapter_id=org.chapter_id,
            full_name=name, participation=Participation.OBSERVER, arrival=arrival,
            departure=departure, accommodation=room, interpretation=lang, dietary=dietary,
            access_needs=access, phone="+1 555 0100" if name == "Ana Reyes" else "",
            state=state))
    db.session.commit()
    return {"admin": make.user("admin"), "chair": make.user("chair"),
            "sec": make.user("secretariat", chapter=usa)}


def rows_of(response) -> list[dict]:
    text = response.data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def header_of(response) -> list[str]:
    return next(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def pdf_text(response) -> str:
    assert response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    return re.sub(r"\s+", " ", text)


def day_row(html: str, attribute: str, day: str) -> str:
    match = re.search(rf'<tr {attribute}="{day}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, (attribute, day)
    return match.group(1)


def no_id_column(header: list[str]) -> None:
    assert not [c for c in header if c == "id" or c.endswith("_id")]


# ---- arrivals and departures ------------------------------------------------------------------

def test_arrivals_and_departures_by_day(world, as_user):
    client = as_user(world["admin"])
    page = client.get(f"{BASE}/arrivals").text
    assert "4 people registered" in page and "Withdrawn Person" not in page
    assert "1 arrives" in day_row(page, "data-day", "2022-11-26")
    assert "Ben Otieno" in day_row(page, "data-day", "2022-11-26")
    dec3 = day_row(page, "data-day", "2022-12-03")
    assert "0 arrive" in dec3 and "2 leave" in dec3 and "Chen Wei" in dec3
    assert "2022-11-25" not in page  # the withdrawn person's arrival day

    response = client.get(f"{BASE}/arrivals.csv")
    assert header_of(response) == exports.MOVEMENTS_HEADER == [
        "arrival", "departure", "full_name", "organization", "chapter", "country", "phone",
        "accommodation", "confirmed"]
    no_id_column(header_of(response))
    rows = rows_of(response)
    assert [(r["arrival"], r["full_name"]) for r in rows] == [
        ("2022-11-26", "Ben Otieno"), ("2022-11-29", "Ana Reyes"),
        ("2022-11-30", "Dana Local"), ("2022-12-01", "Chen Wei")]
    assert rows[1] == {"arrival": "2022-11-29", "departure": "2022-12-04",
                       "full_name": "Ana Reyes", "organization": "Migrant Workers United",
                       "chapter": "IMA-USA", "country": rows[1]["country"],
                       "phone": "'+1 555 0100", "accommodation": "yes", "confirmed": "yes"}
    # A phone number starting with + is kept as text, not read as a formula (csvfiles).
    assert rows[0]["confirmed"] == "no" and rows[2]["accommodation"] == "no"

    text = pdf_text(client.get(f"{BASE}/arrivals.pdf"))
    assert "Arrivals and departures" in text and "Ben Otieno" in text
    assert "Sat 26 Nov 2022" in text and "Withdrawn Person" not in text  # Babel's style


# ---- the rooming list ---------------------------------------------------------------------------

def test_the_rooming_list_marks_the_nights_the_fee_does_not_cover(world, as_user):
    client = as_user(world["admin"])
    page = client.get(f"{BASE}/rooming").text
    # Ana 5 nights, Ben 10 (4 outside: 26, 27 Nov, 4, 5 Dec), Chen 2; Dana has no room.
    assert "3 people stay at the assembly's hotel" in page
    assert "17 person-nights" in page and "4 person-nights outside" in page
    nov26 = day_row(page, "data-night", "2022-11-26")
    assert "not covered" in nov26 and "1 guest" in nov26 and "Ben Otieno" in nov26
    dec1 = day_row(page, "data-night", "2022-12-01")
    assert "not covered" not in dec1 and "3 guests" in dec1 and "Dana Local" not in dec1
    assert "2022-12-06" not in re.findall(r'data-night="([^"]+)"', page)  # check-out morning
    assert 'role="region"' in page and 'aria-labelledby="rooming-title"' in page

    response = client.get(f"{BASE}/rooming.csv")
    assert header_of(response) == exports.ROOMING_HEADER == [
        "check_in", "check_out", "nights", "full_name", "organization", "chapter",
        "nights_not_covered", "dates_not_covered", "access_needs", "confirmed"]
    no_id_column(header_of(response))
    rows = rows_of(response)
    assert [(r["check_in"], r["full_name"], r["nights"], r["nights_not_covered"])
            for r in rows] == [("2022-11-26", "Ben Otieno", "10", "4"),
                               ("2022-11-29", "Ana Reyes", "5", "0"),
                               ("2022-12-01", "Chen Wei", "2", "0")]
    assert rows[0]["dates_not_covered"] == "2022-11-26 2022-11-27 2022-12-04 2022-12-05"
    assert rows[0]["access_needs"] == "Wheelchair access"

    text = pdf_text(client.get(f"{BASE}/rooming.pdf"))
    assert "Rooming list" in text and "17 person-nights" in text
    assert "NOT COVERED" in text and "Withdrawn Person" not in text


# ---- interpretation -----------------------------------------------------------------------------

def test_interpreters_needed_per_language_and_day(world, as_user):
    client = as_user(world["admin"])
    page = client.get(f"{BASE}/interpretation").text
    spanish = re.search(r'<tr data-language="es">(.*?)</tr>', page, re.S).group(1)
    counts = dict(re.findall(r'data-day="([^"]+)">(\d+)<', spanish))
    # Ana the whole assembly; Chen from 1 to 3 December.
    assert counts == {"2022-11-30": "1", "2022-12-01": "2", "2022-12-02": "2",
                      "2022-12-03": "2"}
    assert 'data-language="fr"' in page and 'data-language="ar"' not in page  # withdrawn

    response = client.get(f"{BASE}/interpretation.csv")
    assert header_of(response) == exports.INTERPRETATION_HEADER == [
        "first_day", "last_day", "language", "full_name", "organization", "chapter",
        "confirmed"]
    no_id_column(header_of(response))
    assert [(r["first_day"], r["last_day"], r["language"], r["full_name"])
            for r in rows_of(response)] == [
        ("2022-11-30", "2022-12-03", "Español", "Ana Reyes"),
        ("2022-11-30", "2022-12-03", "Français", "Ben Otieno"),
        ("2022-12-01", "2022-12-03", "Español", "Chen Wei")]

    text = pdf_text(client.get(f"{BASE}/interpretation.pdf"))
    assert "Español · 2 people" in text and "Français · 1 person" in text
    assert "Arabic" not in text


# ---- dietary and access needs -----------------------------------------------------------------

def test_dietary_and_access_needs_counted(world, as_user):
    client = as_user(world["admin"])
    page = client.get(f"{BASE}/needs").text
    assert "3 people have a dietary or an access need" in page
    assert "3 dietary needs" in page and "1 access need" in page
    # "Vegetarian" and "vegetarian " are one need, named as the first to arrive typed it.
    veg = re.search(r'<th scope="row">vegetarian</th><td data-count="dietary">(\d+)<', page)
    assert veg and veg.group(1) == "2"
    assert "Kosher" not in page and "Step-free room" not in page

    response = client.get(f"{BASE}/needs.csv")
    assert header_of(response) == exports.NEEDS_HEADER == [
        "arrival", "departure", "full_name", "organization", "chapter", "dietary",
        "access_needs", "accommodation", "confirmed"]
    no_id_column(header_of(response))
    assert [(r["arrival"], r["full_name"], r["dietary"], r["access_needs"])
            for r in rows_of(response)] == [
        ("2022-11-26", "Ben Otieno", "vegetarian", "Wheelchair access"),
        ("2022-11-29", "Ana Reyes", "Vegetarian", ""),
        ("2022-12-01", "Chen Wei", "Halal", "")]

    text = pdf_text(client.get(f"{BASE}/needs.pdf"))
    assert "Dietary needs" in text and "Wheelchair access" in text and "Kosher" not in text


# ---- who sees it ---------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["sec", "chair"])
def test_only_the_global_secretariat_sees_logistics(world, as_user, who):
    client = as_user(world[who])
    assert client.get("/logistics/").status_code == 403
    for report in ("arrivals", "rooming", "interpretation", "needs"):
        for suffix in ("", ".csv", ".pdf"):
            assert client.get(f"{BASE}/{report}{suffix}").status_code == 403, (report, suffix)
    assert 'href="/logistics/"' not in client.get("/").text


def test_the_global_secretariat_finds_it_in_the_navigation(world, as_user):
    client = as_user(world["admin"])
    assert 'href="/logistics/"' in client.get("/").text
    response = client.get("/logistics/")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"{BASE}/arrivals")
    assert client.get("/assemblies/9/logistics/arrivals").status_code == 404
    assert client.get(f"{BASE}/elsewhere").status_code == 404


def test_the_csv_documentation_names_every_column(world):
    documented = exports.__doc__
    for header in (exports.MOVEMENTS_HEADER, exports.ROOMING_HEADER,
                   exports.INTERPRETATION_HEADER, exports.NEEDS_HEADER):
        for column in header:
            assert re.search(rf"\| [^|\n]*\b{column}\b[^|\n]* \|", documented), column
