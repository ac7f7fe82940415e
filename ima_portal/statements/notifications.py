"""Mails about statements: to the chair when one is submitted, to its authors when the
chair decides (with the chair's comment). Queued; sent once the change is committed."""
from __future__ import annotations

from flask_mail import Message

from .. import mailer
from ..auth.models import User
from ..domain.statements import Action
from ..web import portal_link, render_anywhere
from .models import Statement
from .queries import chairs


def _authors(statement: Statement) -> list[User]:
    people = {u.id: u for u in (statement.submitted_by, statement.created_by)
              if u is not None and u.active}
    return list(people.values())


def after_transition(statement: Statement, action: Action, actor: User, text: str) -> None:
    headline = " ".join(statement.headline.split())  # a mail header is one line
    if action is Action.SUBMIT:
        recipients = chairs()
        subject = f"For sign-off: {headline}"
        template = "statements/mail/submitted.txt"
        link = portal_link("statements.queue", _anchor=f"statement-{statement.id}")
    elif action in (Action.APPROVE, Action.REQUEST_CHANGES):
        recipients = _authors(statement)
        verb = "Approved" if action is Action.APPROVE else "Changes requested"
        subject = f"{verb}: {headline}"
        template = "statements/mail/decided.txt"
        link = portal_link("statements.detail", statement_id=statement.id)
    else:
        return
    addresses = [u.email for u in recipients if u.id != actor.id]
    if not addresses:
        return
    context = {"statement": statement, "actor": actor, "text": text, "action": action.value,
               "link": link}
    body = render_anywhere(template, **context)
    mailer.queue(Message(subject=subject, recipients=addresses, body=body))
