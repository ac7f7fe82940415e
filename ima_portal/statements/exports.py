"""Batch export: the statements a user chose, as one ZIP of PDFs, rendered by the worker
(`export_statements`) while the page shows the progress. The job row (state, done,
total, attempts, error) is in the database; the ZIP is written to `EXPORT_FOLDER`, a
folder the worker and the app servers share, and deleted a day later (`clean_up`)."""
from __future__ import annotations

import os
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from huey import crontab
from sqlalchemy import select

from ..auth.models import User
from ..db_types import utcnow
from ..documents.models import ExportJob
from ..domain.common import N_
from ..extensions import db
from ..queue import app_context, huey
from .models import Statement
from .pdf import statement_pdf

MAX_STATEMENTS = 200
KEEP_ZIPS = timedelta(days=1)
# A job still waiting or rendering without progress for this long has lost its worker
# (killed mid-job, queue emptied): the cleanup says so, and the user may start another.
GIVE_UP_AFTER = timedelta(hours=1)

# What the user reads after "The export failed: …" (translated when shown).
FAILED = N_("the PDFs could not be made, even after several tries")
LOST = N_("it did not finish within an hour")


def running_job(user: User) -> ExportJob | None:
    """The user's export still waiting or rendering, if any: one at a time per person."""
    return db.session.scalar(select(ExportJob).where(
        ExportJob.user_id == user.id, ExportJob.state.in_(("pending", "running")))
        .order_by(ExportJob.id).limit(1))


def start(user: User, statements: list[Statement], paper: str) -> ExportJob:
    """A new export job, waiting (hand it to `export_statements` after the commit)."""
    job = ExportJob(user_id=user.id, paper_size=paper, total=len(statements),
                    statement_ids=",".join(str(s.id) for s in statements))
    db.session.add(job)
    db.session.flush()
    return job


def job_of(user: User, job_id: int) -> ExportJob | None:
    job = db.session.get(ExportJob, job_id)
    if job is None or job.user_id != user.id:
        return None
    return job


def folder() -> Path:
    return Path(current_app.config["EXPORT_FOLDER"])


def archive_path(job: ExportJob) -> Path | None:
    """The job's ZIP on disk, when it is there."""
    if job.state != "done" or not job.file_name:
        return None
    path = folder() / job.file_name
    return path if path.is_file() else None


def download_name(job: ExportJob) -> str:
    return f"statements-{job.created_at.strftime('%Y%m%d-%H%M')}.zip"


# ---- in the worker ----------------------------------------------------------------------

def run(job_id: int, *, last_attempt: bool) -> None:
    """Renders the job's statements into its ZIP, committing the progress after each one.
    On an error the job waits for the next attempt, or, after the last one, fails with a
    sentence for the user (the details go to the log); the error is raised again so that
    the queue retries."""
    from .queries import get_visible
    job = db.session.get(ExportJob, job_id)
    if job is None or job.state not in ("pending", "running"):
        return  # already finished (a repeated delivery) or given up by the cleanup
    job.state, job.done, job.error = "running", 0, ""
    job.attempts += 1
    attempt = job.attempts
    job.updated_at = utcnow()
    db.session.commit()
    target = folder() / f"export-{job.id}.zip"
    partial = target.with_suffix(".zip.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        user = db.session.get(User, job.user_id)
        names: set[str] = set()
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive:
            for statement_id in job.ids:
                statement = get_visible(user, statement_id)  # still allowed to see it
                if statement is not None:
                    printed = statement_pdf(statement, job.paper_size)
                    name = printed.filename
                    if name in names:
                        name = f"{statement.id}-{name}"
                    names.add(name)
                    archive.writestr(name, printed.data)
                job.done += 1
                job.updated_at = utcnow()
                db.session.commit()
        os.replace(partial, target)  # the whole ZIP or none
        job.file_name = target.name
        job.state = "done"
        job.updated_at = utcnow()
        db.session.commit()
    except Exception:
        current_app.logger.exception("export %s failed (attempt %s)", job_id, attempt)
        db.session.rollback()
        partial.unlink(missing_ok=True)
        job = db.session.get(ExportJob, job_id)
        job.state = "failed" if last_attempt else "pending"
        job.error = FAILED if last_attempt else ""
        job.updated_at = utcnow()
        db.session.commit()
        raise


def clean_up(now: datetime | None = None) -> None:
    """ZIPs are for downloading now: a day later they are deleted, file and reference
    (each PDF of a signed text stays in the store). A job that has not moved for an hour
    has lost its worker and is marked failed. Stray files (a ZIP half written by a worker
    that was killed) go after a day too."""
    now = now or utcnow()
    cutoff = now - KEEP_ZIPS
    base = folder()
    for job in db.session.scalars(select(ExportJob).where(
            ExportJob.file_name.is_not(None), ExportJob.updated_at < cutoff)):
        (base / job.file_name).unlink(missing_ok=True)
        job.file_name = None
        job.state = "expired"
        job.updated_at = now
    for job in db.session.scalars(select(ExportJob).where(
            ExportJob.state.in_(("pending", "running")),
            ExportJob.updated_at < now - GIVE_UP_AFTER)):
        job.state, job.error, job.updated_at = "failed", LOST, now
    db.session.commit()
    if base.is_dir():
        kept = set(db.session.scalars(select(ExportJob.file_name).where(
            ExportJob.file_name.is_not(None))))
        for path in base.iterdir():
            if (path.is_file() and path.name not in kept
                    and path.stat().st_mtime < cutoff.timestamp()):
                path.unlink(missing_ok=True)


# ---- the worker's tasks -------------------------------------------------------------------

# A failed export is tried again twice, a minute apart; then the user is told.
EXPORT_RETRIES = 2
EXPORT_RETRY_DELAY = 60  # seconds
CLEANUP_EVERY = crontab(minute="*/15")


@huey.task(retries=EXPORT_RETRIES, retry_delay=EXPORT_RETRY_DELAY, context=True)
def export_statements(job_id: int, task=None) -> None:
    """Renders batch export `job_id` into its ZIP; the job row shows the progress."""
    with app_context():
        run(job_id, last_attempt=task is None or not task.retries)


@huey.periodic_task(CLEANUP_EVERY)
def clean_up_exports() -> None:
    """Deletes the export ZIPs of more than a day ago (files and references)."""
    with app_context():
        clean_up()
