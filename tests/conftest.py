"""Fixtures: `app`, `client`, `db`, `auth`, factories, and a live server for the browser.

Database tests run on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set;
under CI=true a missing PostgreSQL (or Chromium, for browser tests) fails the run instead
of skipping. Each backend is migrated once per session (per pytest-xdist worker, each
with its own PostgreSQL database) with the real Alembic migrations; its app is built once
too, and each test then gets it with its settings put back, on empty tables (the regions,
the alliance's row and the first dues policy stay).
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from werkzeug.serving import make_server

from ima_portal import create_app
from ima_portal.extensions import db as _db

from .factories import Factories


def _compile_catalogues() -> None:
    """The translations' .mo files (make test compiles them too; a bare pytest run does it
    here), each written whole so that two workers never read half a file."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    root = Path(__file__).resolve().parent.parent / "ima_portal" / "translations"
    for po in root.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle)
        partial = mo.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as handle:
            write_mo(handle, catalog)
        os.replace(partial, mo)


_compile_catalogues()

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
# Rows that the first migration adds and every test may rely on.
KEPT_TABLES = {"alembic_version", "regions", "alliance", "dues_policies"}  # see _empty_tables


# Property tests (hypothesis): the "ci" profile, the default, tries 50 examples a
# property with no deadline (the machine is shared and runs two workers: timing is not
# what they test); HYPOTHESIS_PROFILE=thorough tries 1,000.
settings.register_profile("ci", max_examples=50, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def require(condition: bool, reason: str) -> None:
    """Skip a test whose tool is missing, except in CI, where that is a failure."""
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: this must run, not skip)")
        pytest.skip(reason)


# Under pytest-xdist each worker is a process of its own, named by PYTEST_XDIST_WORKER
# ("gw0", "gw1", …; empty when the suite runs in one process). Whatever a test may write
# is per worker: the instance folder (mail, jobs), the SQLite files (tmp_path is per
# worker), the PostgreSQL database (`<TEST_DATABASE_URL's database>_gw0`, …) and the live
# server's port (an ephemeral one).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
INSTANCE = tempfile.mkdtemp(prefix=f"ima-test-instance-{WORKER or 'main'}-")
# The job queue named by the environment when ima_portal.jobs is imported: never the
# repository's instance/ (each test app then runs its jobs in immediate mode).
os.environ["JOBS_SQLITE"] = os.path.join(INSTANCE, "jobs.sqlite3")


def make_app(url: str, **overrides) -> Flask:
    """The portal as tests see it: its instance folder in a temporary directory, its jobs
    run in huey's immediate mode (right after the commit, in the same process)."""
    config = {"IMA_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
              "SECRET_KEY": "test-secret-key-not-for-production", "JOBS_IMMEDIATE": True}
    config.update(overrides)
    return create_app(config, instance_path=INSTANCE)


def _migrate(url: str) -> None:
    from flask_migrate import upgrade
    app = make_app(url)
    with app.app_context():
        upgrade()
        _db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """A migrated SQLite file, copied for each test."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    _migrate("sqlite:///" + str(path))
    return str(path)


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    """A copy of the migrated file of this test's own (for a test that makes its own app)."""
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return "sqlite:///" + str(path)


def worker_database(url: str) -> str:
    """TEST_DATABASE_URL for this process: itself when the suite runs in one process, or
    the worker's own database beside it (`ima_test_gw0`, …), created when missing over a
    connection to the named one (the role needs CREATEDB: `.ci/run` grants it)."""
    if not WORKER:
        return url
    base = make_url(url)
    name = f"{base.database}_{WORKER}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                {"name": name})
            if not found:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - said in words, then the run stops
        pytest.fail(f"cannot create the worker's database {name!r} ({error}); the role of "
                    "TEST_DATABASE_URL needs CREATEDB (ALTER ROLE … CREATEDB), or run the "
                    "suite in one process (-n 0)")
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgresql_url() -> str:
    require(bool(PG_URL), "TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    url = worker_database(PG_URL)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _migrate(url)
    return url


def _empty_tables() -> None:
    """PostgreSQL: empty every table but the kept ones, and start their ids at 1 again.
    SQLite: nothing here, the next test starts from a fresh copy of the migrated file."""
    _db.session.rollback()
    if _db.engine.dialect.name != "postgresql":
        return
    try:
        _delete_what_the_test_wrote()
    except DBAPIError:  # a table the quick way cannot empty: every one, as it always could
        _db.session.rollback()
        _truncate(_emptied_tables())
    # The dues policy of the first migration stays, and stays current.
    _db.session.execute(text("DELETE FROM dues_policies WHERE id <> 1"))
    _db.session.execute(text("UPDATE dues_policies SET is_current = true WHERE id = 1"))
    _db.session.commit()


def _emptied_tables() -> list[str]:
    """Every table but the kept ones, children before their parents."""
    return [t.name for t in reversed(_db.metadata.sorted_tables) if t.name not in KEPT_TABLES]


def _truncate(names: list[str]) -> None:
    # TRUNCATE does not fire the ledgers' append-only triggers; it costs tens of ms a table
    # (new files for each table and index), so the quick way names only tables with rows.
    _db.session.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))


_triggered: set[str] | None = None


def _delete_what_the_test_wrote() -> None:
    """Empties the tables the test wrote to: DELETE for most (a few ms on a small table),
    TRUNCATE for the tables with triggers of their own (the append-only ledgers refuse a
    DELETE), then every sequence a test drew from starts at 1 again (as RESTART IDENTITY
    did). One query finds the tables with rows."""
    global _triggered
    names = _emptied_tables()
    if _triggered is None:
        _triggered = set(_db.session.scalars(text(
            # BEFORE (2) … DELETE (8): the append-only ledgers' refusals; the triggers
            # that keep the dues balances come AFTER and let a DELETE through.
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal "
            "AND tgtype & 2 <> 0 AND tgtype & 8 <> 0")))
    probe = " UNION ALL ".join(f"SELECT '{n}' WHERE EXISTS (SELECT 1 FROM {n})" for n in names)
    written = set(_db.session.scalars(text(probe)))
    guarded = [n for n in names if n in written and n in _triggered]
    if guarded:
        _truncate(guarded)
    for name in names:
        if name in written and name not in guarded:
            _db.session.execute(text(f"DELETE FROM {name}"))
    _db.session.execute(text(
        "SELECT setval(format('%I', sequencename)::regclass, 1, false) FROM pg_sequences "
        "WHERE schemaname = 'public' AND last_value IS NOT NULL "
        "AND NOT (sequencename LIKE ANY (:kept))"),
        {"kept": [f"{n}\\_%" for n in KEPT_TABLES]})


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(request, backend) -> str:
    return request.getfixturevalue(f"{backend}_url")


# --- one app per backend and worker --------------------------------------------------------
#
# Building the app costs about 0.15 s (Werkzeug compiles every route), more than most
# tests, so each backend's app is made once per worker and handed to every test that asks
# for `app`, on a database emptied for it. A test may still change its app: its settings
# are put back afterwards, and an app a test added routes, hooks or error handlers to is
# thrown away (the next test gets a new one).

def _shape(app: Flask) -> tuple:
    """What a test could add to an app that putting its settings back would not undo."""
    def count(spec) -> int:
        return sum(len(v) for v in spec.values())
    return (len(list(app.url_map.iter_rules())), len(app.view_functions),
            count(app.before_request_funcs), count(app.after_request_funcs),
            count(app.teardown_request_funcs), len(app.teardown_appcontext_funcs),
            count(app.template_context_processors), _handlers(app.error_handler_spec),
            len(app.blueprints), id(vars(app).get("wsgi_app")), len(app.jinja_env.globals),
            len(app.jinja_env.filters), tuple(sorted(app.extensions)))


def _handlers(spec) -> str:
    """The error handlers registered. Flask looks a handler up in defaultdicts, leaving an
    empty entry for each blueprint and code it asked about: after any 4xx the spec's repr
    differed and the app was thrown away and built again (0.3-0.8 s) for the next test."""
    return repr({name: kept for name, codes in spec.items()
                 if (kept := {code: found for code, found in codes.items() if found})})


class _Shared:
    def __init__(self, app: Flask, sqlite_path: str | None, template: str | None):
        self.app, self.sqlite_path, self.template = app, sqlite_path, template
        self.config = dict(app.config)
        self.shape = _shape(app)


_shared: dict[str, _Shared] = {}


def _fresh_sqlite(path: str, template: str) -> None:
    """The migrated template copied over the worker's SQLite file (no connection open)."""
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + suffix)
    shutil.copyfile(template, path + ".new")
    os.replace(path + ".new", path)


def _app_for(request, backend: str) -> _Shared:
    shared = _shared.get(backend)
    if shared is None:
        if backend == "sqlite":
            template = request.getfixturevalue("sqlite_template")
            folder = request.getfixturevalue("tmp_path_factory").mktemp("shared-db")
            path = str(folder / "test.sqlite3")
            _fresh_sqlite(path, template)
            url = "sqlite:///" + path
        else:
            template, path, url = None, None, request.getfixturevalue("postgresql_url")
        app = make_app(url)
        app.test_client_class = PortalClient  # every client of a test sends CSRF tokens
        shared = _shared[backend] = _Shared(app, path, template)
    return shared


def _discard(backend: str) -> None:
    shared = _shared.pop(backend)
    with shared.app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def app(request, backend) -> Iterator[Flask]:
    shared = _app_for(request, backend)
    app = shared.app
    app.config.clear()
    app.config.update(shared.config)
    app._got_first_request = False  # a test may add a view before its first request
    from ima_portal import jobs
    jobs.configure(app.config)  # a test may have pointed the queue elsewhere
    if shared.sqlite_path:
        with app.app_context():
            _db.engine.dispose()
        _fresh_sqlite(shared.sqlite_path, shared.template)
    with app.app_context():
        yield app
        _empty_tables()
        _db.session.remove()
    if _shape(app) != shared.shape:
        _discard(backend)


@pytest.fixture
def db(app):
    return _db


class PortalClient(FlaskClient):
    """A test client that sends the CSRF token on a POST, as the portal's pages do:
    in the form (`csrf_token`) or, for an HTMX request, in the X-CSRFToken header.
    `csrf=False` sends a POST without it.

    Each request runs in an application context of its own, as on a server (the test's
    own context would otherwise be reused, sharing one database session); afterwards the
    test's session forgets what it had loaded, so it reads what the request wrote."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        # Every page carries the token (base.html); a missing page is the quickest to
        # render, signed in or not (the account page took 60-130 ms: its 600 time zones).
        page = self.get("/no-such-page")
        match = re.search(r'"X-CSRFToken": "([^"]+)"', page.get_data(as_text=True))
        assert match, "no CSRF token in the page"
        return match.group(1)

    def post(self, *args, csrf: bool = True, htmx: bool = False, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        if htmx:
            headers["HX-Request"] = "true"
        if csrf:
            token = self.csrf_token()
            if htmx:  # the header from <body hx-headers>, the field from the form
                headers["X-CSRFToken"] = token
            data = dict(kwargs.pop("data", None) or {})
            data.setdefault("csrf_token", token)
            kwargs["data"] = data
        return super().post(*args, headers=headers, **kwargs)

    def hx_get(self, *args, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        headers["HX-Request"] = "true"
        return self.get(*args, headers=headers, **kwargs)


@pytest.fixture
def client(app) -> PortalClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app) -> Factories:
    return Factories(_db)


class Auth:
    def __init__(self, client: PortalClient):
        self.client = client

    def login(self, user_or_email, password: str = Factories.PASSWORD, **extra):
        email = getattr(user_or_email, "email", user_or_email)
        data = {"email": email, "password": password}
        data.update(extra)
        return self.client.post("/login", data=data)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


@pytest.fixture
def login_as(make, auth) -> Callable:
    """Creates a user of `role` (and its chapter when needed) and signs it in."""
    def _login(role: str = "secretariat", **kwargs):
        user = make.user(role=role, **kwargs)
        response = auth.login(user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user
    return _login


@pytest.fixture
def as_user(app) -> Callable:
    """A test client signed in as `user` (one per user, so several can act in a test)."""
    def _client(user):
        client = app.test_client()
        response = Auth(client).login(user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return _client


# --- browser -----------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def live_server(sqlite_url) -> Iterator[str]:
    """The portal served on a free loopback port, on the session's SQLite database."""
    app = make_app(sqlite_url)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with app.app_context():
        app.base_url = f"http://127.0.0.1:{server.server_port}"  # type: ignore[attr-defined]
        yield app
        server.shutdown()
        _empty_tables()
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    require(os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: browser tests skipped")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        os.makedirs("test-artifacts", exist_ok=True)
        page.screenshot(path=f"test-artifacts/{request.node.name}.png", full_page=True)
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
