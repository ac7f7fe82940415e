from sqlalchemy import select

from ima_portal.audit.models import AuditEntry
from ima_portal.chapters.models import Chapter


def test_admin_adds_a_chapter(client, db, make, login_as):
    login_as("admin")
    region = make.region("europe")
    response = client.post("/chapters/new", data={"name": "IMA Netherlands", "code": "IMA-NL",
                                                   "country": "Netherlands",
                                                   "region_id": str(region.id)})
    assert response.status_code == 303
    chapter = db.session.scalar(select(Chapter).where(Chapter.code == "IMA-NL"))
    assert chapter.region.code == "europe"
    assert db.session.scalar(select(AuditEntry.action)) == "chapter.create"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Chapter IMA-NL has been added." in page


def test_duplicate_code_or_name_is_refused_whatever_the_case(client, make, login_as):
    login_as("admin")
    make.chapter("IMA-USA", name="IMA United States")
    region = make.region()
    response = client.post("/chapters/new", data={"name": "ima united states", "code": "ima-usa",
                                                   "country": "USA", "region_id": str(region.id)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Another chapter already has this code." in html
    assert "Another chapter already has this name." in html
    assert 'value="ima-usa"' in html


def test_code_must_look_like_a_code(client, make, login_as):
    login_as("admin")
    response = client.post("/chapters/new", data={"name": "X", "code": "IMA USA!",
                                                   "country": "USA",
                                                   "region_id": str(make.region().id)})
    assert response.status_code == 422
    assert "letters, digits and hyphens" in response.get_data(as_text=True)


def test_edit_keeps_its_own_code(client, db, make, login_as):
    login_as("admin")
    chapter = make.chapter("IMA-USA")
    response = client.post(f"/chapters/{chapter.id}/edit", data={
        "name": "Renamed", "code": "IMA-USA", "country": chapter.country,
        "region_id": str(chapter.region_id)})
    assert response.status_code == 303
    assert db.session.get(Chapter, chapter.id).name == "Renamed"


def test_chapters_list_search_and_region_filter(client, make, login_as):
    login_as("chair")
    make.chapter("IMA-USA", country="United States")
    make.chapter("IMA-Kenya", country="Kenya", region="africa")
    africa = make.region("africa")
    html = client.hx_get(f"/chapters/?region_id={africa.id}").get_data(as_text=True)
    assert "IMA-Kenya" in html and "IMA-USA" not in html and "<html" not in html
    html = client.get("/chapters/?q=united").get_data(as_text=True)
    assert "IMA-USA" in html and "IMA-Kenya" not in html
