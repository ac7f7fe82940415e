"""The chapter's assembly page (delegates counted, fees, the fund's progress, what needs
doing) and name badges (one delegate's, or a whole chapter's sheet). Thin views: the
reads are in `overview`, the rules in `domain.readiness`; another chapter answers 404
for a chapter secretariat."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, render_template, url_for
from flask_login import current_user

from ..domain.assembly import Participation, RegistrationState
from ..domain.readiness import DEADLINE_NEAR_DAYS, Todo, TodoKind
from ..scoping import scope_of
from ..web import download, redirect_to
from . import bp, overview, queries
from .models import Assembly, Registration


def _assembly(number: int) -> Assembly:
    return queries.by_number(number) or abort(404)


def todo_link(todo: Todo, assembly: Assembly, chapter_id: int, may_change: bool) -> str:
    """Where each item of what needs doing is done."""
    number = assembly.number
    if todo.kind is TodoKind.NO_VOTING_DELEGATE:
        if may_change:
            return url_for("assembly.register", number=number,
                           organization_id=todo.organization_id)
        return url_for("members.detail", organization_id=todo.organization_id)
    if todo.kind is TodoKind.VOTE_LOST and todo.organization_id:
        return url_for("members.detail", organization_id=todo.organization_id)
    if todo.kind is TodoKind.FEE_DUE:
        return url_for("assembly.fee", number=number, reg_id=todo.registration_id)
    if todo.kind is TodoKind.PENDING:
        return url_for("assembly.delegates", number=number, state="pending",
                       chapter_id=chapter_id)
    if todo.kind is TodoKind.VISA_LETTER:
        return url_for("letters.request_letter", number=number, reg_id=todo.registration_id)
    # Dates: the registration itself.
    return url_for("assembly.edit", number=number, reg_id=todo.registration_id)


@bp.route("/assembly/chapters/")
def overview_current():
    assembly = queries.latest()
    if assembly is None:
        return render_template("assembly/none.html")
    return redirect_to(url_for("assembly.chapters", number=assembly.number))


@bp.route("/assemblies/<int:number>/chapters/")
def chapters(number: int):
    """Every chapter's page, for the chair and the global secretariat; a chapter
    secretariat goes straight to their own."""
    assembly = _assembly(number)
    if scope_of(current_user) is not None:
        return redirect_to(url_for("assembly.chapter_overview", number=number,
                                   code=current_user.chapter.code))
    return render_template("assembly/chapters.html", assembly=assembly,
                           chapters=overview.chapters_for(current_user),
                           counts=overview.counts_by_chapter(current_user, assembly),
                           Pending=RegistrationState.PENDING,
                           Confirmed=RegistrationState.CONFIRMED)


@bp.route("/assemblies/<int:number>/chapters/<code>/")
def chapter_overview(number: int, code: str):
    assembly = _assembly(number)
    chapter = overview.chapter_for(current_user, code) or abort(404)
    view = overview.chapter_overview(current_user, assembly, chapter, date.today())
    may_change = queries.may_change(current_user, assembly)
    items = [(t, todo_link(t, assembly, chapter.id, bool(may_change))) for t in view.todos]
    return render_template(
        "assembly/chapter.html", assembly=assembly, chapter=chapter, view=view,
        items=items, may_change=may_change,
        may_open_fund=overview.may_open_fund(current_user, chapter),
        every_chapter=overview.chapters_for(current_user)
        if scope_of(current_user) is None else [],
        near_days=DEADLINE_NEAR_DAYS, participations=list(Participation),
        states=list(RegistrationState))


# ---- name badges ---------------------------------------------------------------------------------

def _badges_pdf(assembly: Assembly, registrations: list[Registration], name: str):
    from ..documents.pdf import render_pdf, static_url
    from ..web import render_anywhere
    html = render_anywhere("documents/badges.html", assembly=assembly,
                           registrations=registrations, static_url=static_url,
                           VOTING=Participation.VOTING)
    return download(render_pdf(html, current_app.static_folder), name, "application/pdf")


@bp.route("/assemblies/<int:number>/chapters/<code>/badges.pdf")
def chapter_badges(number: int, code: str):
    """The chapter's name badges, eight to an A4 page: confirmed and pending
    registrations (withdrawn ones left out)."""
    assembly = _assembly(number)
    chapter = overview.chapter_for(current_user, code) or abort(404)
    registrations = overview.badge_registrations(current_user, assembly, chapter)
    if not registrations:
        abort(404)
    return _badges_pdf(assembly, registrations,
                       f"assembly-{assembly.number}-badges-{chapter.code}.pdf")


@bp.route("/assemblies/<int:number>/delegates/<int:reg_id>/badge.pdf")
def badge(number: int, reg_id: int):
    assembly = _assembly(number)
    reg = overview.badge_registration(current_user, assembly, reg_id) or abort(404)
    return _badges_pdf(assembly, [reg], f"assembly-{assembly.number}-badge-{reg.id}.pdf")
