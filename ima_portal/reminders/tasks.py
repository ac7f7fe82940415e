"""The worker's scheduler runs the reminders every hour; each digest goes once per
recipient and period however often this runs (`operations.send_digests`)."""
from __future__ import annotations

from huey import crontab

from ..db_types import utcnow
from ..extensions import db
from ..queue import app_context, huey
from .operations import send_digests

REMINDERS_EVERY = crontab(minute="7")


@huey.periodic_task(REMINDERS_EVERY)
def send_reminders() -> None:
    with app_context():
        send_digests(utcnow())
        db.session.commit()  # the job's one transaction: the digests' rows, then their mail
