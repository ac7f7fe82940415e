"""Batch export: the statements a user chose, as one ZIP of PDFs, rendered in a thread
of the app server while the page shows the progress. The job and the finished ZIP are in
the database, so any app server answers the progress page and the download."""
from __future__ import annotations

import io
import threading
import zipfile
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import event, select

from ..auth.models import User
from ..db_types import utcnow
from ..documents import store
from ..documents.models import ExportJob, StoredDocument
from ..extensions import db
from .models import Statement
from .pdf import statement_pdf

MAX_STATEMENTS = 200
STALLED_AFTER = timedelta(minutes=10)  # a job whose server stopped: shown as failed


KEEP_ZIPS = timedelta(days=1)


def running_job(user: User) -> ExportJob | None:
    """The user's export still rendering, if any: one at a time per person."""
    for job in db.session.scalars(select(ExportJob).where(
            ExportJob.user_id == user.id, ExportJob.state.in_(("pending", "running")))):
        if job_of(user, job.id) is not None and job.state in ("pending", "running"):
            return job
    return None


def start(user: User, statements: list[Statement], paper: str) -> ExportJob:
    _forget_old_zips()
    job = ExportJob(user_id=user.id, paper_size=paper, total=len(statements),
                    statement_ids=",".join(str(s.id) for s in statements))
    db.session.add(job)
    db.session.flush()
    return job


def _forget_old_zips() -> None:
    """ZIPs are for downloading now: a day later they are deleted (each PDF of a signed
    text stays in the store)."""
    cutoff = utcnow() - KEEP_ZIPS
    old = list(db.session.scalars(select(ExportJob).where(
        ExportJob.document_id.is_not(None), ExportJob.updated_at < cutoff)))
    for job in old:
        document = db.session.get(StoredDocument, job.document_id)
        job.document_id = None
        db.session.flush()
        if document is not None:
            db.session.delete(document)


def launch(job: ExportJob) -> None:
    """Renders the job once this request's transaction has committed it."""
    app = current_app._get_current_object()
    job_id = job.id

    def start(_session) -> None:
        thread = threading.Thread(target=run, args=(app, job_id), name=f"export-{job_id}",
                                  daemon=True)
        if app.testing:  # the tests wait for it
            app.extensions.setdefault("export_threads", []).append(thread)
        thread.start()

    event.listen(db.session(), "after_commit", start, once=True)


def run(app: Flask, job_id: int) -> None:
    from .queries import get_visible
    with app.app_context():
        job = db.session.get(ExportJob, job_id)
        try:
            job.state = "running"
            db.session.commit()
            user = db.session.get(User, job.user_id)
            buffer = io.BytesIO()
            names: set[str] = set()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
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
            stamp = job.created_at.strftime("%Y%m%d-%H%M")
            document = store.keep(store.key_of("export", job.id, stamp), kind="zip",
                                  filename=f"statements-{stamp}.zip",
                                  content_type="application/zip", data=buffer.getvalue())
            db.session.flush()
            job.document_id = document.id
            job.state = "done"
            job.updated_at = utcnow()
            db.session.commit()
        except Exception:  # noqa: BLE001 - the page must say it failed
            app.logger.exception("export %s failed", job_id)
            db.session.rollback()
            job = db.session.get(ExportJob, job_id)
            job.state = "failed"
            job.error = "a statement could not be rendered (the details are in the log)"
            db.session.commit()
        finally:
            db.session.remove()


def job_of(user: User, job_id: int) -> ExportJob | None:
    job = db.session.get(ExportJob, job_id)
    if job is None or job.user_id != user.id:
        return None
    if job.state in ("pending", "running") and utcnow() - job.updated_at > STALLED_AFTER:
        job.state, job.error = "failed", "The export stopped (the server restarted)."
        db.session.commit()
    return job


def archive_of(job: ExportJob) -> StoredDocument | None:
    if job.document_id is None:
        return None
    return db.session.scalar(select(StoredDocument).where(
        StoredDocument.id == job.document_id))
