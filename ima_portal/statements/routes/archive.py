"""The public archive (no sign-in): the statements the chair signed off and that were
published, each as the signed text of its latest publication, with its verification code,
its SHA-256 and its PDF; an index per language with search by words and year; an Atom
feed per language and one for all, answering a feed reader's conditional GET with 304.
Nothing else of the portal is reachable from here."""
from __future__ import annotations

from flask import abort, make_response, render_template, request, url_for

from ...auth.access import public
from ...chapters.queries import alliance
from ...domain.common import whole_number
from ...domain.statements import LANGUAGE_SHORT, LANGUAGES, archive_offers_pdf
from ...web import RowsPage, download, portal_link, text_arg
from .. import bp, published
from ..pdf import statement_pdf
from ..view import signed_on, view_of_revision


def _language_or_404(language: str | None) -> str | None:
    if language is not None and language not in LANGUAGES:
        abort(404)
    return language


@bp.route("/archive/", defaults={"language": None})
@bp.route("/archive/<language>/")
@public
def archive(language: str | None):
    """The archive's index: newest first, searched by words and by year."""
    language = _language_or_404(language)
    words = text_arg("q").strip()
    year = whole_number(request.args.get("year", ""))
    page_number = whole_number(request.args.get("page", "")) or 1
    items, total = published.index(language, words=words, year=year, page=page_number)
    page = RowsPage(items, page_number, published.PAGE_SIZE, total)
    params = {k: v for k, v in (("q", words), ("year", year)) if v}
    if language:
        params["language"] = language
    return render_template("archive/index.html", page=page, language=language, words=words,
                           year=year, years=published.years(language), params=params,
                           languages=LANGUAGES)


@bp.route("/archive/statements/<int:statement_id>")
@public
def archived(statement_id: int):
    """One statement as published, in the alliance's shape; a withdrawn one says so."""
    shown = published.published(statement_id)
    if shown is None:
        abort(404)
    statement = shown.statement
    if shown.withdrawn:
        return render_template("archive/withdrawn.html", statement=statement), 410
    rev, sign_off = shown.revision, shown.publication.sign_off
    siblings = published.published_siblings(statement)
    return render_template(
        "archive/statement.html", shown=shown, statement=statement, rev=rev,
        view=view_of_revision(rev), sign_off=sign_off,
        signed_on=signed_on(sign_off, rev.language),
        language_links=[(LANGUAGE_SHORT.get(s.language, s.language), s) for s in siblings],
        translation_href=lambda other: url_for("statements.archived", statement_id=other.id),
        has_pdf=_pdf_is_the_published_text(shown))


def _pdf_is_the_published_text(shown: published.Published) -> bool:
    return archive_offers_pdf(shown.statement.state, shown.statement.current_revision_id,
                              shown.publication.revision_id)


@bp.route("/archive/statements/<int:statement_id>.pdf")
@public
def archived_pdf(statement_id: int):
    shown = published.published(statement_id)
    if shown is None or shown.withdrawn or not _pdf_is_the_published_text(shown):
        abort(404)
    printed = statement_pdf(shown.statement, alliance().paper_size)
    response = download(printed.data, printed.filename, "application/pdf")
    response.headers["Cache-Control"] = "public, max-age=3600"  # a signed text never changes
    return response


@bp.route("/archive/feed.atom", defaults={"language": None})
@bp.route("/archive/<language>/feed.atom")
@public
def feed(language: str | None):
    """The Atom feed (of one language, or of all). A reader polling often gets 304 Not
    Modified from one query while nothing changed (ETag and Last-Modified)."""
    language = _language_or_404(language)
    changed = published.last_change(language)
    response = make_response()
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=300"
    stamp = changed.isoformat() if changed else "empty"
    response.set_etag(f"archive-{language or 'all'}-{stamp}")
    if changed is not None:
        response.last_modified = changed
    response.make_conditional(request)
    if response.status_code == 304:
        return response
    entries = published.feed(language)
    views = {e.statement.id: view_of_revision(e.revision) for e in entries}
    response.set_data(render_template(
        "archive/feed.xml", entries=entries, language=language, updated=changed,
        self_url=portal_link("statements.feed", language=language),
        alternate_url=portal_link("statements.archive", language=language),
        entry_url=lambda s: portal_link("statements.archived", statement_id=s.id),
        views=views,
        # the statement's HTML as text, escaped once more by the template (Atom's type="html")
        contents={id_: "".join([view.body_html]) for id_, view in views.items()},
        name=LANGUAGES.get(language or "", "")))
    return response
