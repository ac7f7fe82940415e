"""Info sessions: schedule, cancel, the call link (set, mailed to everyone registered),
the chapter's sign-up link, and the public registration. Each operation is given the
acting user (None for someone signing up on the public page), audits, queues mail and
flushes; the request's transaction commits once. The sign-up throttle's records are the
exception: each is committed at once in a transaction of its own (as for sign-ins)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mail import Message
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit, mailer
from ..assembly.models import Assembly
from ..auth.models import User
from ..chapters.models import Chapter
from ..db_types import utcnow
from ..domain import info_sessions as rules
from ..domain.common import N_, Decision, counted
from ..extensions import db
from ..web import render_anywhere
from . import queries, times
from .models import (
    InfoSession,
    InfoSessionRegistration,
    SignupAttempt,
    SignupLink,
    new_signup_token,
)

ALREADY_REGISTERED = N_("This e-mail address is already registered for this session. "
                        "Look for the confirmation in your mailbox.")


def _languages(codes: list[str]) -> str:
    return ",".join(c for c in rules.LANGUAGES if c in codes) or "en"


# ---- scheduling ------------------------------------------------------------------------------

@dataclass
class Scheduled:
    sessions: list[InfoSession] = field(default_factory=list)
    errors: dict[str, tuple[str, dict]] = field(default_factory=dict)


def schedule_sessions(actor: User, chapter: Chapter, *, day: date, start: time, end: time,
                      timezone: str, weeks: int = 1, call_link: str = "",
                      languages: list[str] | None = None, capacity: int | None = None,
                      title: str = "", assembly: Assembly | None = None) -> Scheduled:
    """One session, or one a week for `weeks` weeks at the same local time."""
    plan = rules.schedule(day, start, end, timezone, weeks=weeks, now=utcnow())
    errors = dict(plan.errors or {})
    if (problem := rules.check_call_link(call_link)) is not None:
        errors["call_link"] = (problem, {})
    if errors:
        return Scheduled(errors=errors)
    out = []
    for starts_at, ends_at in plan.moments:
        session = InfoSession(chapter_id=chapter.id, assembly=assembly, title=title.strip(),
                              starts_at=starts_at, ends_at=ends_at, timezone=timezone,
                              call_link=call_link.strip(), languages=_languages(languages or []),
                              capacity=capacity, created_by_id=actor.id)
        db.session.add(session)
        out.append(session)
    db.session.flush()
    for session in out:
        audit.record(actor, "info_session.schedule", session,
                     f"Scheduled an info session of {chapter.code} on "
                     f"{session.starts_at:%Y-%m-%d %H:%M} UTC",
                     chapter=chapter.code, timezone=timezone, weeks=weeks)
    return Scheduled(out)


def set_call_link(actor: User, session: InfoSession, call_link: str) -> Decision:
    if (problem := rules.check_call_link(call_link)) is not None:
        return Decision.refuse(problem)
    before = session.call_link
    session.call_link = call_link.strip()
    db.session.flush()
    audit.record_changes(actor, "info_session.call_link", session, "the call link",
                         {"call_link": before}, {"call_link": session.call_link})
    return Decision.allow()


def _mail(person: InfoSessionRegistration, subject: str, template: str, **params) -> None:
    """A mail to a registrant, in the language they signed up in (subject and body)."""
    with force_locale(person.language or "en"):
        title = _(subject, **params)
        body = render_anywhere(template, person=person, **params)
    mailer.queue(Message(subject=" ".join(title.split()), recipients=[person.email],
                         body=body))


def cancel_session(actor: User, session: InfoSession, reason: str = "") -> Decision:
    """Marks the session cancelled (it is kept) and tells each registrant by mail."""
    decision = rules.may_cancel(session.cancelled)
    if not decision:
        return decision
    session.cancelled_at = utcnow()
    session.cancel_reason = reason.strip()
    people = queries.registrants(session)
    for person in people:
        _mail(person, N_("Cancelled: the info session of %(when)s"),
              "info_sessions/mail/cancelled.txt", session=session,
              when=times.when(session, person.timezone, person.language))
    db.session.flush()
    audit.record(actor, "info_session.cancel", session,
                 f"Cancelled the info session of {session.starts_at:%Y-%m-%d %H:%M} UTC; "
                 f"{counted(len(people), 'registrant', 'registrants')} told",
                 reason=session.cancel_reason, told=len(people))
    return Decision.allow(count=len(people))


def mail_call_link(actor: User, session: InfoSession) -> Decision:
    """One mail per registrant with the call link and the time in their zone."""
    people = queries.registrants(session)
    decision = rules.may_mail_call_link(session.call_link, session.cancelled, len(people))
    if not decision:
        return decision
    for person in people:
        _mail(person, N_("The call link for the info session of %(when)s"),
              "info_sessions/mail/call_link.txt", session=session,
              when=times.when(session, person.timezone, person.language))
    session.link_mailed_at = utcnow()
    db.session.flush()
    audit.record(actor, "info_session.mail_link", session,
                 f"Mailed the call link to {counted(len(people), 'registrant', 'registrants')}",
                 count=len(people))
    return Decision.allow(count=len(people))


# ---- the chapter's public sign-up link -------------------------------------------------------

def signup_link(actor: User, chapter: Chapter) -> SignupLink:
    """The chapter's sign-up link, made on first use."""
    link = queries.signup_link(chapter.id)
    if link is None:
        link = SignupLink(chapter_id=chapter.id, token=new_signup_token())
        db.session.add(link)
        db.session.flush()
        audit.record(actor, "info_session.signup_link", link,
                     f"Made the public sign-up link of {chapter.code}", chapter=chapter.code)
    return link


def regenerate_signup_link(actor: User, chapter: Chapter) -> SignupLink:
    """A new address: the old one answers 404 from now on."""
    link = signup_link(actor, chapter)
    link.token = new_signup_token()
    link.created_at = utcnow()
    db.session.flush()
    audit.record(actor, "info_session.signup_link_regenerate", link,
                 f"Made a new public sign-up link for {chapter.code} (the old one stops "
                 "working)", chapter=chapter.code)
    return link


# ---- the public registration -----------------------------------------------------------------

@dataclass(frozen=True)
class SignUp:
    registration: InfoSessionRegistration | None = None
    errors: dict[str, Decision] = field(default_factory=dict)
    throttled: Decision | None = None


def _record_attempt(email: str, address: str, now: datetime) -> tuple[int, ...]:
    """The sign-up counted first, in a transaction of its own committed at once, so that
    sign-ups sent at the same moment see one another."""
    with Session(db.engine) as own, own.begin():
        rows = [SignupAttempt(kind="email", key=email, at=now),
                SignupAttempt(kind="address", key=address, at=now)]
        own.add_all(rows)
        own.flush()
        ids = tuple(r.id for r in rows)
        own.execute(delete(SignupAttempt).where(
            SignupAttempt.at <= now - queries.ATTEMPT_RETENTION))
    return ids


def _forget(ids: tuple[int, ...]) -> None:
    with Session(db.engine) as own, own.begin():
        own.execute(delete(SignupAttempt).where(SignupAttempt.id.in_(ids)))


def register(session: InfoSession, *, name: str, email: str, organization: str,
             interpretation: str, timezone: str, address: str,
             per_email: int = rules.SIGNUP_LIMIT_PER_EMAIL,
             per_address: int = rules.SIGNUP_LIMIT_PER_ADDRESS, throttled: bool = True,
             language: str = "en") -> SignUp:
    """Someone signs up on the public page (no account): throttled per e-mail and per
    address, one registration per e-mail and session (the database's unique constraint
    decides when two arrive at once), a confirmation mailed with the time in their zone."""
    email = email.strip().lower()
    now = utcnow()
    if throttled:  # (the demo's seeding, which is no visitor, is not)
        ids = _record_attempt(email, address, now)
        state = queries.throttle_state(email, address, now=max(utcnow(), now),
                                       window=rules.SIGNUP_WINDOW, per_email=per_email,
                                       per_address=per_address, exclude=ids)
        if not state.allowed:
            _forget(ids)  # refused unread: not a further sign-up
            return SignUp(throttled=Decision.refuse(rules.THROTTLED,
                                                    num=state.retry_minutes))
    decision = rules.may_register(queries.facts(session), now)
    if not decision:
        return SignUp(errors={"session_id": decision})
    if (problem := rules.check_interpretation(interpretation)):
        return SignUp(errors={"interpretation": Decision.refuse(problem)})
    if queries.is_registered(session.id, email):
        return SignUp(errors={"email": Decision.refuse(ALREADY_REGISTERED)})
    timezone = rules.zone_or(timezone, session.timezone)
    registration = InfoSessionRegistration(
        session_id=session.id, name=name.strip(), email=email,
        organization=organization.strip(), interpretation=interpretation or "",
        timezone=timezone, language=language)
    try:
        with db.session.begin_nested():
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        return SignUp(errors={"email": Decision.refuse(ALREADY_REGISTERED)})
    audit.record(None, "info_session.register", registration,
                 f"{registration.name} signed up for the info session of "
                 f"{session.chapter.code} on {session.starts_at:%Y-%m-%d %H:%M} UTC",
                 session_id=session.id, interpretation=registration.interpretation)
    _mail(registration, N_("You are registered: the info session of %(when)s"),
          "info_sessions/mail/confirmation.txt", session=session,
          when=times.when(session, timezone, registration.language),
          session_zone_when=times.when(session, session.timezone, registration.language))
    return SignUp(registration)
