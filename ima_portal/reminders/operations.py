"""Sending the digests. `send_digests` is what the worker's scheduler runs (and `flask
send-reminders`): for each account that takes reminders, the digest due now, if any and
if not sent yet for its period. A digest is claimed by its row (unique per recipient,
kind and period) before its mail is queued: a second run, or a second worker, finds the
row and sends nothing. The mail goes when the caller commits, in the recipient's
language; without a mail server it is written to the mail folder."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale, gettext
from flask_mail import Message
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit, mailer
from ..assembly import queries as assembly_queries
from ..assembly.models import Assembly
from ..assembly.overview import chapter_overview
from ..auth.models import User
from ..domain import reminders
from ..domain.common import N_
from ..domain.readiness import Todo
from ..domain.roles import Role
from ..domain.statements import State
from ..extensions import db
from ..members import queries as member_queries
from ..statements.models import Statement
from ..web import assembly_name, portal_link, render_anywhere
from .models import ReminderDigest


@dataclass
class Sent:
    """What a run did: digests sent, and those already sent for their period."""
    sent: list[tuple[int, str, str]] = field(default_factory=list)   # (user id, kind, period)
    already: int = 0


def _recipients(role: Role) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role == role, User.active.is_(True),
                           User.reminders.is_(True)).order_by(User.id)))


def _claim(user: User, kind: reminders.DigestKind, period: str, items: int) -> bool:
    """The digest's row, written now: False when it exists already (sent by an earlier
    run or by another worker at the same moment)."""
    try:
        with db.session.begin_nested():
            db.session.add(ReminderDigest(user_id=user.id, kind=kind.value, period=period,
                                          items=items))
            db.session.flush()
    except IntegrityError:
        return False
    return True


def _send(user: User, template: str, subject: str, subject_params=dict, **context) -> None:
    """The digest's mail, written in the recipient's language (`subject_params`: a
    function giving the subject's parameters, called in that language)."""
    with force_locale(user.language or "en"):
        body = render_anywhere(template, user=user, **context)
        title = gettext(subject, **subject_params())
    mailer.queue(Message(subject=title, recipients=[user.email], body=body))


def chapter_items(user: User, assembly: Assembly, today) -> tuple[int, list[Todo]]:
    """How many of the chapter's organizations owe dues (and so may not vote), and the
    chapter page's items the digest tells of."""
    owing = member_queries.owing_count(user)
    view = chapter_overview(user, assembly, user.chapter, today)
    return owing, [t for t in view.todos if t.kind in reminders.CHAPTER_ITEMS]


def send_digests(now: datetime) -> Sent:
    """Every digest due at `now` and not sent yet for its period (see the module)."""
    done = Sent()
    today = now.date()
    assembly = assembly_queries.latest()
    if assembly is not None:
        period = reminders.chapter_period(today, assembly.opens_on, assembly.deadline_on)
        for user in _recipients(Role.SECRETARIAT) if period else []:
            if user.chapter is None:
                continue
            owing, todos = chapter_items(user, assembly, today)
            if not owing and not todos:
                continue
            if not _claim(user, reminders.DigestKind.CHAPTER, period, owing + len(todos)):
                done.already += 1
                continue
            _send(user, "reminders/mail/chapter.txt",
                  N_("What needs doing before the deadline of the %(assembly)s"),
                  assembly=assembly, owing=owing, todos=todos,
                  subject_params=lambda: {"assembly": assembly_name(assembly)},
                  organizations_link=portal_link("members.index", standing="owing"),
                  chapter_link=portal_link("assembly.chapter_overview",
                                           number=assembly.number, code=user.chapter.code),
                  account_link=portal_link("auth.account"))
            done.sent.append((user.id, reminders.DigestKind.CHAPTER.value, period))
    waiting = list(db.session.scalars(
        select(Statement).where(Statement.state == State.SUBMITTED)
        .order_by(Statement.state_changed_at, Statement.id)))
    late = [s for s in waiting if reminders.waited_too_long([s.state_changed_at], now)]
    period = reminders.chair_period(today, len(late))
    for user in _recipients(Role.CHAIR) if period else []:
        if not _claim(user, reminders.DigestKind.CHAIR, period, len(late)):
            done.already += 1
            continue
        _send(user, "reminders/mail/chair.txt", N_("Statements waiting for your sign-off"),
              statements=late, now=now, queue_link=portal_link("statements.queue"),
              account_link=portal_link("auth.account"))
        done.sent.append((user.id, reminders.DigestKind.CHAIR.value, period))
    return done


def set_reminders(actor: User, on: bool) -> None:
    """The account's choice (its own account page)."""
    if actor.reminders == on:
        return
    actor.reminders = on
    audit.record(actor, "account.reminders", actor,
                 "Turned reminders on" if on else "Turned reminders off")
    db.session.flush()
