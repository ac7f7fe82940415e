"""The portal under load beside a bare Flask route, and flat as the alliance grows (issue 15).

One command, bounded (about 4 minutes a database with the default 15 s per endpoint):

  1. a temporary SQLite database (and PostgreSQL's, when `BENCH_DATABASE_URL` or
     `--postgresql URL` names one: that database is EMPTIED), migrated, seeded (the
     organizations and payments straight to the driver: COPY, executemany): 20 chapters,
     a chapter secretariat (chapter 0: a sixth of the organizations), 2,000
     organizations / 20,000 payments, the assembly with a registration for every fifth
     organization (~67 in the secretariat's chapter) and a statement of its chapter;
  2. in-process, through the WSGI app's test client signed in as that secretariat: the
     median ms of many requests and the SQL queries of one (a SQLAlchemy event) for each
     endpoint;
  3. under gunicorn, from the repository's own gunicorn.conf.py (IMA_ENV=production with
     SECRET_KEY, PORTAL_URL and DATABASE_URL, WEB_CONCURRENCY=2 sync workers, access log
     off), signed in through the real form (session cookie + CSRF token), wrk with 8
     connections for `--seconds` per endpoint on loopback, with `--latency`; the ceiling is
     a bare Flask route (bench/bare_app.py) served by the same settings on another port,
     measured before and after each endpoint for a third as long (the ratio uses the
     median of the two);
  4. grown to 20,000 organizations / 200,000 payments (~667 registrations in the
     chapter), and step 2 again: the growth ratio 20k / 2k and the query counts. Each
     in-process request follows one to the bare route (in-process too): the growth is
     divided by the bare route's own, the machine's speed at each moment (the raw ratio
     is printed beside it).

Endpoints: /healthz, home, organizations page 1, the dues-check fragment (HX-Request, a
query), the delegates list, a statement page. Goals (issue 15): the dues check at
>= 0.25x the bare route, every other page at >= 0.12x, p99 < 50 ms at 2,000
organizations; growth <= 1.2x; query counts unchanged. Each is printed met / not met.

Needs wrk (Debian: `apt-get install wrk`; elsewhere https://github.com/wg/wrk). Not a
test: it prints figures and exits 0 whatever they are.

Run: .venv/bin/python bench/load.py [--seconds 15] [--postgresql URL] [--no-sqlite]
                                    [--no-wrk] [--small 2000] [--large 20000]
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, event, func, insert, make_url, select, text  # noqa: E402

from ima_portal import create_app  # noqa: E402
from ima_portal.assembly.models import Assembly, Registration  # noqa: E402
from ima_portal.auth.credentials import hash_password  # noqa: E402
from ima_portal.auth.models import User  # noqa: E402
from ima_portal.chapters.models import Chapter, Region  # noqa: E402
from ima_portal.config import database_url  # noqa: E402
from ima_portal.db_types import utcnow  # noqa: E402
from ima_portal.domain.assembly import Participation, RegistrationState  # noqa: E402
from ima_portal.domain.names import name_key  # noqa: E402
from ima_portal.domain.roles import Role  # noqa: E402
from ima_portal.extensions import db  # noqa: E402
from ima_portal.members.models import DuesPolicyRecord, Organization  # noqa: E402

EMAIL, PASSWORD = "bench@example.org", "bench passphrase"
USER_AGENT = "ima-bench-load/1"  # the same for the sign-in and for wrk (session protection)
CONNECTIONS = 8
WRK_TIMEOUT_S = 10
APP_PORT = 8070  # --port; the bare route on the next one
ASSEMBLY_NUMBER = 9
DUES_GOAL, PAGE_GOAL, P99_GOAL_MS, GROWTH_GOAL = 0.25, 0.12, 50.0, 1.2
WORDS = ("Migrant", "Workers", "Center", "Alliance", "Domestic", "Seafarers", "Youth", "Women",
         "Farmworkers", "Caregivers", "Solidarity", "Network", "Union", "Circle", "Collective",
         "Kapisanan", "Casa", "Red", "Unidos", "Mutual", "Aid", "Association", "Committee")
PEOPLE = ("Luz", "Ramon", "Grace", "Eni", "Ana", "Joseph", "Maria", "Wei", "Siti", "Kofi",
          "Dimasalang", "Aquino", "Mwangi", "Reyes", "Santos", "Lestari", "Okafor", "Chen")


@dataclass(frozen=True)
class Endpoint:
    label: str
    path: str
    htmx: bool = False

    @property
    def is_dues_check(self) -> bool:
        return self.path.startswith("/dues-check")


@dataclass
class Seeded:
    """What the seed made: the secretariat's chapter and what the endpoints name."""
    chapter_ids: list[int]
    assembly_id: int
    statement_id: int
    organizations: int = 0
    payments: int = 0
    registrations_in_chapter: int = 0

    def endpoints(self) -> list[Endpoint]:
        return [Endpoint("/healthz", "/healthz"),
                Endpoint("home", "/"),
                Endpoint("organizations, page 1", "/organizations/"),
                Endpoint("dues check fragment", "/dues-check?" + urlencode({"q": "work"}),
                         htmx=True),
                Endpoint("delegates list", f"/assemblies/{ASSEMBLY_NUMBER}/delegates/"),
                Endpoint("statement page", f"/statements/{self.statement_id}")]


# ---- the data ------------------------------------------------------------------------------------

def seed(n_orgs: int, n_payments: int, *, chapters: int = 20) -> Seeded:
    """The chapters, the secretariat, the assembly, a statement, then `n_orgs`
    organizations with `n_payments` payments and their registrations. Commits."""
    regions = db.session.scalars(select(Region).order_by(Region.id)).all()
    made = []
    for i in range(chapters):
        chapter = Chapter(code=f"IMA-B{i}", name=f"Bench chapter {i}", country="Country",
                          region=regions[i % len(regions)])
        db.session.add(chapter)
        made.append(chapter)
    db.session.flush()
    user = User(email=EMAIL, name="Bench Secretariat", role=Role.SECRETARIAT,
                chapter=made[0], password_hash=hash_password(PASSWORD))
    db.session.add(user)
    policy = db.session.scalar(select(DuesPolicyRecord).where(DuesPolicyRecord.is_current))
    now = utcnow()
    assembly = Assembly(
        number=ASSEMBLY_NUMBER, name="Bench Global Assembly", city="Bangkok",
        country="Thailand", first_day=date(2026, 11, 30), last_day=date(2026, 12, 3),
        arrive_by=date(2026, 11, 29), leave_on=date(2026, 12, 4),
        nights_from=date(2026, 11, 28), checkout_on=date(2026, 12, 4), fee_cents=250_00,
        fee_covers="Food and accommodation.", registration_opens=now - timedelta(days=30),
        registration_deadline=now + timedelta(days=60), dues_policy_id=policy.id)
    db.session.add(assembly)
    db.session.flush()
    from ima_portal.statements import operations as statements
    statement = statements.create_statement(user, issuer_chapter_id=made[0].id, language="en",
                                            values=STATEMENT)
    db.session.commit()
    seeded = Seeded([c.id for c in made], assembly.id, statement.id)
    grow(seeded, n_orgs, n_payments)
    return seeded


STATEMENT = {
    "partners": "", "headline": "Migrants are not commodities: International Migrants Day",
    "subheadlines": "Organize, resist, transform", "occasion": "migrants_day",
    "dateline_place": "Hong Kong", "issued_on": date(2026, 12, 18),
    "body": "\n\n".join(
        ["On this International Migrants Day the alliance salutes the millions of migrant "
         "workers, refugees and displaced people who keep the world's homes, fields, ships, "
         "factories and hospitals running, far from the families they support."] * 6
        + ["We demand:", "- an end to fees and debts that bind workers to agencies;\n"
           "- regular status and full labour rights for every migrant;\n"
           "- the closing of detention centres and an end to mass deportations."]),
    "slogans": "Migrants' rights are human rights!\nStop the deportations!",
    "hashtags": "#MigrantsDay #IMA", "reference_name": "Ana Reyes",
    "reference_title": "Chairperson"}


def grow(seeded: Seeded, n_orgs: int, n_payments: int) -> None:
    """Adds organizations up to `n_orgs` (numbered on from what there is), payments up to
    `n_payments` (spread over the new organizations) and a registration for every fifth
    new organization. Commits."""
    rnd = random.Random(2022 + seeded.organizations)
    start, chapters = seeded.organizations, seeded.chapter_ids
    region_of = dict(db.session.execute(select(Chapter.id, Chapter.region_id)).all())
    store = storage(db.engine.dialect.name)
    now = store(utcnow())
    since, joined = store(date(2015, 1, 1)), [store(date(2010 + k, 3, 1)) for k in range(12)]
    days = [store(date(2019, 1, 1) + timedelta(days=k)) for k in range(1400)]
    rows = []
    for i in range(start, n_orgs):
        name = " ".join(rnd.sample(WORDS, 3)) + f" {i}"
        # Chapter 0 (the secretariat's) gets every sixth: 333 of 2,000.
        chapter_id = chapters[i % 3] if i % 2 == 0 else chapters[i % len(chapters)]
        rows.append((chapter_id, name, name_key(name),
                     rnd.choice(["Canada", "Mexico", "Philippines", "Kenya"]),
                     region_of[chapter_id], rnd.choice(["regular", "regular", "associate"]),
                     rnd.choice(["active"] * 8 + ["suspended", "applicant"]),
                     since, joined[i % 12], "", "", "", "", now, now))
    if not rows:
        return
    last = db.session.scalar(select(func.coalesce(func.max(Organization.id), 0)))
    fast_insert("organizations", ORGANIZATION_COLUMNS, rows)
    ids = list(db.session.scalars(select(Organization.id).where(Organization.id > last)
                                  .order_by(Organization.id)))
    assert len(ids) == len(rows)
    payments = []
    for i in range(seeded.payments, n_payments):
        cents = rnd.choice([25_00, 50_00, 50_00, 100_00])
        payments.append((rnd.choice(ids), "payment", cents, "USD", cents,
                         rnd.choice(days), "chapter",
                         "bank", f"B{i}", f"b{i}", "", now))
    fast_insert("dues_entries", PAYMENT_COLUMNS, payments)
    registrations = []
    for offset, (org_id, row) in enumerate(zip(ids, rows, strict=True)):
        i = start + offset
        if i % 5:
            continue
        chapter_id = row[0]
        registrations.append({
            "assembly_id": seeded.assembly_id, "organization_id": org_id,
            "chapter_id": chapter_id,
            "full_name": f"{rnd.choice(PEOPLE)} {rnd.choice(PEOPLE)} {i}",
            "email": "", "phone": "", "participation": Participation.VOTING,
            "delegation_lead": True, "international": True,
            "arrival": date(2026, 11, 29), "departure": date(2026, 12, 4),
            "accommodation": True, "interpretation": rnd.choice(["", "", "es", "fr", "tl"]),
            "dietary": "", "access_needs": "", "offers_speaker": False,
            "offers_cultural": False, "offers_materials": False, "consent_list": True,
            "state": rnd.choice([RegistrationState.PENDING, RegistrationState.CONFIRMED])})
        if chapter_id == chapters[0]:
            seeded.registrations_in_chapter += 1
    if registrations:
        db.session.execute(insert(Registration.__table__), registrations)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load: the planner's statistics, and the
        # row versions each payment's trigger left behind in dues_balances (200,000
        # updates of 20,000 rows: before this, a chapter's count read 33,000 index entries
        # for 3,300 organizations, 12 ms instead of 0.7).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE organizations, dues_entries, dues_balances, "
                              "registrations"))
            conn.execute(text("ANALYZE"))
    seeded.organizations, seeded.payments = n_orgs, max(n_payments, seeded.payments)


ORGANIZATION_COLUMNS = ("chapter_id", "name", "name_key", "country", "region_id",
                        "membership", "status", "status_since", "joined_on",
                        "contact_person", "email", "phone", "notes", "created_at",
                        "updated_at")
PAYMENT_COLUMNS = ("organization_id", "kind", "amount_cents", "currency", "usd_cents",
                   "paid_on", "channel", "method", "reference", "reference_key", "reason",
                   "recorded_at")


def storage(dialect: str):
    """A day or a moment as the driver takes it: SQLite's text, as SQLAlchemy writes it."""
    def store(value):
        if dialect != "sqlite":
            return value
        if isinstance(value, datetime):
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return value.isoformat()
    return store


def fast_insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows (days and moments already `storage`'s) straight to the driver, in the
    session's transaction: PostgreSQL's COPY, SQLite's executemany. (200,000 payments
    through SQLAlchemy's insert take a minute on a busy machine.)"""
    if not rows:
        return
    connection = db.session.connection()
    raw = connection.connection.driver_connection
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor, \
                cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor = raw.cursor()
    cursor.executemany(f"INSERT INTO {table} ({names}) "
                       f"VALUES ({', '.join('?' * len(columns))})", rows)
    cursor.close()


# ---- in-process ----------------------------------------------------------------------------------

class QueryCounter:
    """SQL statements sent by the app's engine (a SQLAlchemy event)."""

    def __init__(self, engine):
        self.count, self.engine = 0, engine
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def signed_in_client(app):
    """The app's test client, signed in as the secretariat through the real form."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD,
                                           "csrf_token": csrf_token(page)},
                           headers={"User-Agent": USER_AGENT})
    assert response.status_code in (302, 303), ("sign-in failed", response.status_code)
    return client


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    assert found, "no CSRF token on the sign-in page"
    return found.group(1)


def measure_in_process(app, client, counter: QueryCounter, endpoints: list[Endpoint], *,
                       budget_s: float = 1.5, min_runs: int = 5,
                       max_runs: int = 300) -> dict[str, tuple[float, float, int]]:
    """For each endpoint: (median ms of many requests, median ms of the bare route's
    requests in between, SQL queries of one request). Each endpoint is requested for
    about `budget_s` seconds (at least `min_runs` times), each time after one request to
    the bare Flask route in this process: the machine's speed of that moment, by which
    the growth 2k -> 20k is divided (the two sizes are measured minutes apart on a
    shared machine)."""
    from bench.bare_app import app as bare_app
    bare = bare_app.test_client()
    figures = {}
    for endpoint in endpoints:
        headers = {"User-Agent": USER_AGENT}
        if endpoint.htmx:
            headers["HX-Request"] = "true"
        for _ in range(2):  # warm up: templates compiled, caches filled
            response = client.get(endpoint.path, headers=headers)
            assert response.status_code == 200, (endpoint.path, response.status_code)
        counter.count = 0
        client.get(endpoint.path, headers=headers)
        queries = counter.count
        times: list[float] = []
        bare_times: list[float] = []
        started = time.perf_counter()
        while len(times) < max_runs and (len(times) < min_runs or
                                         time.perf_counter() - started < budget_s):
            t0 = time.perf_counter()
            bare.get("/")
            t1 = time.perf_counter()
            response = client.get(endpoint.path, headers=headers)
            times.append((time.perf_counter() - t1) * 1000)
            bare_times.append((t1 - t0) * 1000)
            assert response.status_code == 200, (endpoint.path, response.status_code)
        figures[endpoint.label] = (statistics.median(times), statistics.median(bare_times),
                                   queries)
    return figures


# ---- under gunicorn, with wrk --------------------------------------------------------------------

@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass
class LoadRow:
    endpoint: Endpoint
    load: Load
    bare_before: float
    bare_after: float

    @property
    def bare(self) -> float:
        return statistics.median([self.bare_before, self.bare_after])

    @property
    def ratio(self) -> float:
        return self.load.rps / self.bare if self.bare else 0.0


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> Load:
    def latency(percent: str) -> float:
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        value = float(found.group(1)) * UNITS[found.group(2)] if found else 0.0
        return value or float("nan")  # no request answered in time: not met, whatever
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                        r"timeout (\d+)", output)
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return Load(float(rps.group(1)) if rps else 0.0, latency("50"), latency("99"), errors)


def wrk(url: str, seconds: int, headers: dict[str, str]) -> Load:
    # wrk drops a request slower than its timeout from the latencies (a socket error):
    # 10 s rather than its 2 s, so that a slow page's p99 is measured, not left out.
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency",
               f"--timeout={WRK_TIMEOUT_S}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(command + [url], capture_output=True, text=True, check=True)
    return parse_wrk(done.stdout)


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py <app>` from the repository, on a port of its own."""

    def __init__(self, target: str, port: int, env: dict[str, str]):
        self.port = port
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
               "GUNICORN_ACCESS_LOG": "", "GUNICORN_LOG_LEVEL": "warning"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", target],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = request(port, "GET", "/healthz" if target == "app:app" else "/")
                if status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn {target} did not start on port {port}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def request(port: int, method: str, path: str, *, body: str | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        cookies = SimpleCookie()
        for value in response.headers.get_all("Set-Cookie") or []:
            cookies.load(value)
        return response.status, {k: m.value for k, m in cookies.items()}, \
            response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def sign_in_over_http(port: int) -> str:
    """Signs in through the real form; the Cookie header for wrk."""
    base = {"User-Agent": USER_AGENT}
    status, cookies, page = request(port, "GET", "/login", headers=base)
    assert status == 200, ("GET /login", status)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    form = urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": csrf_token(page)})
    status, cookies, _ = request(port, "POST", "/login", body=form, headers={
        **base, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    assert status in (302, 303) and cookies, ("sign-in over HTTP failed", status)
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def bare_run(seconds: int) -> int:
    """The bare route's run, before and after each endpoint: a third of an endpoint's
    (it varies less), so that the whole run stays under ten minutes."""
    return max(3, seconds // 3)


def measure_load(database_uri: str, endpoints: list[Endpoint], seconds: int,
                 folder: str, port: int = APP_PORT) -> list[LoadRow]:
    env = {**os.environ, "IMA_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "PORTAL_URL": f"http://127.0.0.1:{port}", "DATABASE_URL": database_uri,
           "JOBS_SQLITE": os.path.join(folder, "jobs.sqlite3"),
           "MAIL_FOLDER": os.path.join(folder, "mail"),
           "EXPORT_FOLDER": os.path.join(folder, "exports")}
    env.pop("REDIS_URL", None)
    portal = Gunicorn("app:app", port, env)
    try:
        bare = Gunicorn("bench.bare_app:app", port + 1, env)
    except RuntimeError:
        portal.stop()
        raise
    try:
        cookie = sign_in_over_http(port)
        signed_in = {"Cookie": cookie, "User-Agent": USER_AGENT}
        for endpoint in endpoints:  # each answers the page itself, not a way to sign in
            headers = {**signed_in, **({"HX-Request": "true"} if endpoint.htmx else {})}
            status, _, _ = request(port, "GET", endpoint.path, headers=headers)
            assert status == 200, (endpoint.path, status, "over HTTP")
        bare_url = f"http://127.0.0.1:{port + 1}/"
        bare_seconds = bare_run(seconds)
        previous = wrk(bare_url, bare_seconds, {"User-Agent": USER_AGENT}).rps
        rows = []
        for endpoint in endpoints:
            headers = {**signed_in, **({"HX-Request": "true"} if endpoint.htmx else {})}
            load = wrk(f"http://127.0.0.1:{port}{endpoint.path}", seconds, headers)
            after = wrk(bare_url, bare_seconds, {"User-Agent": USER_AGENT}).rps
            rows.append(LoadRow(endpoint, load, previous, after))
            previous = after
        return rows
    finally:
        portal.stop()
        bare.stop()


# ---- one database --------------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    small: int
    large: int
    seeded: Seeded
    in_small: dict = field(default_factory=dict)
    in_large: dict = field(default_factory=dict)
    load: list[LoadRow] = field(default_factory=list)
    seconds: int = 0
    wrk_seconds: int = 0


def bench_app(uri: str, folder: str):
    """The portal in production settings, in this process, on `uri`."""
    environ = {"IMA_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
               "PORTAL_URL": "http://localhost",
               "JOBS_SQLITE": os.path.join(folder, "jobs.sqlite3"),
               "MAIL_FOLDER": os.path.join(folder, "mail"),
               "EXPORT_FOLDER": os.path.join(folder, "exports")}
    # The test client speaks plain http: its cookies may not be marked Secure.
    return create_app({"SQLALCHEMY_DATABASE_URI": uri, "SESSION_COOKIE_SECURE": False,
                       "REMEMBER_COOKIE_SECURE": False}, environ=environ,
                      instance_path=os.path.join(folder, "instance"))


def run_database(name: str, uri: str, args, folder: str) -> Result:
    started = time.perf_counter()
    app = bench_app(uri, folder)
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):  # Alembic's log of each revision
            upgrade()
        t0 = time.perf_counter()
        seeded = seed(args.small, args.small * 10)
        print(f"[{name}] seeded {args.small:,} organizations / {args.small * 10:,} payments, "
              f"{seeded.registrations_in_chapter} registrations in the chapter "
              f"({time.perf_counter() - t0:.1f} s)", flush=True)
        counter = QueryCounter(db.engine)
    result = Result(name, args.small, args.large, seeded, wrk_seconds=args.seconds)
    endpoints = seeded.endpoints()
    client = signed_in_client(app)
    result.in_small = measure_in_process(app, client, counter, endpoints)
    print(f"[{name}] in-process at {args.small:,}: done", flush=True)
    if not args.no_wrk:
        result.load = measure_load(uri, endpoints, args.seconds, folder, args.port)
        print(f"[{name}] wrk at {args.small:,}: done", flush=True)
    with app.app_context():
        t0 = time.perf_counter()
        grow(seeded, args.large, args.large * 10)
        print(f"[{name}] grown to {args.large:,} organizations / {args.large * 10:,} payments, "
              f"{seeded.registrations_in_chapter} registrations in the chapter "
              f"({time.perf_counter() - t0:.1f} s)", flush=True)
    result.in_large = measure_in_process(app, client, counter, endpoints)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    result.seconds = round(time.perf_counter() - started)
    return result


def empty_postgresql(url: str) -> str:
    uri = database_url(url, "")
    engine = create_engine(uri)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return uri


# ---- the table -----------------------------------------------------------------------------------

def mark(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def size(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def table(result: Result) -> list[str]:
    small, large = size(result.small), size(result.large)
    lines = [f"### {result.name}: {result.small:,} organizations / {result.small * 10:,} "
             f"payments (wrk: {CONNECTIONS} connections, {result.wrk_seconds} s per endpoint, "
             f"{bare_run(result.wrk_seconds)} s for the bare route before and after; "
             f"gunicorn, 2 sync workers) and "
             f"{result.large:,} / {result.large * 10:,} (in-process); "
             f"delegates list {result.seeded.registrations_in_chapter} rows at {large}", ""]
    head = ["endpoint"]
    if result.load:
        head += ["rps", "p50 ms", "p99 ms (< 50)", "errors", "bare rps", "rps ÷ bare (goal)"]
    head += [f"in-process ms {small} → {large}", "growth ÷ bare's (≤ 1.2×)",
             f"queries {small} → {large}"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    loads = {row.endpoint.label: row for row in result.load}
    met = total = 0

    def goal(ok: bool) -> str:
        nonlocal met, total
        total += 1
        met += ok
        return mark(ok)

    for label, (ms_small, bare_small, q_small) in result.in_small.items():
        ms_large, bare_large, q_large = result.in_large[label]
        cells = [label]
        if result.load:
            row = loads[label]
            wanted = DUES_GOAL if row.endpoint.is_dues_check else PAGE_GOAL
            cells += [f"{row.load.rps:,.0f}", f"{row.load.p50_ms:.1f}",
                      f"{row.load.p99_ms:.1f} {goal(row.load.p99_ms < P99_GOAL_MS)}",
                      f"{row.load.errors}", f"{row.bare_before:,.0f} / {row.bare_after:,.0f}",
                      f"{row.ratio:.3f} (≥ {wanted}) {goal(row.ratio >= wanted)}"]
        raw = ms_large / ms_small
        growth = raw * bare_small / bare_large  # at the machine's speed of each moment
        cells += [f"{ms_small:.1f} → {ms_large:.1f} (bare {bare_small:.2f} → {bare_large:.2f})",
                  f"{growth:.2f}× {goal(growth <= GROWTH_GOAL)} (raw {raw:.2f}×)",
                  f"{q_small} → {q_large} {goal(q_small == q_large)}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"{met} of {total} goals met on {result.name} ({result.seconds} s)."]
    return lines


def compile_catalogues() -> None:
    """The translations' .mo files (not in git): the pages are measured translated."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    for po in (ROOT / "ima_portal" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle)
        with mo.open("wb") as handle:
            write_mo(handle, catalog)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="wrk's run per endpoint")
    parser.add_argument("--postgresql", default=os.environ.get("BENCH_DATABASE_URL", ""),
                        metavar="URL", help="a PostgreSQL database to EMPTY and use "
                        "(default: BENCH_DATABASE_URL)")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--no-wrk", action="store_true", help="in-process figures only")
    parser.add_argument("--port", type=int, default=APP_PORT,
                        help="the portal's port under gunicorn; the bare route's is the next")
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    args = parser.parse_args()
    if not args.no_wrk and shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (Debian, Ubuntu), "
                 "`brew install wrk` (macOS), or build https://github.com/wg/wrk; "
                 "or run with --no-wrk for the in-process figures only.")
    compile_catalogues()
    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory(prefix="ima-load-") as folder:
        if not args.no_sqlite:
            path = os.path.join(folder, "bench.sqlite3")
            results.append(run_database("SQLite", f"sqlite:///{path}", args, folder))
        if args.postgresql:
            uri = empty_postgresql(args.postgresql)
            shown = make_url(uri).render_as_string(hide_password=True)
            print(f"[PostgreSQL] {shown} emptied", flush=True)
            results.append(run_database("PostgreSQL", uri, args, folder))
    print()
    for result in results:
        print("\n".join(table(result)))
        print()
    if not args.postgresql:
        print("(PostgreSQL not measured: set BENCH_DATABASE_URL or pass --postgresql URL.)")
    print(f"Goals: dues check ≥ {DUES_GOAL}× the bare route, every other page ≥ {PAGE_GOAL}×, "
          f"p99 < {P99_GOAL_MS:.0f} ms at {args.small:,} organizations; in-process growth "
          f"{args.small:,} → {args.large:,} ≤ {GROWTH_GOAL}×; query counts unchanged.")
    print(f"Elapsed: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
