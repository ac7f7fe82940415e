"""CSV import: a preview that marks each bad row, nothing written until confirmed, then
every valid row in one transaction."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from ima_portal.members.models import Organization

CSV = """name,country,membership,status,joined_on,email
Casa del Migrante,Mexico,regular,active,2019-04-01,casa@example.org
Kapisanan ng Manggagawa,Philippines,associate,,2020-01-01,
,Canada,regular,active,,
Bad Date Org,Canada,regular,active,01/02/2020,
Wrong Type Org,Canada,honorary,active,,
Casa del Migrante,Mexico,regular,active,,
Existing Center,Canada,regular,active,,
Future Org,Canada,regular,active,2999-01-01,x@
"""


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Organization))


def upload(client, text: str, name: str = "orgs.csv"):
    return client.post("/organizations/import", data={
        "file": (io.BytesIO(text.encode("utf-8")), name)}, content_type="multipart/form-data")


def test_preview_marks_each_bad_row_and_writes_nothing(client, db, make, login_as):
    me = login_as()
    make.organization(me.chapter, "Existing Center")
    before = count(db)
    response = upload(client, CSV)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 rows can be imported" in html and "6 rows have problems" in html
    for problem in ("name: required", "joined_on: “01/02/2020” is not a date",
                    "membership: “honorary” is not regular or associate",
                    "name: the same as line 2", "already has an organization of this name",
                    "is in the future", "email: “x@” is not an e-mail address"):
        assert problem in html, problem
    assert count(db) == before


def test_confirm_adds_every_valid_row_to_the_own_chapter(client, db, make, login_as):
    me = login_as()
    make.organization(me.chapter, "Existing Center")
    preview = upload(client, CSV).get_data(as_text=True)
    text = preview.split('<textarea name="csv_text" hidden>')[1].split("</textarea>")[0]
    import html as html_lib
    response = client.post("/organizations/import/confirm",
                           data={"csv_text": html_lib.unescape(text)})
    assert response.status_code == 303
    orgs = db.session.scalars(select(Organization).where(Organization.name != "Existing Center")
                              .order_by(Organization.name)).all()
    assert [(o.name, o.chapter_id, o.membership.value) for o in orgs] == [
        ("Casa del Migrante", me.chapter_id, "regular"),
        ("Kapisanan ng Manggagawa", me.chapter_id, "associate")]
    assert orgs[0].email == "casa@example.org"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 organizations imported. 6 rows with problems were left out." in page


def test_confirm_checks_again_and_refuses_a_file_with_nothing_valid(client, db, login_as):
    login_as()
    response = client.post("/organizations/import/confirm", data={"csv_text": "name,country\n,\n"})
    assert response.status_code == 422
    assert count(db) == 0


def test_a_file_without_the_needed_columns_is_explained(client, login_as):
    login_as()
    html = upload(client, "organisation;pays\nA;B\n").get_data(as_text=True)
    assert "The header has no name, country column" in html


def test_a_secretariat_cannot_import_into_another_chapter(client, db, make, login_as):
    login_as()
    other = make.chapter("IMA-Other")
    html = upload(client, f"name,country,chapter\nSneaky Org,Canada,{other.code}\n").get_data(
        as_text=True)
    assert "is not your chapter" in html


def test_the_global_secretariat_imports_for_named_chapters(client, db, make, login_as):
    login_as("admin")
    usa = make.chapter("IMA-USA")
    html = upload(client, "name,country,chapter\nA Org,USA,ima-usa\nB Org,USA,IMA-NOPE\n")
    text = html.get_data(as_text=True)
    assert "no chapter has the code “IMA-NOPE”" in text
    client.post("/organizations/import/confirm",
                data={"csv_text": "name,country,chapter\nA Org,USA,ima-usa\n"})
    assert db.session.scalar(select(Organization.chapter_id)) == usa.id


def test_chair_cannot_import(client, login_as):
    login_as("chair")
    assert client.get("/organizations/import").status_code == 403


# ---- imports are checked by the same rules as the form (issue 14) -------------------------

def test_an_import_is_held_to_the_forms_lengths(client, db, login_as):
    login_as()
    text = ("name,country,notes,phone\n"
            f"Long Notes Center,Canada,{'n' * 4001},\n"
            f"Long Country Center,{'C' * 81},,\n"
            f"Long Phone Center,Canada,,{'5' * 41}\n"
            f"Fine Center,Canada,{'n' * 4000},{'5' * 40}\n")
    html = upload(client, text).get_data(as_text=True)
    assert "notes: longer than 4,000 characters" in html
    assert "country: longer than 80 characters" in html
    assert "phone: longer than 40 characters" in html
    assert "1 row can be imported" in html
    response = client.post("/organizations/import/confirm", data={"csv_text": text})
    assert response.status_code == 303
    orgs = db.session.scalars(select(Organization)).all()
    assert [(o.name, len(o.notes)) for o in orgs] == [("Fine Center", 4000)]


def test_a_cell_beyond_what_csv_reads_is_explained_not_a_500(client, db, login_as):
    login_as()
    text = f"name,country,notes\nHuge Cell Center,Canada,\"{'x' * 140_000}\"\n"
    response = upload(client, text)
    assert response.status_code == 422
    assert "could not be read as CSV" in response.get_data(as_text=True)
    confirm = client.post("/organizations/import/confirm", data={"csv_text": text})
    assert confirm.status_code == 422
    assert count(db) == 0


def test_a_file_with_a_nul_character_is_explained_not_a_500(client, db, login_as):
    login_as()
    response = upload(client, "name,country\nNul\x00 Center,Canada\n")
    assert response.status_code == 422
    assert "NUL character" in response.get_data(as_text=True)
    assert count(db) == 0
