"""Faults survived: PostgreSQL restarted under load, a web worker killed mid-write.

Not a timed test: it prints what users saw, second by second, and the recovery time.

1. **PostgreSQL restarted during a load run.** gunicorn (the repository's
   gunicorn.conf.py, 2 workers) serves a signed-in secretariat's organizations list and
   /healthz to 4 clients for `--seconds`; after a third of the run PostgreSQL is restarted
   (`pg_ctlcluster … restart`). Printed: per phase (before / down / after) the answers by
   status, how many were 500s (must be 0: a user sees the friendly 503 while the database
   is away), and the seconds from the restart's end to the first page served again (the
   pool's pre-ping replaces dead connections by itself).
2. **A worker killed in the middle of writes.** Clients record dues payments as fast as
   they can while a gunicorn worker is killed with SIGKILL every second; afterwards every
   payment in the ledger must have its audit entry and every audit entry its payment (one
   transaction per request: nothing half-written).
3. **SQLite with two writers** (and two readers) for 60 s under gunicorn: no "database is
   locked" reaches a user (WAL and a busy timeout make writers wait their turn).

Needs root (to restart PostgreSQL) and a local PostgreSQL; uses its own database
`ima_bench_faults` (dropped and made again).

Run: .venv/bin/python bench/faults.py [--seconds 30]
"""
from __future__ import annotations

import argparse
import collections
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.join(os.path.dirname(__file__), "..")
sys.path.insert(0, ROOT)
DB = "ima_bench_faults"
URL = f"postgresql+psycopg://ima_test:ima_test@127.0.0.1:5432/{DB}"
PASSWORD = "a bench passphrase that is long"


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=check, capture_output=True, text=True)


def psql(sql: str) -> None:
    sh("su", "postgres", "-c", f'psql -q -v ON_ERROR_STOP=1 -c "{sql}"')


def cluster() -> tuple[str, str]:
    line = sh("pg_lsclusters", "--no-header").stdout.split("\n")[0].split()
    return line[0], line[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(instance: str, url: str = URL) -> int:
    """A fresh database with the demo, a secretariat who signs in with PASSWORD; returns
    an organization id of that chapter."""
    if url == URL:
        psql(f"DROP DATABASE IF EXISTS {DB}")
        psql(f"CREATE DATABASE {DB} OWNER ima_test")
    from flask_migrate import upgrade

    from ima_portal import create_app, demo
    from ima_portal.auth.credentials import hash_password
    from ima_portal.auth.models import User
    from ima_portal.extensions import db
    from ima_portal.members.models import Organization
    app = create_app({"IMA_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "bench-secret-key-bench-secret-key"}, instance_path=instance)
    with app.app_context():
        upgrade()
        demo.seed()
        user = db.session.scalar(db.select(User).where(
            User.email == "secretariat.usa@example.org"))
        user.password_hash = hash_password(PASSWORD)
        org_id = db.session.scalar(db.select(Organization.id).where(
            Organization.chapter_id == user.chapter_id).limit(1))
        db.session.commit()
        db.engine.dispose()
    return org_id


def start_gunicorn(port: int, instance: str, url: str = URL) -> subprocess.Popen:
    # IMA_ENV=development only so that cookies are not Secure on this plain-http
    # loopback; the server, its settings and the database code are production's.
    env = dict(os.environ, IMA_ENV="development", DATABASE_URL=url,
               SECRET_KEY="bench-secret-key-bench-secret-key-0123456789",
               PORTAL_URL=f"http://127.0.0.1:{port}", SECOND_FACTOR_ROLES="",
               GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2",
               GUNICORN_ACCESS_LOG="/dev/null", JOBS_SQLITE=os.path.join(instance, "j.sqlite3"),
               JOBS_IMMEDIATE="true", MAIL_FOLDER=os.path.join(instance, "mail"),
               REDIS_URL="")
    process = subprocess.Popen(
        [os.path.join(ROOT, ".venv/bin/gunicorn"), "-c", os.path.join(ROOT, "gunicorn.conf.py"),
         "--chdir", ROOT, "app:app"], env=env, stdout=subprocess.DEVNULL,
        stderr=open(os.path.join(instance, "gunicorn.log"), "w"))
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start: see " + os.path.join(instance, "gunicorn.log"))


class Browser:
    """A signed-in user: cookies kept, the CSRF token read from the pages."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token = ""

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(req, timeout=10) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, OSError, TimeoutError):
            return 0, ""  # no answer at all

    def csrf(self, html: str) -> None:
        match = re.search(r'"X-CSRFToken": "([^"]+)"', html) or re.search(
            r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        if match:
            self.token = match.group(1)

    def sign_in(self) -> None:
        # production cookies are Secure: tell the jar this plain-http loopback is fine
        status, html = self.request("/login")
        self.csrf(html)
        status, html = self.request("/login", {"email": "secretariat.usa@example.org",
                                               "password": PASSWORD,
                                               "csrf_token": self.token})
        status, html = self.request("/")
        if status != 200:
            raise SystemExit(f"sign-in failed: {status}")
        self.csrf(html)


def restart_run(base: str, seconds: float) -> None:
    major, name = cluster()
    counts: dict[str, collections.Counter] = {p: collections.Counter()
                                              for p in ("before", "down", "after")}
    phase = ["before"]
    first_ok_after: list[float] = []
    restarted_at: list[float] = []
    stop = threading.Event()

    def client(path: str, browser: Browser) -> None:
        while not stop.is_set():
            status, _html = browser.request(path)
            counts[phase[0]][status] += 1
            if phase[0] == "after" and status == 200 and not first_ok_after:
                first_ok_after.append(time.monotonic())

    browsers = []
    for _ in range(4):
        browsers.append(Browser(base))
        browsers[-1].sign_in()
    threads = [threading.Thread(target=client, args=(p, b)) for p, b in
               zip(("/organizations/", "/organizations/", "/", "/healthz"), browsers,
                   strict=True)]
    for t in threads:
        t.start()
    time.sleep(seconds / 3)
    phase[0] = "down"
    started = time.monotonic()
    sh("pg_ctlcluster", major, name, "restart")
    restarted_at.append(time.monotonic())
    phase[0] = "after"
    time.sleep(seconds * 2 / 3)
    stop.set()
    for t in threads:
        t.join()
    print(f"\n1. PostgreSQL restarted under load ({seconds:.0f} s, 4 clients, 2 workers)")
    print(f"   restart took {restarted_at[0] - started:.1f} s")
    print(f"   {'phase':<8} {'answers':>8} {'200':>6} {'302':>5} {'503':>5} {'500':>5} "
          f"{'no answer':>10}")
    for name_, counter in counts.items():
        total = sum(counter.values())
        print(f"   {name_:<8} {total:>8} {counter[200]:>6} {counter[302]:>5} "
              f"{counter[503]:>5} {counter[500]:>5} {counter[0]:>10}")
    recovery = (first_ok_after[0] - restarted_at[0]) if first_ok_after else float("nan")
    print(f"   first page served {recovery:.2f} s after PostgreSQL was back")
    fives = sum(c[500] for c in counts.values())
    print(f"   500s seen by users: {fives} (ceiling 0)")


def kill_run(base: str, seconds: float, org_id: int, gunicorn: subprocess.Popen) -> None:
    from sqlalchemy import create_engine, text
    stop = threading.Event()
    answers: collections.Counter = collections.Counter()
    kills = [0]

    def writer(n: int, browser: Browser) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            status, html = browser.request(f"/organizations/{org_id}/payments", {
                "amount": "1", "currency": "USD", "usd_amount": "", "paid_on": "2021-06-01",
                "channel": "chapter", "method": "bank", "reference": f"KILL-{n}-{i}-{time.time()}",
                "csrf_token": browser.token})
            answers[status] += 1
            if status == 0:
                time.sleep(0.05)

    def killer() -> None:
        while not stop.is_set():
            time.sleep(1)
            children = sh("pgrep", "-P", str(gunicorn.pid), check=False).stdout.split()
            if children:
                os.kill(int(children[0]), signal.SIGKILL)
                kills[0] += 1

    browsers = []
    for _ in range(3):
        browsers.append(Browser(base))
        browsers[-1].sign_in()
    threads = [threading.Thread(target=writer, args=(n, b)) for n, b in enumerate(browsers)]
    threads.append(threading.Thread(target=killer))
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    engine = create_engine(URL)
    with engine.connect() as conn:
        payments = conn.execute(text(
            "SELECT count(*) FROM dues_entries WHERE reference LIKE 'KILL-%'")).scalar()
        audited = conn.execute(text(
            "SELECT count(*) FROM audit_entries a JOIN dues_entries d "
            "ON d.id = CAST(a.details->>'entry_id' AS INTEGER) "
            "WHERE a.action = 'dues.payment' AND d.reference LIKE 'KILL-%'")).scalar()
        audit_total = conn.execute(text(
            "SELECT count(*) FROM audit_entries WHERE action = 'dues.payment'")).scalar()
    engine.dispose()
    print(f"\n2. A web worker killed with SIGKILL every second while 3 clients record payments "
          f"({seconds:.0f} s)")
    print(f"   workers killed: {kills[0]}; answers: " + ", ".join(
        f"{k or 'no answer'}: {v}" for k, v in sorted(answers.items())))
    print(f"   payments recorded: {payments}; with their audit entry: {audited}; "
          f"payment audit entries in all: {audit_total}")
    half = payments - audited
    print(f"   half-written records: {half} (ceiling 0)")


def sqlite_writers_run(seconds: float) -> None:
    """Two writers and two readers on SQLite (WAL, busy timeout) under gunicorn's two
    workers: no "database is locked" may reach a user."""
    instance = tempfile.mkdtemp(prefix="ima-sqlite-")
    url = "sqlite:///" + os.path.join(instance, "portal.sqlite3")
    org_id = prepare(instance, url)
    port = free_port()
    server = start_gunicorn(port, instance, url)
    base = f"http://127.0.0.1:{port}"
    answers: dict[str, collections.Counter] = {"write": collections.Counter(),
                                               "read": collections.Counter()}
    stop = threading.Event()

    def writer(n: int, browser: Browser) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            status, _html = browser.request(f"/organizations/{org_id}/payments", {
                "amount": "1", "currency": "USD", "usd_amount": "", "paid_on": "2021-06-01",
                "channel": "chapter", "method": "bank", "reference": f"W-{n}-{i}",
                "csrf_token": browser.token})
            answers["write"][status] += 1

    def reader(browser: Browser) -> None:
        while not stop.is_set():
            answers["read"][browser.request("/organizations/")[0]] += 1

    try:
        browsers = []
        for _ in range(4):
            browsers.append(Browser(base))
            browsers[-1].sign_in()
        threads = [threading.Thread(target=writer, args=(n, b))
                   for n, b in enumerate(browsers[:2])]
        threads += [threading.Thread(target=reader, args=(b,)) for b in browsers[2:]]
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(10)
    log = open(os.path.join(instance, "gunicorn.log")).read()
    locked = log.count("database is locked")
    print(f"\n3. SQLite, two writers and two readers for {seconds:.0f} s (gunicorn, 2 workers)")
    for kind, counter in answers.items():
        print(f"   {kind}s: " + ", ".join(f"{k or 'no answer'}: {v}"
                                         for k, v in sorted(counter.items())))
    print(f"   'database is locked' in the server's log: {locked} (ceiling 0); "
          f"503 answers: {answers['write'][503] + answers['read'][503]}; "
          f"500 answers: {answers['write'][500] + answers['read'][500]} (ceiling 0)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--only", choices=["restart", "kill", "sqlite"], default=None)
    args = parser.parse_args()
    if args.only == "sqlite":
        sqlite_writers_run(60)
        return
    if os.geteuid() != 0:
        raise SystemExit("run as root: the benchmark restarts PostgreSQL")
    instance = tempfile.mkdtemp(prefix="ima-faults-")
    org_id = prepare(instance)
    port = free_port()
    gunicorn = start_gunicorn(port, instance)
    base = f"http://127.0.0.1:{port}"
    try:
        if args.only in (None, "restart"):
            restart_run(base, args.seconds)
        if args.only in (None, "kill"):
            kill_run(base, args.seconds / 2, org_id, gunicorn)
    finally:
        gunicorn.terminate()
        gunicorn.wait(10)
    if args.only is None:
        sqlite_writers_run(60)
    print(f"\n(gunicorn's log: {instance}/gunicorn.log)")


if __name__ == "__main__":
    main()
