"""The logistics pages of the global secretariat (every chapter's delegates): arrivals and
departures, the rooming list, interpretation, dietary and access needs. Each as a page, a
CSV (`exports.py` documents the columns) and a printable PDF from the documents service.
Only the global secretariat: anyone else is refused (403)."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, current_app, render_template, url_for
from flask_login import current_user

from ..auth.access import roles_required
from ..domain import logistics as rules
from ..domain.assembly import INTERPRETATION_LANGUAGES
from ..domain.roles import Role
from ..web import csv_download, download, redirect_to, render_anywhere
from . import bp, exports, queries

# The reports, in the order of the tabs, with the name their files carry.
REPORTS = {"arrivals": "arrivals-departures", "rooming": "rooming-list",
           "interpretation": "interpretation", "needs": "dietary-access"}
REPORT = "<report>"


def _assembly(number: int):
    return queries.by_number(number) or abort(404)


def figures(report: str, assembly, stays: list[rules.Stay]) -> dict:
    """What the page and the PDF of `report` show, worked out by the rules."""
    dates = assembly.dates
    if report == "arrivals":
        return {"movements": rules.movements_by_day(stays)}
    if report == "rooming":
        rooming = rules.rooming_by_night(stays, dates)
        guests = [s for s in stays if s.accommodation]
        return {"rooming": rooming, "guests": guests,
                "person_nights": rules.person_nights(rooming),
                "uncovered_person_nights": rules.person_nights(rooming, covered=False),
                "uncovered": {s: rules.uncovered_nights(s, dates) for s in guests}}
    if report == "interpretation":
        needs = rules.interpretation_by_day(stays, dates)
        return {"days": rules.assembly_days(dates), "needs": needs,
                "per_day": rules.interpreters_per_day(needs)}
    return {"dietary": rules.count_needs(stays, "dietary"),
            "access": rules.count_needs(stays, "access_needs"),
            "with_needs": rules.with_needs(stays)}


def _known(report: str) -> str:
    if report not in REPORTS:
        abort(404)
    return report


def _context(report: str, number: int) -> dict:
    assembly = _assembly(number)
    stays = queries.stays(current_user, assembly)
    return {"assembly": assembly, "report": report, "stays": stays,
            "covered_last": assembly.checkout_on - timedelta(days=1),
            "languages": INTERPRETATION_LANGUAGES, **figures(report, assembly, stays)}


def _filename(assembly, report: str) -> str:
    return f"assembly-{assembly.number}-{REPORTS[report]}"


@bp.route("/logistics/")
@roles_required(Role.ADMIN)
def current():
    assembly = queries.latest()
    if assembly is None:
        return render_template("assembly/none.html")
    return redirect_to(url_for("logistics.report", number=assembly.number, report="arrivals"))


@bp.route(f"/assemblies/<int:number>/logistics/{REPORT}")
@roles_required(Role.ADMIN)
def report(number: int, report: str):
    return render_template(f"logistics/{_known(report)}.html", **_context(report, number))


@bp.route(f"/assemblies/<int:number>/logistics/{REPORT}.csv")
@roles_required(Role.ADMIN)
def report_csv(number: int, report: str):
    _known(report)
    assembly = _assembly(number)
    stays = queries.stays(current_user, assembly)
    text = {"arrivals": lambda: exports.movements_csv(stays),
            "rooming": lambda: exports.rooming_csv(stays, assembly.dates),
            "interpretation": lambda: exports.interpretation_csv(stays, assembly.dates),
            "needs": lambda: exports.needs_csv(stays)}[report]()
    return csv_download(text, _filename(assembly, report))


@bp.route(f"/assemblies/<int:number>/logistics/{REPORT}.pdf")
@roles_required(Role.ADMIN)
def report_pdf(number: int, report: str):
    from ..documents.pdf import render_pdf, static_url
    context = _context(_known(report), number)
    html = render_anywhere("documents/logistics.html", static_url=static_url, **context)
    return download(render_pdf(html, current_app.static_folder),
                    f"{_filename(context['assembly'], report)}-{date.today().isoformat()}.pdf",
                    "application/pdf")
