import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ima_portal.members.models import DuesPolicyRecord

FORM = {"name": "6th Global Assembly (2026)", "rate": "60", "first_year": "2023",
        "last_year": "2026", "payments_from": "2022-12-04", "make_current": "y"}


def test_a_new_current_policy_changes_every_standing(client, db, make, login_as):
    login_as("admin")
    org = make.organization(make.chapter())
    make.payment(org, 200)
    assert "May vote" in client.get(f"/organizations/{org.id}").get_data(as_text=True)
    response = client.post("/dues-policies", data=FORM)
    assert response.status_code == 303
    current = db.session.scalars(select(DuesPolicyRecord).where(DuesPolicyRecord.is_current))
    assert [p.name for p in current] == ["6th Global Assembly (2026)"]
    page = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    # The 2021 payment predates the new reckoning: US$240 owed for 2023-2026.
    assert "Owes US$240" in page and "6th Global Assembly (2026)" in page
    old = db.session.scalar(select(DuesPolicyRecord).where(DuesPolicyRecord.id == 1))
    client.post(f"/dues-policies/{old.id}/current")
    assert "May vote" in client.get(f"/organizations/{org.id}").get_data(as_text=True)


def test_bad_policy_input_is_explained(client, login_as):
    login_as("admin")
    response = client.post("/dues-policies", data=dict(FORM, rate="fifty", first_year="2026",
                                                       last_year="2023", payments_from=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter an amount such as 50" in html
    assert "The last year cannot come before the first." in html
    assert 'value="6th Global Assembly (2026)"' in html


@pytest.mark.parametrize("role", ["secretariat", "chair"])
def test_only_the_global_secretariat_keeps_the_dues_rules(client, login_as, role):
    login_as(role)
    assert client.get("/dues-policies").status_code == 403
    assert client.post("/dues-policies/1/current").status_code == 403


def test_only_one_policy_is_current_in_the_database(db):
    from datetime import date
    db.session.add(DuesPolicyRecord(name="Another", rate_cents=5000, first_year=2023,
                                    last_year=2026, payments_from=date(2022, 12, 4),
                                    is_current=True))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
