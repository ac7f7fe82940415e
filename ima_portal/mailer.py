"""Mail, sent only once the change it tells of is committed.

Services call `queue(message)`; the message waits in the database session and goes when
the session commits (a rolled-back change sends nothing). Without a mail server
(`MAIL_SERVER` unset) Flask-Mail sends nothing and each message is written as an .eml
file to `MAIL_FOLDER` (instance/mail/ by default)."""
from __future__ import annotations

import os
import re
from datetime import UTC, datetime

from flask import Flask, current_app
from flask_mail import Message, email_dispatched
from sqlalchemy import event

from .extensions import db, mail

_OUTBOX = "ima_outbox"


def queue(message: Message) -> None:
    """Sends `message` when the current transaction commits."""
    db.session.info.setdefault(_OUTBOX, []).append(message)


def _send_queued(session) -> None:
    messages = session.info.pop(_OUTBOX, [])
    for message in messages:
        try:
            mail.send(message)
        except Exception:  # a mail server down must not undo the committed change
            current_app.logger.exception("mail to %s not sent", message.recipients)


def _drop_queued(session) -> None:
    session.info.pop(_OUTBOX, None)


def _write_to_folder(app: Flask, message: Message, **_extra) -> None:
    folder = app.config.get("MAIL_FOLDER")
    if not folder or not app.config.get("MAIL_SUPPRESS_SEND"):
        return
    os.makedirs(folder, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    slug = re.sub(r"[^a-z0-9]+", "-", (message.subject or "mail").lower()).strip("-")[:60]
    path = os.path.join(folder, f"{stamp}-{slug}.eml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(message.as_string())


def init_mail(app: Flask) -> None:
    mail.init_app(app)
    email_dispatched.connect(_write_to_folder, app)
    if not getattr(init_mail, "_listening", False):
        event.listen(db.session, "after_commit", _send_queued)
        event.listen(db.session, "after_rollback", _drop_queued)
        init_mail._listening = True  # type: ignore[attr-defined]
