"""An applicant's orientation with its chapter: recorded on the organization's page (in
place with HTMX, or as a plain form), kept as written, scoped to the chapter; until one is
recorded the applicant cannot be registered as a guest organization joining at the
assembly, and the refusal links to recording it. On SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from ima_portal.assembly.models import Registration
from ima_portal.audit import AuditEntry
from ima_portal.domain.assembly import Participation
from ima_portal.members.models import Orientation

URL = "/assemblies/5/delegates/new"


@pytest.fixture
def world(make, db):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    other = make.chapter("IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    assembly = make.assembly()
    applicant = make.organization(chapter, "New Seafarers Union", status="applicant",
                                  joined_on=None)
    member = make.organization(chapter, "Paid Up Workers")
    return {"assembly": assembly, "chapter": chapter, "applicant": applicant,
            "member": member, "sec": make.user("secretariat", chapter=chapter),
            "other": make.user("secretariat", chapter=other), "chair": make.user("chair"),
            "admin": make.user("admin")}


def orientation_url(org) -> str:
    return f"/organizations/{org.id}/orientation"


def data(**fields) -> dict:
    values = {"held_on": (date.today() - timedelta(days=3)).isoformat(),
              "attended": "Joy Reyes (union), Maria Santos (chapter)",
              "notes": "Went through the constitution and the dues."}
    values.update(fields)
    return values


def registration(org, **fields) -> dict:
    values = {"organization_id": str(org.id), "participation": "guest",
              "full_name": "Joy Reyes", "email": "", "phone": "", "international": "y",
              "arrival": "2022-11-29", "departure": "2022-12-04", "accommodation": "y",
              "interpretation": ""}
    values.update(fields)
    return values


def test_an_applicants_page_offers_to_record_its_orientation(world, as_user):
    page = as_user(world["sec"]).get(f"/organizations/{world['applicant'].id}")
    assert page.status_code == 200
    assert "No orientation recorded yet" in page.text and "Record orientation" in page.text
    assert f'hx-post="{orientation_url(world["applicant"])}"' in page.text
    member_page = as_user(world["sec"]).get(f"/organizations/{world['member'].id}")
    assert "Record orientation" not in member_page.text


def test_recording_without_script_goes_back_to_the_page_and_audits(world, as_user, db):
    client = as_user(world["sec"])
    response = client.post(orientation_url(world["applicant"]), data=data())
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#orientation-section")
    page = client.get(f"/organizations/{world['applicant'].id}")
    assert "Joy Reyes (union), Maria Santos (chapter)" in page.text
    assert "The orientation of New Seafarers Union has been recorded." in page.text
    (o,) = db.session.scalars(select(Orientation)).all()
    assert o.recorded_by_id == world["sec"].id and o.notes.startswith("Went through")
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "organization.orientation"))
    assert entry.actor_id == world["sec"].id and entry.target_id == world["applicant"].id


def test_recording_in_place_with_htmx_answers_the_section(world, as_user):
    response = as_user(world["sec"]).post(orientation_url(world["applicant"]), data=data(),
                                          htmx=True)
    assert response.status_code == 200
    assert response.text.count('id="orientation-section"') == 1 and "<html" not in response.text
    assert "Joy Reyes (union)" in response.text and 'hx-swap-oob="innerHTML"' in response.text


def test_errors_stand_beside_the_fields_and_what_was_typed_stays(world, as_user, db):
    client = as_user(world["sec"])
    future = (date.today() + timedelta(days=2)).isoformat()
    response = client.post(orientation_url(world["applicant"]),
                           data=data(held_on=future, notes="Kept notes"), htmx=True)
    assert response.status_code == 422
    assert "once it has been held" in response.text and 'id="held_on-feedback"' in response.text
    assert "Kept notes" in response.text
    missing = client.post(orientation_url(world["applicant"]), data=data(attended=""))
    assert missing.status_code == 422 and "This field is required." in missing.text
    assert db.session.scalar(select(Orientation)) is None


def test_only_an_applicant_and_only_its_chapter_or_the_global_secretariat(world, as_user, db):
    refused = as_user(world["sec"]).post(orientation_url(world["member"]), data=data())
    assert refused.status_code == 422 and "Only an applicant" in refused.text
    assert as_user(world["other"]).post(orientation_url(world["applicant"]),
                                        data=data()).status_code == 404
    assert as_user(world["chair"]).post(orientation_url(world["applicant"]),
                                        data=data()).status_code == 403
    assert as_user(world["admin"]).post(orientation_url(world["applicant"]),
                                        data=data()).status_code == 303
    assert len(db.session.scalars(select(Orientation)).all()) == 1


def test_an_orientation_is_kept_as_written(world, as_user, db):
    as_user(world["sec"]).post(orientation_url(world["applicant"]), data=data())
    with pytest.raises(DBAPIError):
        db.session.execute(text("UPDATE orientations SET notes = 'changed'"))
        db.session.flush()
    db.session.rollback()


def test_an_applicant_joins_at_the_assembly_only_after_its_orientation(world, as_user, db):
    client = as_user(world["sec"])
    choices = client.hx_get(
        f"/assemblies/5/participation?organization_id={world['applicant'].id}")
    assert "only after its orientation with its chapter" in choices.text
    assert (f'/organizations/{world["applicant"].id}#orientation-section"'
            in choices.text and "Record the orientation" in choices.text)
    refused = client.post(URL, data=registration(world["applicant"]))
    assert refused.status_code == 422
    assert db.session.scalar(select(Registration)) is None
    # An observer it may still send.
    assert client.post(URL, data=registration(world["applicant"], participation="observer",
                                              full_name="Observer One")).status_code == 303
    assert client.post(orientation_url(world["applicant"]), data=data()).status_code == 303
    choices = client.hx_get(
        f"/assemblies/5/participation?organization_id={world['applicant'].id}")
    assert "Joins officially at the assembly, after the orientation" in choices.text
    assert client.post(URL, data=registration(world["applicant"])).status_code == 303
    guests = db.session.scalars(select(Registration).where(
        Registration.participation == Participation.GUEST)).all()
    assert [g.full_name for g in guests] == ["Joy Reyes"]
