"""The worker's task: a receipt's PDF (rendered once, then kept) mailed as an attachment
to the organization's contact e-mail, in the organization's language. The mailer's
queue carries no attachments, so this task builds and sends its own message."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mail import Message

from ..chapters.queries import alliance
from ..db_types import utcnow
from ..extensions import db, mail
from ..mailer import MAIL_RETRIES, MAIL_RETRY_DELAY
from ..queue import app_context, huey
from ..web import usd
from .models import Receipt
from .pdf import filename, long_date, pdf_of, verify_url


def receipt_message(receipt: Receipt, data: bytes) -> Message:
    with force_locale(receipt.language):
        subject = _("Receipt %(code)s: %(organization)s", code=receipt.code_display,
                    organization=receipt.organization_name)
        body = _("Dear %(organization)s,\n\nAttached is the receipt for your payment of "
                 "%(amount)s made on %(day)s. Anyone can confirm it at %(url)s\n\n"
                 "%(alliance)s",
                 organization=receipt.organization_name, amount=usd(receipt.usd_cents),
                 day=long_date(receipt.paid_on), url=verify_url(receipt),
                 alliance=alliance().name)
    message = Message(subject=subject, recipients=[receipt.email], body=body)
    message.attach(filename(receipt), "application/pdf", data)
    return message


@huey.task(retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_DELAY, retry_backoff=2)
def send_receipt(receipt_id: int) -> None:
    """When the organization had a contact e-mail: renders (or loads) the receipt's PDF
    and sends it there once (a retry after the mail went out sends nothing)."""
    with app_context():
        receipt = db.session.get(Receipt, receipt_id)
        if receipt is None or not receipt.email or receipt.mailed_at is not None:
            return  # without a contact, the PDF is rendered at its first download
        data = pdf_of(receipt)
        db.session.commit()  # the PDF is kept even if the mail server does not answer
        mail.send(receipt_message(receipt, data))
        receipt.mailed_at = utcnow()
        db.session.commit()
