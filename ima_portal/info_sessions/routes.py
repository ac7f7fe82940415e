"""Info sessions: the chapter secretariat's pages (schedule, registrants, CSV, call link,
cancel, the public sign-up link) and the public sign-up page (no account)."""
from __future__ import annotations

from flask import abort, current_app, flash, request, session, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import csrf_in_form, public, role_allowed
from ..csvfiles import to_csv
from ..db_types import utcnow
from ..domain import info_sessions as rules
from ..domain.common import whole_number
from ..web import csv_download, form_status, portal_link, redirect_to, render, say
from . import bp, operations, queries, times
from .forms import CallLinkForm, CancelForm, ScheduleForm, SignupForm, ZoneForm
from .models import InfoSession

managers_only = role_allowed(rules.may_manage_sessions)  # the rule the pages show


@bp.app_template_global("session_when")
def session_when(session, zone: str) -> str:
    return times.span_in(session.starts_at, session.ends_at, zone)


@bp.app_template_global("language_name")
def language_name(code: str) -> str:
    return _(rules.LANGUAGES.get(code, code))


def _session(session_id: int) -> InfoSession:
    return queries.session_for(current_user, session_id) or abort(404)


def _viewer_zone() -> str:
    return current_user.timezone if rules.is_zone(current_user.timezone) else "UTC"


# ---- the chapter's pages ---------------------------------------------------------------------

@bp.route("/info-sessions/")
def index():
    show_past = request.args.get("past") == "1"
    rows = queries.sessions_for(current_user, since=None if show_past else utcnow())
    may_manage = bool(rules.may_manage_sessions(current_user.role))
    chapters = queries.chapters_for(current_user) if may_manage else []
    links = queries.signup_links([c.id for c in chapters])
    # Shared outside the portal: always on PORTAL_URL, never on the Host a request named.
    addresses = {cid: portal_link("info_sessions.signup", token=link.token)
                 for cid, link in links.items()}
    return render("info_sessions/index.html", rows=rows, show_past=show_past,
                  may_manage=may_manage, chapters=chapters, links=links, addresses=addresses,
                  zone=_viewer_zone())


def _schedule_form() -> ScheduleForm:
    form = ScheduleForm(chapters=queries.chapters_for(current_user),
                        assemblies=queries.assemblies())
    if request.method == "GET":
        if current_user.chapter_id:
            form.chapter_id.data = current_user.chapter_id
        form.timezone.data = _viewer_zone()
        latest = queries.assemblies()
        form.assembly_id.data = latest[0].id if latest else None
    return form


@bp.route("/info-sessions/new", methods=["GET", "POST"])
@managers_only
@csrf_in_form
def new():
    form = _schedule_form()
    if form.validate_on_submit():
        chapter = queries.chapter_for(current_user, form.chapter_id.data) or abort(404)
        assembly = next((a for a in queries.assemblies() if a.id == form.assembly_id.data),
                        None)
        result = operations.schedule_sessions(
            current_user, chapter, day=form.day.data, start=form.start_time.data,
            end=form.end_time.data, timezone=form.timezone.data, weeks=form.weeks.data,
            call_link=form.call_link.data or "", languages=form.languages.data,
            capacity=form.capacity.data, title=form.title.data or "", assembly=assembly)
        if result.sessions:
            flash(ngettext("%(num)d info session scheduled.",
                           "%(num)d info sessions scheduled, one a week.",
                           len(result.sessions)), "success")
            return redirect_to(url_for("info_sessions.index"))
        for name, (message, params) in result.errors.items():
            form[name].errors = [say(message, **params)]
        return render("info_sessions/new.html", form=form), 422
    return render("info_sessions/new.html", form=form), form_status(form)


def _detail_context(session: InfoSession, **forms) -> dict:
    people = queries.registrants(session)
    return {"session": session, "people": people,
            "interpreters": rules.interpreters_needed(p.interpretation for p in people),
            "zone": _viewer_zone(),
            "may_manage": bool(rules.may_manage_sessions(current_user.role)),
            "mail_decision": rules.may_mail_call_link(session.call_link, session.cancelled,
                                                      len(people)),
            "link_form": forms.get("link_form") or CallLinkForm(
                formdata=None, call_link=session.call_link),
            "cancel_form": forms.get("cancel_form") or CancelForm(formdata=None)}


@bp.route("/info-sessions/<int:session_id>")
def detail(session_id: int):
    return render("info_sessions/detail.html", **_detail_context(_session(session_id)))


@bp.route("/info-sessions/<int:session_id>/registrants.csv")
def registrants_csv(session_id: int):
    session_ = _session(session_id)
    rows = [[p.name, p.organization, p.email, p.interpretation,
             p.created_at.strftime("%Y-%m-%d %H:%M")] for p in queries.registrants(session_)]
    text = to_csv(["name", "organization", "email", "interpretation", "registered_at_utc"],
                  rows)
    return csv_download(text, f"info-session-{session_.starts_at:%Y-%m-%d}-registrants")


@bp.route("/info-sessions/<int:session_id>/call-link", methods=["POST"])
@managers_only
@csrf_in_form
def call_link(session_id: int):
    session_ = _session(session_id)
    form = CallLinkForm()
    if form.validate_on_submit():
        decision = operations.set_call_link(current_user, session_, form.call_link.data or "")
        if decision:
            flash(_("The call link has been saved."), "success")
            return redirect_to(url_for("info_sessions.detail", session_id=session_.id))
        form.call_link.errors = [say(decision.reason, **decision.params)]
    return render("info_sessions/detail.html",
                  **_detail_context(session_, link_form=form)), 422


@bp.route("/info-sessions/<int:session_id>/mail-link", methods=["POST"])
@managers_only
def mail_link(session_id: int):
    session_ = _session(session_id)
    decision = operations.mail_call_link(current_user, session_)
    if decision:
        count = decision.params["count"]
        flash(ngettext("The call link is being mailed to %(num)d person registered.",
                       "The call link is being mailed to the %(num)d people registered.",
                       count), "success")
    else:
        flash(say(decision.reason, **decision.params), "error")
    return redirect_to(url_for("info_sessions.detail", session_id=session_.id))


@bp.route("/info-sessions/<int:session_id>/cancel", methods=["POST"])
@managers_only
@csrf_in_form
def cancel(session_id: int):
    session_ = _session(session_id)
    form = CancelForm()
    if form.validate_on_submit():
        decision = operations.cancel_session(current_user, session_, form.reason.data or "")
        if decision:
            flash(ngettext("The session is cancelled; %(num)d person registered is told by "
                           "mail.", "The session is cancelled; the %(num)d people registered "
                           "are told by mail.", decision.params["count"]), "success")
        else:
            flash(say(decision.reason, **decision.params), "error")
        return redirect_to(url_for("info_sessions.detail", session_id=session_.id))
    return render("info_sessions/detail.html",
                  **_detail_context(session_, cancel_form=form)), form_status(form)


@bp.route("/info-sessions/chapters/<int:chapter_id>/signup-link", methods=["POST"])
@managers_only
def signup_link(chapter_id: int):
    chapter = queries.chapter_for(current_user, chapter_id) or abort(404)
    if queries.signup_link(chapter.id) is None:
        operations.signup_link(current_user, chapter)
        flash(_("The public sign-up link of %(chapter)s is ready.", chapter=chapter.code),
              "success")
    else:
        operations.regenerate_signup_link(current_user, chapter)
        flash(_("A new sign-up link for %(chapter)s: the old one no longer works.",
                chapter=chapter.code), "success")
    return redirect_to(url_for("info_sessions.index") + "#signup-links")


# ---- the public sign-up page -----------------------------------------------------------------

def _public_context(link, rows, form: SignupForm) -> dict:
    """The sign-up page: the chapter's open sessions told in the chosen zone (the query's
    `tz`, the form's `timezone`, else the first session's own zone)."""
    fallback = rows[0].session.timezone if rows else "UTC"
    zone = rules.zone_or(request.values.get("tz") or request.form.get("timezone"), fallback)
    form.timezone.data = zone
    if form.session_id.data is None and len(rows) == 1:
        form.session_id.data = rows[0].session.id
    now = utcnow()
    open_ = {r.session.id: rules.may_register(rules.SessionFacts(
        r.session.starts_at, False, r.session.capacity, r.registered), now) for r in rows}
    return {"link": link, "chapter": link.chapter, "rows": rows, "zone": zone,
            "zone_form": ZoneForm(formdata=None, tz=zone), "form": form, "open": open_,
            "token": link.token,
            # Without a zone chosen yet, a small script preselects the browser's own.
            "browser_zone": "tz" not in request.values and "timezone" not in request.form}


@bp.route("/join/<token>", methods=["GET", "POST"])
@public
@csrf_in_form
def signup(token: str):
    link = queries.link_by_token(token) or abort(404)
    rows = queries.open_sessions(link.chapter_id, utcnow())
    form = SignupForm(sessions=[r.session for r in rows])
    context = _public_context(link, rows, form)
    if request.method == "GET":
        # A change of zone (HTMX) keeps the session already chosen.
        if (chosen_id := whole_number(request.args.get("session_id"))) is not None:
            form.session_id.data = chosen_id
        return render("info_sessions/signup.html", "info_sessions/_choices.html", **context)
    if not form.validate_on_submit():
        return render("info_sessions/signup.html", **context), form_status(form)
    chosen = next((r.session for r in rows if r.session.id == form.session_id.data), None)
    if chosen is None:
        form.session_id.errors = [_("Choose one of the sessions listed.")]
        return render("info_sessions/signup.html", **context), 422
    cfg = current_app.config
    result = operations.register(
        chosen, name=form.name.data, email=form.email.data,
        organization=form.organization.data or "", interpretation=form.interpretation.data,
        timezone=context["zone"], address=request.remote_addr or "unknown",
        per_email=cfg.get("SIGNUP_THROTTLE_PER_EMAIL", rules.SIGNUP_LIMIT_PER_EMAIL),
        per_address=cfg.get("SIGNUP_THROTTLE_PER_ADDRESS", rules.SIGNUP_LIMIT_PER_ADDRESS),
        language=str(get_locale() or "en"))
    if result.throttled is not None:
        minutes = result.throttled.params["num"]
        page = render("info_sessions/signup.html", throttled=say(
            result.throttled.reason, num=minutes), **context)
        return page, 429, {"Retry-After": str(minutes * 60)}
    if result.registration is None:
        for name, decision in result.errors.items():
            form[name].errors = [say(decision.reason, **decision.params)]
        return render("info_sessions/signup.html", **context), 422
    session["info_session_signup"] = result.registration.id
    return redirect_to(url_for("info_sessions.signed_up", token=link.token))


@bp.route("/join/<token>/registered")
@public
def signed_up(token: str):
    """The confirmation, for the browser that signed up (the id is in its signed session
    cookie, never in the address)."""
    link = queries.link_by_token(token) or abort(404)
    reg = queries.registration(session.get("info_session_signup"))
    if reg is None or reg.session.chapter_id != link.chapter_id:
        return redirect_to(url_for("info_sessions.signup", token=link.token))
    return render("info_sessions/registered.html", reg=reg, s=reg.session,
                  chapter=link.chapter, token=link.token)
