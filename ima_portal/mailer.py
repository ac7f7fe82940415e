"""Mail, sent only once the change it tells of is committed, by the worker.

Services call `queue(message)`; the message waits in the database session and, when the
session commits, goes to the job queue as its fields (`send_mail`); a rolled-back
change sends nothing. The worker rebuilds the message and sends it with Flask-Mail,
trying again while the mail server does not answer. Without a mail server
(`MAIL_SERVER` unset) Flask-Mail sends nothing and each message is written as an .eml
file to `MAIL_FOLDER` (instance/mail/ by default)."""
from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask_mail import Message, email_dispatched

from .extensions import mail
from .queue import app_context, enqueue_after_commit, huey

# The parts of a Message that travel to the worker (attachments do not).
FIELDS = ("subject", "recipients", "body", "html", "sender", "cc", "bcc", "reply_to",
          "date", "msgId", "extra_headers")


# A mail server that does not answer is tried again for about an hour.
MAIL_RETRIES = 5
MAIL_RETRY_DELAY = 120  # seconds, doubled each time


def queue(message: Message) -> None:
    """Sends `message` when the current transaction commits."""
    enqueue_after_commit(send_mail, fields_of(message))


def fields_of(message: Message) -> dict[str, Any]:
    """The message as plain data for the queue; its date is now, when it was queued."""
    if message.attachments or message.alts:
        raise ValueError("queued mail carries no attachments or alternatives")
    fields = {name: getattr(message, name) for name in FIELDS}
    fields["date"] = fields["date"] or time.time()
    return fields


def message_from(fields: dict[str, Any]) -> Message:
    message_id = fields.get("msgId")
    message = Message(**{k: v for k, v in fields.items() if k != "msgId"})
    if message_id:
        message.msgId = message_id  # the same Message-ID on every try
    return message


def send(fields: dict[str, Any]) -> None:
    """Sends the mail `fields` describe (in the worker, within an app context)."""
    mail.send(message_from(fields))


@huey.task(retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_DELAY, retry_backoff=2)
def send_mail(fields: dict) -> None:
    """The worker's task: sends one mail, given as its fields (`fields_of`)."""
    with app_context():
        send(fields)


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
