"""The job worker (huey): batch exports as jobs (success, a retry, failure after every
retry, the cleanup of old ZIPs), mail handed over only after the commit, and jobs run by a
real consumer process on the SQLite queue and on Redis. On SQLite and PostgreSQL."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask_mail import Message
from huey.api import PeriodicTask
from sqlalchemy import select

from ima_portal import jobs, mailer
from ima_portal.db_types import utcnow
from ima_portal.documents.models import ExportJob
from ima_portal.extensions import mail
from ima_portal.statements import exports

from .conftest import require

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture(autouse=True)
def empty_queue(app):
    """Each test starts with nothing queued or scheduled (immediate mode keeps its queue
    in memory for the whole run)."""
    jobs.huey.flush()
    yield
    jobs.huey.flush()


@pytest.fixture
def people(make):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    return {"chapter": chapter, "sec": make.user("secretariat", chapter=chapter),
            "chair": make.user("chair", name="Ana Reyes")}


@pytest.fixture
def folder(app, tmp_path) -> Path:
    app.config["EXPORT_FOLDER"] = str(tmp_path / "exports")
    return tmp_path / "exports"


def statements(make, people) -> list:
    return [make.statement(people["sec"], chapter=people["chapter"], state="approved",
                           chair=people["chair"], headline="Signed one"),
            make.statement(people["sec"], chapter=people["chapter"], headline="Draft one")]


def start_export(client, chosen) -> str:
    response = client.post("/statements/export", data={
        "ids": [str(s.id) for s in chosen], "paper": "A4"})
    assert response.status_code == 303, response.text
    return response.headers["Location"]


def the_job(db) -> ExportJob:
    db.session.rollback()  # read what the job's own session committed
    return db.session.scalar(select(ExportJob).order_by(ExportJob.id.desc()).limit(1))


def run_retries() -> int:
    """Runs the retries huey scheduled (a minute later), as if that minute had passed."""
    later = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1)
    due = jobs.huey.read_schedule(later)
    for task in due:
        jobs.huey.execute(task, timestamp=later)
    return len(due)


def zip_names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


# ---- exports in immediate mode ---------------------------------------------------------------

def test_an_export_job_writes_its_zip_to_disk_and_the_download_serves_it(
        people, as_user, make, db, folder):
    client = as_user(people["sec"])
    progress_url = start_export(client, statements(make, people))
    job = the_job(db)
    assert (job.state, job.done, job.total, job.attempts) == ("done", 2, 2, 1)
    path = folder / job.file_name
    assert path.is_file() and len(zip_names(path.read_bytes())) == 2
    assert [p.name for p in folder.iterdir()] == [job.file_name]  # no half-written file left
    assert 'data-state="done"' in client.hx_get(progress_url).text
    download = client.get(progress_url + "/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename=statements-" in disposition
    assert download.data == path.read_bytes()


def test_a_failed_export_is_tried_again_and_then_succeeds(
        people, as_user, make, db, folder, monkeypatch):
    real, calls = exports.statement_pdf, []

    def flaky(statement, paper):
        calls.append(statement.id)
        if len(calls) == 1:
            raise OSError("font cache at /var/cache/fontconfig is gone")
        return real(statement, paper)

    monkeypatch.setattr(exports, "statement_pdf", flaky)
    client = as_user(people["sec"])
    progress_url = start_export(client, statements(make, people))
    job = the_job(db)
    assert (job.state, job.attempts, job.done, job.error) == ("pending", 1, 0, "")
    page = client.hx_get(progress_url).text
    assert 'data-state="retrying"' in page and "hx-trigger" in page  # still polling
    assert "fontconfig" not in page
    assert not folder.exists() or not any(folder.iterdir())  # the partial ZIP is gone

    assert run_retries() == 1
    job = the_job(db)
    assert (job.state, job.attempts, job.done) == ("done", 2, 2)
    assert len(zip_names(client.get(progress_url + "/download").data)) == 2


def test_an_export_that_fails_every_try_tells_the_user_without_internals(
        people, as_user, make, db, folder, monkeypatch):
    def broken(statement, paper):
        raise RuntimeError("libpango exploded at 0xdeadbeef")

    monkeypatch.setattr(exports, "statement_pdf", broken)
    client = as_user(people["sec"])
    chosen = statements(make, people)
    progress_url = start_export(client, chosen)
    for attempt in range(2, jobs.EXPORT_RETRIES + 2):
        assert the_job(db).state == "pending"
        assert run_retries() == 1, f"attempt {attempt} was not scheduled"
    assert run_retries() == 0  # no more tries
    job = the_job(db)
    assert (job.state, job.attempts, job.error) == (
        "failed", 1 + jobs.EXPORT_RETRIES, exports.FAILED)
    page = client.get(progress_url).text
    assert 'data-state="failed"' in page and "hx-trigger" not in page
    assert ("The export failed: the PDFs could not be made, even after several tries. "
            "Nothing was lost; try again.") in page
    assert "libpango" not in page and "deadbeef" not in page and "RuntimeError" not in page
    assert client.get(progress_url + "/download").status_code == 404
    assert not folder.exists() or not any(folder.iterdir())
    # The failed job no longer blocks the next export.
    assert start_export(client, chosen) != progress_url


def test_the_cleanup_deletes_zips_after_a_day_and_gives_up_on_lost_jobs(
        people, as_user, make, db, folder):
    client = as_user(people["sec"])
    progress_url = start_export(client, statements(make, people))
    old = the_job(db)
    now = utcnow()
    old.updated_at = now - timedelta(hours=25)
    user_id = people["sec"].id
    recent = ExportJob(user_id=user_id, paper_size="A4", total=1, statement_ids="1",
                       state="done", file_name="export-99.zip", updated_at=now - timedelta(hours=2))
    lost = ExportJob(user_id=user_id, paper_size="A4", total=1, statement_ids="1",
                     state="running", updated_at=now - timedelta(hours=2))
    waiting = ExportJob(user_id=user_id, paper_size="A4", total=1, statement_ids="1",
                        state="pending", updated_at=now - timedelta(minutes=5))
    db.session.add_all([recent, lost, waiting])
    db.session.commit()
    old_path, recent_path = folder / old.file_name, folder / "export-99.zip"
    recent_path.write_bytes(b"PK recent")
    stray, fresh_stray = folder / "export-7.zip.part", folder / "export-8.zip.part"
    stray.write_bytes(b"half")
    fresh_stray.write_bytes(b"half")
    two_days_ago = (now - timedelta(days=2)).timestamp()
    os.utime(stray, (two_days_ago, two_days_ago))

    jobs.clean_up_exports()  # the periodic task, run now (immediate mode)

    assert not old_path.exists() and not stray.exists()
    assert recent_path.exists() and fresh_stray.exists()
    ids = {"old": old.id, "recent": recent.id, "lost": lost.id, "waiting": waiting.id}
    db.session.rollback()
    state = {k: db.session.get(ExportJob, v) for k, v in ids.items()}
    assert (state["old"].state, state["old"].file_name) == ("expired", None)
    assert (state["recent"].state, state["recent"].file_name) == ("done", "export-99.zip")
    assert (state["lost"].state, state["lost"].error) == ("failed", exports.LOST)
    assert state["waiting"].state == "pending"
    assert 'data-state="expired"' in client.hx_get(progress_url).text
    assert client.get(progress_url + "/download").status_code == 404


def test_the_cleanup_is_a_periodic_task_of_the_worker():
    task = jobs.clean_up_exports.s()
    assert isinstance(task, PeriodicTask)
    assert task.validate_datetime(datetime(2026, 1, 1, 3, 15))
    assert not task.validate_datetime(datetime(2026, 1, 1, 3, 7))


# ---- mail ------------------------------------------------------------------------------------

def test_mail_goes_after_the_commit_and_never_after_a_rollback(app, db, make):
    with mail.record_messages() as outbox:
        mailer.queue(Message(subject="Rolled back", recipients=["a@example.org"], body="x"))
        assert outbox == []  # not before the commit
        db.session.rollback()
        make.chapter("IMA-Peru", name="IMA Peru")
        assert outbox == []
        mailer.queue(Message(subject="Committed", recipients=["a@example.org"], body="y"))
        make.chapter("IMA-Chile", name="IMA Chile")
    assert [m.subject for m in outbox] == ["Committed"]


def test_a_request_that_fails_after_queueing_a_mail_sends_none(
        people, as_user, make, monkeypatch, app, db):
    """The chair's approval mails the author; when the request then fails, its change and
    its mail are both dropped (and the same approval that succeeds does mail)."""
    from ima_portal.statements import operations as services
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    chair = as_user(people["chair"])
    notify = services.notifications.after_transition

    def notify_then_fail(*args, **kwargs):
        notify(*args, **kwargs)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services.notifications, "after_transition", notify_then_fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # the portal's error page, as in production
    url = f"/statements/{st.id}/actions/approve"
    with mail.record_messages() as outbox:
        response = chair.post(url, data={"revision_id": str(st.current_revision_id),
                                         "content_sha256": st.current.content_sha256})
    assert response.status_code == 500 and outbox == []
    monkeypatch.setattr(services.notifications, "after_transition", notify)
    with mail.record_messages() as outbox:
        response = chair.post(url, data={"revision_id": str(st.current_revision_id),
                                         "content_sha256": st.current.content_sha256})
    assert response.status_code == 303 and [m.subject[:9] for m in outbox] == ["Approved:"]


def test_a_queued_mail_travels_as_its_fields(app, db, make, tmp_path):
    app.config.update(JOBS_IMMEDIATE=False, JOBS_SQLITE=str(tmp_path / "jobs.sqlite3"),
                      REDIS_URL="", JOBS_QUEUE="ima-test-mail")
    jobs.configure(app.config)
    try:
        mailer.queue(Message(subject="Fields", recipients=["a@example.org"], body="z"))
        make.chapter("IMA-Peru", name="IMA Peru")
        (task,) = jobs.huey.pending()
        assert task.name == "send_mail"
        (fields,), _kwargs = task.data
        assert isinstance(fields, dict) and fields["subject"] == "Fields"
        with mail.record_messages() as outbox:
            jobs.huey.execute(task)
        (sent,) = outbox
        assert (sent.subject, sent.recipients, sent.body) == ("Fields", ["a@example.org"], "z")
        assert (sent.msgId, sent.date) == (fields["msgId"], fields["date"])
    finally:
        jobs.huey.flush()
        app.config["JOBS_IMMEDIATE"] = True
        jobs.configure(app.config)


# ---- a real consumer process -----------------------------------------------------------------

@pytest.fixture(params=["sqlite-queue", "redis-queue"])
def queue(request, app, tmp_path):
    """The app hands jobs to a real queue (not immediate mode): a SQLite file, or Redis
    when REDIS_URL is set (required under CI=true)."""
    settings = {"JOBS_QUEUE": f"ima-test-{uuid.uuid4().hex[:10]}", "JOBS_IMMEDIATE": False,
                "EXPORT_FOLDER": str(tmp_path / "exports"),
                "MAIL_FOLDER": str(tmp_path / "mail")}
    if request.param == "redis-queue":
        require(bool(REDIS_URL), "REDIS_URL is not set: the Redis queue is not tested")
        settings |= {"REDIS_URL": REDIS_URL, "JOBS_SQLITE": ""}
    else:
        settings |= {"REDIS_URL": "", "JOBS_SQLITE": str(tmp_path / "jobs.sqlite3")}
    app.config.update(settings)
    jobs.configure(app.config)
    yield settings
    jobs.huey.flush()
    app.config["JOBS_IMMEDIATE"] = True
    jobs.configure(app.config)


def start_consumer(app, settings, log_path: Path) -> subprocess.Popen:
    env = dict(os.environ, IMA_ENV="testing", SECRET_KEY=app.config["SECRET_KEY"],
               DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], PYTHONPATH=str(ROOT),
               JOBS_IMMEDIATE="")
    env.update({k: str(v) for k, v in settings.items() if k != "JOBS_IMMEDIATE"})
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "huey.bin.huey_consumer", "ima_portal.jobs.huey",
             "--workers", "1", "--delay", "0.05", "--max-delay", "0.2"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, what: str, log_path: Path, consumer, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if consumer.poll() is not None:
            break
        time.sleep(0.05)  # polling interval, not a wait for the result
    pytest.fail(f"{what} (consumer exit code {consumer.poll()}); its log:\n"
                + log_path.read_text(errors="replace")[-4000:])


def test_a_separate_consumer_process_runs_the_jobs_the_app_hands_over(
        people, as_user, make, db, queue, tmp_path):
    client = as_user(people["sec"])
    progress_url = start_export(client, statements(make, people))
    mailer.queue(Message(subject="From the worker", recipients=["a@example.org"], body="w"))
    make.chapter("IMA-Peru", name="IMA Peru")  # commits
    # Nothing ran in this process: both jobs wait in the queue (as across a restart).
    # (the factory's sign-off queued two mails as well)
    queued = [task.name for task in jobs.huey.pending()]
    assert the_job(db).state == "pending" and queued.count("export_statements") == 1
    assert queued.count("send_mail") == 3

    log_path = tmp_path / "consumer.log"
    consumer = start_consumer(client.application, queue, log_path)
    try:
        def finished():
            job = the_job(db)
            return job if job.state in ("done", "failed") else None
        job = wait_for(finished, "the export did not finish", log_path, consumer)
        mail_folder = Path(queue["MAIL_FOLDER"])
        written = wait_for(lambda: mail_folder.is_dir() and len(list(mail_folder.iterdir())) == 3
                           and list(mail_folder.iterdir()), "the mails were not written",
                           log_path, consumer)
    finally:
        consumer.terminate()
        consumer.wait(timeout=30)
    assert (job.state, job.done, job.attempts) == ("done", 2, 1), job.error
    assert (Path(queue["EXPORT_FOLDER"]) / job.file_name).is_file()
    assert any("Subject: From the worker" in eml.read_text() for eml in written)
    assert 'data-state="done"' in client.hx_get(progress_url).text
    assert len(zip_names(client.get(progress_url + "/download").data)) == 2
    assert jobs.huey.pending_count() == 0
