"""Reminders that send themselves (issue 16): digests for each chapter secretariat before
the assembly's deadline and for the chair when statements wait, once per recipient and
period whatever the number of runs, in the recipient's language, with an opt-out."""
from __future__ import annotations

import email
from datetime import UTC, date, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ima_portal.db_types import utcnow
from ima_portal.domain import reminders
from ima_portal.reminders.models import ReminderDigest
from ima_portal.reminders.operations import send_digests


def _mails(app) -> list:
    folder = Path(app.config["MAIL_FOLDER"])
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted(folder.iterdir())] if folder.exists() else []


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


# ---- the rules -------------------------------------------------------------------------------

def test_a_chapters_digest_is_weekly_then_daily_and_only_while_registration_is_open():
    opens, deadline = date(2026, 10, 1), date(2026, 12, 10)
    assert reminders.chapter_period(date(2026, 9, 30), opens, deadline) is None
    assert reminders.chapter_period(date(2026, 11, 30), opens, deadline) == "week-2026-W49"
    assert reminders.chapter_period(date(2026, 12, 1), opens, deadline) == "week-2026-W49"
    assert reminders.chapter_period(date(2026, 12, 4), opens, deadline) == "day-2026-12-04"
    assert reminders.chapter_period(date(2026, 12, 10), opens, deadline) == "day-2026-12-10"
    assert reminders.chapter_period(date(2026, 12, 11), opens, deadline) is None
    assert reminders.chapter_period(date(2026, 11, 30), None, None) is None


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
       st.integers(min_value=0, max_value=120))
def test_two_days_of_the_same_week_far_from_the_deadline_share_one_period(day, ahead):
    deadline = day + timedelta(days=ahead)
    period = reminders.chapter_period(day, day - timedelta(days=30), deadline)
    assert period is not None
    monday = day - timedelta(days=day.weekday())
    other = monday + timedelta(days=(day.weekday() + 3) % 7)
    if (deadline - max(day, other)).days >= reminders.DAILY_FROM_DAYS and other <= deadline:
        assert reminders.chapter_period(other, day - timedelta(days=30), deadline) == period


def test_the_chair_hears_of_statements_waiting_more_than_two_days():
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    moments = [now - timedelta(days=3), now - timedelta(days=1), now - timedelta(hours=49)]
    assert reminders.waited_too_long(moments, now) == [moments[0], moments[2]]
    assert reminders.chair_period(now.date(), 0) is None
    assert reminders.chair_period(now.date(), 2) == "day-2026-11-30"


# ---- the digests -----------------------------------------------------------------------------

@pytest.fixture
def world(make, db):
    chapter = make.chapter("IMA-USA", name="International Migrants Alliance – USA")
    make.organization(chapter, "Owing Workers Center", joined_on=date(2020, 2, 2))
    secretariat = make.user(chapter=chapter, name="Maria Santos", email="maria@example.org")
    secretariat.language = "fr"
    quiet_chapter = make.chapter("IMA-Kenya", name="IMA Kenya")
    quiet = make.user(chapter=quiet_chapter, email="quiet@example.org")  # nothing to do
    opted_out = make.user(chapter=chapter, email="no-mail@example.org")
    opted_out.reminders = False
    chair = make.user("chair", name="Ana Reyes", email="chair@example.org")
    make.assembly()
    waiting = make.statement(secretariat, chapter=chapter, state="submitted",
                             headline="Papers for all")
    waiting.state_changed_at = utcnow() - timedelta(days=3)
    make.statement(secretariat, chapter=chapter, state="submitted", headline="Just sent")
    db.session.commit()
    return {"secretariat": secretariat, "quiet": quiet, "opted_out": opted_out,
            "chair": chair}


def test_running_the_reminders_twice_sends_one_digest_per_recipient(app, db, world):
    before = len(_mails(app))
    first = send_digests(utcnow())
    db.session.commit()
    second = send_digests(utcnow())
    db.session.commit()
    assert len(first.sent) == 2 and second.sent == [] and second.already == 2
    mails = _mails(app)[before:]
    assert sorted(m["To"] for m in mails) == ["chair@example.org", "maria@example.org"]
    assert db.session.scalar(select(func.count()).select_from(ReminderDigest)) == 2


def test_the_chapters_digest_in_the_recipients_language(app, db, world):
    before = len(_mails(app))
    send_digests(utcnow())
    db.session.commit()
    [digest] = [m for m in _mails(app)[before:] if m["To"] == "maria@example.org"]
    assert digest["Subject"].startswith("Ce qui reste à faire avant la date limite")
    body = _body(digest)
    assert "Bonjour Maria Santos," in body
    assert "1 organisation membre doit des cotisations" in body
    assert "/assemblies/5/chapters/IMA-USA/" in body
    assert "/account" in body


def test_the_chairs_digest_names_only_what_waited_too_long(app, db, world):
    before = len(_mails(app))
    send_digests(utcnow())
    db.session.commit()
    [digest] = [m for m in _mails(app)[before:] if m["To"] == "chair@example.org"]
    body = _body(digest)
    assert "Papers for all" in body and "Just sent" not in body
    assert "1 statement has waited for your sign-off for more than two days" in body
    assert "/statements/queue" in body


def test_the_database_holds_one_digest_per_recipient_and_period(db, world):
    user = world["secretariat"]
    db.session.add(ReminderDigest(user_id=user.id, kind="chapter", period="week-2026-W49"))
    db.session.commit()
    db.session.add(ReminderDigest(user_id=user.id, kind="chapter", period="week-2026-W49"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_digest_another_worker_sent_is_not_sent_again(app, db, world):
    """A second worker at the same moment: its row is there first; this run sends only
    what that worker did not."""
    period = reminders.chapter_period(utcnow().date(), date.min, date.max)
    db.session.add(ReminderDigest(user_id=world["secretariat"].id, kind="chapter",
                                  period=period or ""))
    db.session.commit()
    done = send_digests(utcnow())
    db.session.commit()
    assert [kind for _user, kind, _period in done.sent] == ["chair"] and done.already == 1


def test_the_account_page_turns_reminders_off_and_on(client, auth, db, world):
    user = world["secretariat"]
    auth.login(user)
    page = client.get("/account")
    assert "Rappels par e-mail" in page.text or "reminders" in page.text
    assert client.post("/account/reminders", data={"reminders": "off"}).status_code == 303
    db.session.refresh(user)
    assert user.reminders is False
    assert client.post("/account/reminders", data={"reminders": "maybe"}).status_code == 400
    client.post("/account/reminders", data={"reminders": "on"})
    db.session.refresh(user)
    assert user.reminders is True
