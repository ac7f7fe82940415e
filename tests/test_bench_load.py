"""bench/load.py cannot rot: its seeding and its in-process measurement run at a tiny size
(no wrk, no gunicorn, nothing timed), and its wrk parser and table read what they should.
On SQLite and PostgreSQL."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parent.parent / "bench" / "load.py"


@pytest.fixture(scope="module")
def load():
    spec = importlib.util.spec_from_file_location("bench_load", PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_seeding_and_in_process_measurement_work_at_a_tiny_size(app, db, load):
    seeded = load.seed(60, 300)
    # A registration for every fifth organization; the secretariat's chapter has every
    # thirtieth (0 and 30).
    assert seeded.registrations_in_chapter == 2
    load.grow(seeded, 90, 450)
    assert seeded.registrations_in_chapter == 3
    from ima_portal.assembly.models import Registration
    from ima_portal.members.models import DuesEntry, Organization
    counted = [db.session.scalar(db.select(db.func.count()).select_from(model))
               for model in (Organization, DuesEntry, Registration)]
    assert counted == [90, 450, 18]
    counter = load.QueryCounter(db.engine)
    try:
        client = load.signed_in_client(app)
        figures = load.measure_in_process(app, client, counter, seeded.endpoints(),
                                          budget_s=0, min_runs=1)
    finally:
        counter.close()
    assert list(figures) == [e.label for e in seeded.endpoints()]
    for label, (ms, bare_ms, queries) in figures.items():
        assert ms > 0 and bare_ms > 0 and queries >= 1, label
    result = load.Result("SQLite", 60, 90, seeded, figures, figures)
    text = "\n".join(load.table(result))
    assert "| delegates list |" in text and "1.00× met (raw 1.00×)" in text
    assert "NOT MET" not in text


WRK = """Running 15s test @ http://127.0.0.1:8070/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.10ms    3.20ms  80.00ms   90.00%
    Req/Sec   330.00     20.00   400.00     70.00%
  Latency Distribution
     50%   11.50ms
     75%   13.00ms
     90%   15.00ms
     99%    1.20s
  9900 requests in 15.00s, 30.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    660.25
Transfer/sec:      2.00MB
"""


def test_wrk_output_is_read(load):
    figures = load.parse_wrk(WRK)
    assert (figures.rps, figures.p50_ms, figures.p99_ms, figures.errors) == \
        (660.25, 11.5, 1200.0, 7)
