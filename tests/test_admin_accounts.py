"""The global secretariat keeps accounts: create, edit, deactivate, reset a password."""
from __future__ import annotations

import re

from sqlalchemy import select

from ima_portal.audit.models import AuditEntry
from ima_portal.auth.models import User


def _new_user_form(chapter=None, **fields):
    data = {"name": "Joel Okafor", "email": "joel@example.org", "role": "secretariat",
            "chapter_id": str(chapter.id) if chapter else "", "timezone": "America/Toronto",
            "password": ""}
    data.update(fields)
    return data


def test_admin_creates_a_secretariat_account_who_signs_in_with_the_shown_password(
        client, db, make, login_as, auth):
    admin = login_as("admin")
    chapter = make.chapter("IMA-Canada")
    response = client.post("/admin/users/new", data=_new_user_form(chapter))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    password = re.search(r'data-testid="temporary-password">([^<]+)<', html).group(1)
    user = db.session.scalar(select(User).where(User.email == "joel@example.org"))
    assert user.chapter_id == chapter.id and user.must_change_password
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create"))
    assert entry.actor_id == admin.id and entry.target_id == user.id
    auth.logout()
    assert auth.login("joel@example.org", password).status_code == 302
    assert client.get("/").headers["Location"] == "/account"


def test_bad_input_is_explained_beside_each_field_and_nothing_typed_is_lost(
        client, make, login_as):
    login_as("admin")
    taken = make.user(email="taken@example.org")
    response = client.post("/admin/users/new", data=_new_user_form(
        None, email="Taken@Example.org", name="Someone Typed This", password="short"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Another account already uses this e-mail address." in html
    assert "Choose the chapter this secretariat member works for." in html
    assert "at least 12 characters" in html
    assert 'value="Someone Typed This"' in html and 'value="Taken@Example.org"' in html
    assert '<option selected value="America/Toronto">' in html
    assert taken.email == "taken@example.org"


def test_inline_validation_answers_one_field(client, make, login_as):
    login_as("admin")
    make.user(email="taken@example.org")
    response = client.post("/admin/users/new", htmx=True,
                           data=_new_user_form(None, email="taken@example.org",
                                               _validate="email"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="email-feedback"' in html and "already uses this e-mail" in html
    assert "chapter" not in html.lower()  # only the field asked about
    fine = client.post("/admin/users/new", htmx=True,
                       data=_new_user_form(None, email="free@example.org", _validate="email"))
    assert 'class="error"' not in fine.get_data(as_text=True)


def test_admin_edits_an_account_and_the_change_is_audited(client, db, make, login_as):
    login_as("admin")
    usa, canada = make.chapter("IMA-USA"), make.chapter("IMA-Canada")
    user = make.user(chapter=usa, name="Maria")
    data = {"name": "Maria Santos", "email": user.email, "role": "secretariat",
            "chapter_id": str(canada.id), "timezone": "America/New_York"}
    response = client.post(f"/admin/users/{user.id}/edit", data=data)
    assert response.status_code == 303
    user = db.session.get(User, user.id)
    assert (user.name, user.chapter_id, user.timezone) == ("Maria Santos", canada.id,
                                                           "America/New_York")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
    assert entry.details["changes"]["chapter"] == ["IMA-USA", "IMA-Canada"]


def test_moving_to_chair_drops_the_chapter(client, db, make, login_as):
    login_as("admin")
    user = make.user()
    data = {"name": user.name, "email": user.email, "role": "chair", "chapter_id": "",
            "timezone": "UTC"}
    assert client.post(f"/admin/users/{user.id}/edit", data=data).status_code == 303
    user = db.session.get(User, user.id)
    assert user.chapter_id is None and user.role.value == "chair"


def test_deactivate_and_reactivate_in_place(client, db, make, login_as, auth):
    login_as("admin")
    user = make.user(name="Ana")
    response = client.post(f"/admin/users/{user.id}/active", data={"active": "0"}, htmx=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="user-card"' in html and "<html" not in html
    assert "can no longer sign in" in html  # the flash comes along out of band
    assert not db.session.get(User, user.id).active
    response = client.post(f"/admin/users/{user.id}/active", data={"active": "1"})
    assert response.status_code == 303  # without JavaScript: back to the page
    assert db.session.get(User, user.id).active


def test_an_admin_cannot_lock_themselves_out(client, db, login_as):
    admin = login_as("admin")
    response = client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}, htmx=True)
    assert response.status_code == 409
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).active


def test_the_last_admin_cannot_be_demoted_by_another_path(client, db, make, login_as):
    admin = login_as("admin")
    data = {"name": admin.name, "email": admin.email, "role": "chair", "chapter_id": "",
            "timezone": "UTC"}
    response = client.post(f"/admin/users/{admin.id}/edit", data=data)
    assert response.status_code == 422
    assert "change your own role" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).role.value == "admin"


def test_reset_password_ends_sessions_and_shows_a_new_one_once(app, client, db, make,
                                                                  login_as, auth):
    user = make.user()
    other = app.test_client()  # a second browser: the PortalClient of the `client` fixture
    Auth = type(auth)
    Auth(other).login(user)
    assert other.get("/").status_code == 200
    login_as("admin")
    response = client.post(f"/admin/users/{user.id}/reset-password")
    html = response.get_data(as_text=True)
    password = re.search(r'data-testid="temporary-password">([^<]+)<', html).group(1)
    assert other.get("/").status_code == 302  # their open session has ended
    assert Auth(other).login(user, password).status_code == 302
    assert "Set-Cookie" not in response.headers or password not in response.headers["Set-Cookie"]


def test_accounts_list_searches_and_filters(client, make, login_as):
    login_as("admin", name="Admin Person")
    make.user(name="Maria Santos", email="maria@example.org")
    make.user("chair", name="Ana Reyes")
    make.user(name="Gone Person", active=False)
    page = client.get("/admin/users?q=maria").get_data(as_text=True)
    assert "Maria Santos" in page and "Ana Reyes" not in page
    fragment = client.hx_get("/admin/users?role=chair").get_data(as_text=True)
    assert "<html" not in fragment and "Ana Reyes" in fragment and "Maria" not in fragment
    inactive = client.get("/admin/users?status=inactive").get_data(as_text=True)
    assert "Gone Person" in inactive and "Maria Santos" not in inactive


def test_back_button_gets_the_whole_page_not_the_fragment(client, login_as):
    login_as("admin")
    restore = client.get("/admin/users?role=chair",
                         headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    html = restore.get_data(as_text=True)
    assert "<html" in html and "<nav" in html


def test_a_page_past_the_end_shows_the_last_page(client, login_as):
    login_as("admin", name="Only Admin")
    html = client.get("/admin/users?page=9").get_data(as_text=True)
    assert "Only Admin" in html


def test_editing_keeps_a_time_zone_outside_the_usual_list(client, db, make, login_as):
    login_as("admin")
    user = make.user(timezone="Etc/GMT-8")
    page = client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert '<option selected value="Etc/GMT-8">' in page
    client.post(f"/admin/users/{user.id}/edit", data={
        "name": "Renamed", "email": user.email, "role": "secretariat",
        "chapter_id": str(user.chapter_id), "timezone": "Etc/GMT-8"})
    assert db.session.get(User, user.id).timezone == "Etc/GMT-8"
