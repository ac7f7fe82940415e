"""The worker process's entry point: every task of the portal, gathered so that

    huey_consumer ima_portal.jobs.huey

finds them all. The queue itself is `queue`; each task lives beside what it does."""
from __future__ import annotations

from .mailer import MAIL_RETRIES, MAIL_RETRY_DELAY, send_mail
from .queue import configure, enqueue_after_commit, huey, worker_app
from .receipts.tasks import send_receipt
from .reminders.tasks import REMINDERS_EVERY, send_reminders
from .statements.exports import (
    CLEANUP_EVERY,
    EXPORT_RETRIES,
    EXPORT_RETRY_DELAY,
    clean_up_exports,
    export_statements,
)

__all__ = ["CLEANUP_EVERY", "EXPORT_RETRIES", "EXPORT_RETRY_DELAY", "MAIL_RETRIES",
           "MAIL_RETRY_DELAY", "REMINDERS_EVERY", "clean_up_exports", "configure",
           "enqueue_after_commit", "export_statements", "huey", "send_mail", "send_receipt",
           "send_reminders", "worker_app"]


@huey.on_startup()
def _build_app_at_startup() -> None:
    worker_app()  # a bad configuration shows when the worker starts, not at the first job
