"""Helpers shared by the views: one URL answers a full page or, to HTMX, its fragment."""
from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import get_datetime_format
from babel.numbers import format_decimal
from flask import (
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import (
    format_date,
    format_time,
    get_locale,
    get_translations,
    pgettext,
)
from flask_htmx import make_response
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy import func, select
from wtforms.form import BaseForm

from .domain.assembly import default_name
from .domain.common import Decision, Plural, Reason, whole_number
from .domain.languages import choose as choose_language
from .domain.money import Usd, format_usd
from .extensions import db, htmx


def wants_fragment() -> bool:
    """An HTMX request that swaps part of a page. A boosted link, and the Back button
    (htmx asks the server again to restore a page from history), want the whole page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, fragment: str | None = None, /, **context):
    """The page, or its fragment for an HTMX request. The page includes the fragment,
    so each piece of markup exists once."""
    if fragment and wants_fragment():
        html = render_template(fragment, **context)
        if request.headers.get("X-Filters"):  # a list's filter bar: its count of filters
            html += render_template("macros/_filters_in_use.html", oob=True)
        return html
    return render_template(page, **context)


def redirect_to(url: str, code: int = 303):
    """A redirect that HTMX follows as a full navigation rather than swapping the page
    into a fragment's target."""
    if htmx:
        return make_response("", 204, redirect=url)
    return redirect(url, code=code)


def download(data: bytes, filename: str, mimetype: str):
    """A file to save (Flask's `send_file`: the Content-Disposition is written for us)."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                         download_name=filename)
    response.headers["Cache-Control"] = "no-store"  # people's records: kept by no cache
    return response


def csv_download(text: str, name: str):
    """A CSV download named `<name>-<today>.csv`, with a byte-order mark so that
    spreadsheets read it as UTF-8."""
    return download(("\ufeff" + text).encode("utf-8"), f"{name}-{date.today().isoformat()}.csv",
                    "text/csv")


def portal_link(endpoint: str, **values) -> str:
    """A link that leaves the portal (printed on paper, sent in a mail): always on the
    configured `PORTAL_URL`, never on the Host a request happened to name (a forged Host
    would otherwise be printed on every later copy of a signed PDF)."""
    with current_app.test_request_context(base_url=current_app.config["PORTAL_URL"]):
        return url_for(endpoint, _external=True, **values)


def user_timezone() -> str | None:
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return None


def request_locale(languages: list[str]) -> str:
    """The account's language, then this browser's choice (the switcher), then its
    Accept-Language, then English (`domain.languages.choose`)."""
    saved = current_user.language if current_user and current_user.is_authenticated else None
    return choose_language(languages, saved=saved, chosen=session.get("language"),
                           browser=request.accept_languages.best_match(languages))


def locale_name() -> str:
    """The code of the language in force ("fr"), found once per request and locale
    (Flask-Babel's `get_locale` and the Locale's name cost more than the amounts and
    days a list writes with it; `force_locale` gives another Locale, looked up again)."""
    try:
        babel_context = g._flask_babel
        locale = babel_context.babel_locale
    except (AttributeError, RuntimeError):  # not chosen yet, or outside an app context
        return str(get_locale() or "en")
    if locale is None:
        return str(get_locale() or "en")
    kept = getattr(babel_context, "ima_locale_name", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    name = str(locale)
    babel_context.ima_locale_name = (locale, name)
    return name


def usd(cents: int) -> str:
    """An amount in US dollars for the reader's language (Babel's digits and separators;
    "US$" before the figure in English and Bahasa Indonesia, after it in Español and
    Français); whole dollars without decimals, as `domain.money.format_usd` in English."""
    return _usd(int(cents), locale_name())


# A page writes the same few amounts and days many times (a list's rows, a card's years):
# each is written once per language and kept (pure functions of their arguments).
@lru_cache(maxsize=8192)
def _usd(cents: int, locale: str) -> str:
    if locale == "en":
        return format_usd(cents)
    dollars, rest = divmod(abs(cents), 100)
    figure = (format_decimal(dollars, locale=locale) if rest == 0 else
              format_decimal(Decimal(abs(cents)) / 100, format="#,##0.00", locale=locale))
    sign = "-" if cents < 0 else ""
    return f"{sign}US${figure}" if locale == "id" else f"{sign}{figure}\u00a0US$"


@lru_cache(maxsize=8192)
def _day(value: date, format: str, locale: str) -> str:
    return babel_format_date(value, format=format, locale=locale)


def day(value: date | datetime | None, format: str = "medium") -> str:
    """Flask-Babel's `dateformat` filter (which it replaces), a day written once per
    format and language: a day has no time zone, so its words depend on nothing else. A
    moment (datetime) is written by Flask-Babel in the reader's zone, as before."""
    if type(value) is date:
        return _day(value, format, locale_name())
    return format_date(value, format)


def when(moment: datetime) -> str:
    """A moment in the reader's time zone and language, in the portal's one style for
    lists and messages: the day as everywhere ("Nov 27, 2022", "27 nov. 2022"), the time
    without seconds ("3:04 PM", "15:04"), joined as the language joins them."""
    pattern = get_datetime_format("medium", locale=get_locale())
    return (pattern.replace("{1}", day(moment, "medium"))
            .replace("{0}", format_time(moment, "short")))


def _shown(value):
    """A parameter as the reader reads it: days in one style ("Nov 27, 2022", in their
    language), several days one after the other, amounts in their language's style."""
    if isinstance(value, (Decision, Reason)):
        return say(value.reason, **value.params)
    if isinstance(value, Usd):
        return usd(value)
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, tuple) and value and all(isinstance(v, date) for v in value):
        return ", ".join(day(v) for v in value)
    return value


def say(message: str, **params) -> str:
    """A message of the domain in the reader's language: its plural form chosen by
    `num` when it has one (`domain.common.NP_`), its days in the portal's one style."""
    params = {name: _shown(value) for name, value in params.items()}
    if isinstance(message, Plural):
        num = params.pop("num")
        text = translations().ungettext(message, message.plural, num)
        return text % {"num": num, **params}
    text = translations().ugettext(message)
    return text % params if params else text


# ---- translations, looked up once per request ---------------------------------------------------
# Flask-Babel finds the translations again on every call of `_()` (its context three times,
# the locale, its name as a string, a dict): 29 % of the delegates list's time and 17 % of
# the dues check's in a profile (issue 15).
# These keep the request's Translations beside the locale they are for, in Flask-Babel's
# own per-request namespace; `force_locale` (a mail in its recipient's language) and
# `refresh` replace that locale, so the next call looks them up again.

def translations():
    """The Translations of the language in force (Flask-Babel's `get_translations`),
    found once per request and locale."""
    try:
        babel_context = g._flask_babel
    except (AttributeError, RuntimeError):  # not looked up yet, or outside an app context
        return get_translations()
    locale = getattr(babel_context, "babel_locale", None)
    kept = getattr(babel_context, "ima_translations", None)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    found = get_translations()
    locale = getattr(babel_context, "babel_locale", None)  # get_translations chose it
    if locale is not None:
        babel_context.ima_translations = (locale, found)
    return found


def _formatted(context, text: str, variables: dict) -> str:
    """Jinja's "newstyle" gettext: the text is always a format string (escaped when the
    template autoescapes); a text without "%" is itself, without formatting it."""
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if "%" in text else text


@pass_context
def _template_gettext(context, message: str, **variables) -> str:
    return _formatted(context, translations().ugettext(message), variables)


@pass_context
def _template_ngettext(context, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return _formatted(context, translations().ungettext(singular, plural, num), variables)


@pass_context
def _template_pgettext(context, message_context: str, message: str, **variables) -> str:
    return _formatted(context, translations().upgettext(message_context, message), variables)


@pass_context
def _template_npgettext(context, message_context: str, singular: str, plural: str, num: int,
                        **variables) -> str:
    variables.setdefault("num", num)
    text = translations().unpgettext(message_context, singular, plural, num)
    return _formatted(context, text, variables)


def install_translations(app) -> None:
    """The templates' `_`, `gettext`, `ngettext`, `pgettext`, `npgettext` (Jinja's i18n
    extension, "newstyle" as Flask-Babel installs them) on `translations()`. After
    `babel.init_app`, which installs its own."""
    app.jinja_env.newstyle_gettext = True
    app.jinja_env.globals.update(
        _=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext,
        pgettext=_template_pgettext, npgettext=_template_npgettext)


def form_status(form) -> int:
    """400 when the form's CSRF token was missing or stale (the form is shown again with
    what was typed), 422 for other errors, 200 otherwise."""
    if "csrf_token" in form.errors:
        return 400
    return 422 if form.errors or getattr(form, "form_errors", None) else 200


@pass_context
def form_has_errors(context) -> bool:
    """True when a form given to the page was refused (its title then starts with
    "Error:"): any form in the template's context with a field or form error."""
    for value in context.get_all().values():
        if isinstance(value, BaseForm) and (
                getattr(value, "form_errors", None) or any(f.errors for f in value)):
            return True
    return False


def int_arg(name: str) -> int | None:
    """A positive whole number (within the databases' range) from the query string, or
    None (never an error page for a hand-edited address)."""
    return whole_number(request.args.get(name, ""))


# Longer search words find nothing anyway (no name is longer), and SQLite refuses a LIKE
# pattern beyond 50,000 bytes.
SEARCH_LENGTH = 200


def text_arg(name: str, default: str = "") -> str:
    """A word typed into a filter, cut to `SEARCH_LENGTH` characters."""
    return request.args.get(name, default)[:SEARCH_LENGTH]


def ids_from(values: list[str]) -> list[int]:
    """The ids ticked in a list (anything not an id is left out)."""
    return [n for n in (whole_number(v) for v in values) if n is not None]


def inline_validation(form):
    """Answers an inline-validation request (HTMX, `_validate=<field name>`): checks the
    whole form and returns the named field's feedback. None for any other request."""
    name = request.form.get("_validate") if request.method == "POST" else None
    if not (htmx and name):
        return None
    if name not in form._fields or name == "csrf_token":
        return None
    form.validate()
    field = form[name]
    return render_template("_field_feedback.html", field=field)


class RowsPage:
    """One page of a query whose rows have several columns (Flask-SQLAlchemy's paginate
    keeps only the first). Same attributes as its Pagination, for the pager macro."""

    def __init__(self, items: list, page: int, per_page: int, total: int):
        self.items, self.page, self.per_page, self.total = items, page, per_page, total
        self.pages = max(1, -(-total // per_page))
        self.has_prev, self.has_next = page > 1, page < self.pages
        self.prev_num, self.next_num = page - 1, page + 1


def paginate_rows(stmt, *, page: int, per_page: int, scalars: bool = False,
                  count=None) -> RowsPage:
    """A page of `stmt`; a page number past the end gives the last page. With `scalars`,
    the items are the first column (the model) rather than rows. `count`: a query of
    how many rows `stmt` has, cheaper than counting `stmt` itself."""
    total = db.session.scalar(count if count is not None else select(func.count())
                              .select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-(total or 0) // per_page))
    page = min(max(page, 1), pages)
    result = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).unique()
    items = result.scalars().all() if scalars else result.all()
    return RowsPage(list(items), page, per_page, total or 0)


def render_anywhere(template: str, **context) -> str:
    """`render_template`, also outside a request (a background export, the command line):
    then in a request of its own on `PORTAL_URL`, so that templates and links work."""
    if has_request_context():
        return render_template(template, **context)
    with current_app.test_request_context(base_url=current_app.config["PORTAL_URL"]):
        return render_template(template, **context)


def assembly_name(assembly) -> str:
    """The assembly's name for the reader: its usual name ("5th Global Assembly",
    `domain.assembly.default_name`) in the reader's language with the ordinal their
    grammar wants ("5e Assemblée mondiale", "Sidang Umum Global ke-5"); a name the global
    secretariat chose otherwise is theirs, shown as typed."""
    if assembly.name.strip() != default_name(assembly.number):
        return assembly.name
    form = Locale.parse(str(get_locale() or "en")).ordinal_form(assembly.number)
    num = assembly.number
    return {"one": lambda: pgettext("ordinal one", "%(num)dst Global Assembly", num=num),
            "two": lambda: pgettext("ordinal two", "%(num)dnd Global Assembly", num=num),
            "few": lambda: pgettext("ordinal few", "%(num)drd Global Assembly", num=num),
            }.get(form, lambda: pgettext("ordinal other", "%(num)dth Global Assembly",
                                         num=num))()
