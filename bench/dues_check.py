"""Dues check and organizations list on a large chapter set.

Seeds 2,000 organizations and 20,000 payments in a temporary SQLite database, then times
(in-process, through the WSGI app, medians of many runs):
  - /healthz                     the floor: a request that does one trivial query
  - /dues-check?q=…  (HTMX)      the fragment a secretariat sees while typing
  - /organizations/?page=N       the list page, standing computed for every row
and prints each median beside the ceiling it is held to (100 ms for the dues check, as the
issue asks; the same for the list page), with the ratio.

Run: .venv/bin/python bench/dues_check.py [--orgs 2000] [--payments 20000] [--runs 40]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from ima_portal import create_app  # noqa: E402
from ima_portal.auth.credentials import hash_password  # noqa: E402
from ima_portal.chapters.models import Chapter, Region  # noqa: E402
from ima_portal.domain.names import name_key  # noqa: E402
from ima_portal.extensions import db  # noqa: E402
from ima_portal.members.models import DuesEntry, Organization  # noqa: E402

CEILING_MS = 100.0
WORDS = ("Migrant", "Workers", "Center", "Alliance", "Domestic", "Seafarers", "Youth", "Women",
         "Farmworkers", "Caregivers", "Solidarity", "Network", "Union", "Circle", "Collective",
         "Kapisanan", "Casa", "Red", "Unidos", "Mutual", "Aid", "Association", "Committee")


def seed(n_orgs: int, n_payments: int) -> None:
    rnd = random.Random(2022)
    regions = db.session.scalars(db.select(Region)).all()
    chapters = []
    for i in range(20):
        chapter = Chapter(code=f"IMA-B{i}", name=f"Bench chapter {i}", country="Country",
                          region=regions[i % len(regions)])
        db.session.add(chapter)
        chapters.append(chapter)
    db.session.flush()
    from ima_portal.auth.models import User
    from ima_portal.domain.roles import Role
    db.session.add(User(email="bench@example.org", name="Bench", role=Role.SECRETARIAT,
                        chapter=chapters[0], password_hash=hash_password("bench passphrase")))
    rows = []
    for i in range(n_orgs):
        name = " ".join(rnd.sample(WORDS, 3)) + f" {i}"
        chapter = chapters[i % 3] if i % 2 == 0 else chapters[i % 20]
        rows.append({"chapter_id": chapter.id, "name": name, "name_key": name_key(name),
                     "country": rnd.choice(["Canada", "Mexico", "Philippines", "Kenya"]),
                     "region_id": chapter.region_id,
                     "membership": rnd.choice(["regular", "regular", "associate"]),
                     "status": rnd.choice(["active"] * 8 + ["suspended", "applicant"]),
                     "status_since": date(2015, 1, 1), "joined_on": date(2010 + i % 12, 3, 1),
                     "contact_person": "", "email": "", "phone": "", "notes": ""})
    db.session.execute(insert(Organization), rows)
    ids = db.session.scalars(db.select(Organization.id)).all()
    payments = []
    for i in range(n_payments):
        cents = rnd.choice([25_00, 50_00, 50_00, 100_00])
        payments.append({"organization_id": rnd.choice(ids), "kind": "payment",
                         "amount_cents": cents, "currency": "USD", "usd_cents": cents,
                         "paid_on": date(2019, 1, 1) + timedelta(days=rnd.randrange(1400)),
                         "channel": "chapter", "method": "bank", "reference": f"B{i}",
                         "reference_key": f"b{i}"})
    db.session.execute(insert(DuesEntry), payments)
    db.session.commit()


def median_ms(client, url, runs, headers=None) -> float:
    for _ in range(3):
        client.get(url, headers=headers)  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--payments", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="ima-bench-")
    app = create_app({"IMA_ENV": "testing", "SECRET_KEY": "bench",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3"},
                     instance_path=folder)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        seed(args.orgs, args.payments)
        print(f"seeded {args.orgs} organizations and {args.payments} payments "
              f"in {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"email": "bench@example.org", "password": "bench passphrase",
                                "csrf_token": token})
    hx = {"HX-Request": "true"}
    floor = median_ms(client, "/healthz", args.runs)
    figures = [
        ("dues check, 'work' (HTMX fragment)", median_ms(client, "/dues-check?q=work",
                                                          args.runs, hx)),
        ("dues check, 'migrant solid'", median_ms(client, "/dues-check?q=migrant%20solid",
                                                  args.runs, hx)),
        ("organizations list, page 1", median_ms(client, "/organizations/", args.runs)),
        ("organizations list, page 20, owing, most owed first",
         median_ms(client, "/organizations/?page=20&standing=owing&sort=owed", args.runs)),
    ]
    print(f"{'request':55} {'median ms':>10} {'ceiling':>8} {'ratio':>6}")
    print(f"{'/healthz (floor, for scale)':55} {floor:10.1f}")
    for label, ms in figures:
        print(f"{label:55} {ms:10.1f} {CEILING_MS:8.0f} {ms / CEILING_MS:6.2f}")
    worst = max(ms for _, ms in figures)
    print("PASS" if worst < CEILING_MS else "OVER THE CEILING",
          f"(worst median {worst:.1f} ms against {CEILING_MS:.0f} ms)")


if __name__ == "__main__":
    main()
