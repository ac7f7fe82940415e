"""The IMA portal: `create_app()` builds the Flask application."""
from __future__ import annotations

import os
import sqlite3
from typing import Any

from flask import Flask, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_htmx import make_response as htmx_response
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.local import LocalProxy
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from .domain.common import N_
from .extensions import babel, csrf, db, htmx, login_manager, migrate
from .queue import set_app_factory
from .transaction import PortalFlask

__all__ = ["create_app"]


SQLITE_MMAP_BYTES = 256 * 1024 * 1024


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys, write-ahead log for concurrent readers, and wait
    (rather than fail) when another connection holds the write lock. The database file
    is read through memory mapping (up to 256 MiB, shared by every connection and
    worker through the system's page cache): with SQLite's own 2 MB cache per
    connection, a database of 20,000 organizations (38 MB) was read again from the
    system for each query, and the delegates list's queries took 2-3 times as long."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
        cursor.close()


def create_app(overrides: dict[str, Any] | None = None, *, environ=None,
               instance_path: str | None = None) -> Flask:
    """The application. `overrides` replace settings read from the environment (tests);
    `instance_path` moves the instance folder (default: `instance/` beside `app.py`)."""
    app = PortalFlask(__name__, instance_relative_config=True, instance_path=instance_path,
                template_folder="../templates", static_folder="../static")
    os.makedirs(app.instance_path, exist_ok=True)
    environ = dict(os.environ if environ is None else environ)
    if overrides and "IMA_ENV" in overrides:
        environ["IMA_ENV"] = overrides["IMA_ENV"]
    app.config.update(config_module.from_environment(app.instance_path, environ))
    app.config.update(overrides or {})

    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    app.jinja_env.add_extension("jinja2.ext.do")
    from . import inputs
    inputs.install(app)  # before the routes: their `int` converter is bounded
    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    _register_error_handlers(app)

    from .cli import register_cli
    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every model known to SQLAlchemy and Alembic)
    from .auth.operations import saw_session
    from .auth.queries import user_for_cookie
    from .web import install_translations, request_locale, user_timezone

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True,
                     directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    from .mailer import init_mail
    init_mail(app)
    from .queue import init_queue
    init_queue(app)
    babel.init_app(app, locale_selector=lambda: request_locale(app.config["LANGUAGES"]),
                   timezone_selector=user_timezone)
    install_translations(app)  # the templates' `_()`: translations found once per request

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # "basic": a session cookie replayed from another address or browser is marked
    # non-fresh; "remember me" still works when a laptop changes networks.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(cookie_id: str):
        user = user_for_cookie(cookie_id)
        if user is not None:
            saw_session(user.login_session)
        return user

    @login_manager.needs_refresh_handler
    def needs_refresh():
        from flask import flash, redirect
        back = request.full_path.rstrip("?") if request.method == "GET" else (
            request.referrer or url_for("main.home"))
        target = url_for("auth.reauthenticate", next=back)
        if htmx:
            return htmx_response("", 401, redirect=target)
        flash(_("Please confirm your password to go on."), "info")
        return redirect(target)

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import flash, redirect
        target = url_for("auth.login", next=request.full_path.rstrip("?"))
        if htmx:
            return htmx_response("", 401, redirect=target)
        if request.path != "/":
            flash(_("Please sign in to see this page."), "info")
        return redirect(target)


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .admin import routes as _admin_routes  # noqa: F401
    from .assembly import bp as assembly_bp
    from .assembly import money_routes as _money_routes  # noqa: F401
    from .assembly import overview_routes as _overview_routes  # noqa: F401
    from .assembly import routes as _assembly_routes  # noqa: F401
    from .auth import bp as auth_bp
    from .auth import routes as _auth_routes  # noqa: F401
    from .chapters import bp as chapters_bp
    from .chapters import routes as _chapters_routes  # noqa: F401
    from .info_sessions import bp as info_sessions_bp
    from .info_sessions import routes as _info_sessions_routes  # noqa: F401
    from .letters import bp as letters_bp
    from .letters import routes as _letters_routes  # noqa: F401
    from .logistics import bp as logistics_bp
    from .logistics import routes as _logistics_routes  # noqa: F401
    from .main import bp as main_bp
    from .main import routes as _main_routes  # noqa: F401
    from .members import bp as members_bp
    from .members import routes as _members_routes  # noqa: F401
    from .privacy import bp as privacy_bp
    from .privacy import routes as _privacy_routes  # noqa: F401
    from .receipts import bp as receipts_bp
    from .receipts import routes as _receipts_routes  # noqa: F401
    from .reminders import bp as reminders_bp
    from .reminders import routes as _reminders_routes  # noqa: F401
    from .statements import bp as statements_bp
    from .statements import routes as _statements_routes  # noqa: F401

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(chapters_bp, url_prefix="/chapters")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(members_bp)
    app.register_blueprint(statements_bp)
    app.register_blueprint(assembly_bp)
    app.register_blueprint(logistics_bp)
    app.register_blueprint(info_sessions_bp)
    app.register_blueprint(letters_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(receipts_bp)


def _register_hooks(app: Flask) -> None:
    from .auth.access import protect_csrf, require_login
    from .chapters.queries import alliance
    from .domain.languages import NAMES as LANGUAGE_NAMES
    from .domain.roles import Role
    from .navigation import nav_items

    app.before_request(protect_csrf)
    app.before_request(require_login)

    from .domain.money import format_amount
    from .web import assembly_name, day, form_has_errors, locale_name, say, usd, when
    app.add_template_filter(usd, "usd")
    app.add_template_filter(day, "dateformat")  # Flask-Babel's, written once per day
    app.add_template_filter(when, "when")
    app.add_template_global(say, "say")
    app.add_template_global(assembly_name, "assembly_name")
    app.add_template_global(form_has_errors, "form_has_errors")
    app.add_template_filter(format_amount, "amount")
    from .documents.pages import page_counter
    app.add_template_global(page_counter, "page_counter")  # printed documents' footers

    @app.template_filter("upper_first")
    def upper_first(text: str) -> str:
        """A sentence's first letter in capitals, the rest untouched (unlike `capitalize`)."""
        return text[:1].upper() + text[1:]

    @app.template_filter("compact")
    def compact(mapping: dict) -> dict:
        """The entries of a dict that have a value (for query strings)."""
        return {k: v for k, v in mapping.items() if v not in (None, "")}

    def request_alliance():
        if "alliance" not in g:
            g.alliance = alliance()
        return g.alliance

    # Read when a template uses it, not for every fragment an HTMX request swaps in (the
    # alliance's row and the header's links are the page's, not the fragment's).
    lazy_alliance = LocalProxy(request_alliance)

    @app.context_processor
    def layout_context():
        return {"alliance": lazy_alliance, "nav_items": nav_items, "roles": Role,
                "current_locale": locale_name(),
                "interface_languages": app.config["LANGUAGES"],
                "language_names": LANGUAGE_NAMES}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
            "form-action 'self'")
        if request.endpoint and not request.endpoint.endswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


ERROR_TEXTS = {
    400: (N_("Bad request"), N_("The portal could not understand this request.")),
    403: (N_("Not allowed"), N_("Your account does not give you access to this page. If you think "
          "it should, ask the global secretariat.")),
    404: (N_("Not found"), N_("There is nothing here, or it is not yours to see. Check the "
                              "address, or go back to the home page.")),
    405: (N_("Not allowed"), N_("This page cannot be used that way.")),
    429: (N_("Too many requests"), N_("Please wait a moment and try again.")),
    500: (N_("Something went wrong"), N_("The portal met an error and nothing was changed by this "
          "request. Please try again; if it happens again, tell the global secretariat.")),
}


def _error_response(status: int, message: str | None = None):
    title, default = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    context = {"title": _(title), "message": message or _(default), "status": status}
    if htmx:
        # Shown in the page's message area, whatever the request meant to swap.
        return htmx_response(render_template("errors/_error.html", **context), status,
                             retarget="#messages", reswap="innerHTML")
    return render_template("errors/error.html", back_url=_way_back(), **context), status


def _way_back() -> str | None:
    """The page this one was reached from, when it is one of the portal's own (and not
    this very page): the error page's "Back" link."""
    from urllib.parse import urlsplit
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or referrer.scheme not in ("http", "https"):
        return None
    back = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    if not back.startswith("/") or back.startswith("//") or referrer.path == request.path:
        return None
    return back


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _error_response(400, _("This form was not sent by the portal or has expired "
                                      "(missing or wrong security token). Reload the page "
                                      "and send it again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code not in ERROR_TEXTS:
            return error
        return _error_response(error.code)

    @app.errorhandler(OperationalError)
    @app.errorhandler(DisconnectionError)
    def database_unavailable(error):
        """The database is down, restarting or locked: a 503 that says so and tries again,
        rendered without the database (no layout, no current user)."""
        app.logger.warning("database unavailable: %s", error)
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass
        retry_after = 5
        if htmx:
            body = _("The portal's database is not answering right now. Nothing was "
                     "saved; try again in a few seconds.")
            html = f'<div class="error-panel" role="alert"><p>{escape(body)}</p></div>'
            response = htmx_response(html, 503, retarget="#messages", reswap="innerHTML")
        else:
            html = app.jinja_env.get_template("errors/unavailable.html").render(
                retry_after=retry_after, url_for=url_for, _=_)
            response = app.response_class(html, 503, mimetype="text/html")
        response.headers["Retry-After"] = str(retry_after)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _error_response(500)


# The worker process builds its app with this factory (the queue imports no area).
set_app_factory(create_app)
