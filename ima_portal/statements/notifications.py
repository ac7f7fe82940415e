"""Mails about statements: to the chair when one is submitted, to its authors when the
chair decides (with the chair's comment). Queued; sent once the change is committed."""
from __future__ import annotations

from flask_babel import force_locale, gettext
from flask_mail import Message

from .. import mailer
from ..auth.models import User
from ..domain.common import N_
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
        subject = N_("For sign-off: %(headline)s")
        template = "statements/mail/submitted.txt"
        link = portal_link("statements.queue", _anchor=f"statement-{statement.id}")
    elif action in (Action.APPROVE, Action.REQUEST_CHANGES):
        recipients = _authors(statement)
        subject = (N_("Approved: %(headline)s") if action is Action.APPROVE
                   else N_("Changes requested: %(headline)s"))
        template = "statements/mail/decided.txt"
        link = portal_link("statements.detail", statement_id=statement.id)
    else:
        return
    by_language: dict[str, list[str]] = {}
    for user in recipients:
        if user.id != actor.id:
            by_language.setdefault(user.language or "en", []).append(user.email)
    context = {"statement": statement, "actor": actor, "text": text, "action": action.value,
               "link": link}
    for language, addresses in sorted(by_language.items()):
        with force_locale(language):  # each recipient reads it in their own language
            body = render_anywhere(template, **context)
            title = gettext(subject, headline=headline)
        mailer.queue(Message(subject=title, recipients=addresses, body=body))
