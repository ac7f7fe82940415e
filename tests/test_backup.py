"""SQLite backups (issue 14): taken while the portal serves, checked, restored whole."""
from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import inspect, text

from ima_portal import demo
from ima_portal.extensions import db as _db

from .conftest import make_app


def _counts(app) -> dict[str, int]:
    with app.app_context():
        names = inspect(_db.engine).get_table_names()
        with _db.engine.connect() as conn:
            return {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one()
                    for n in names}


def test_a_restored_backup_holds_every_record(sqlite_url, tmp_path):
    app = make_app(sqlite_url)
    with app.app_context():
        demo.seed()
        _db.session.commit()
    at_backup = _counts(app)
    assert at_backup["organizations"] > 0 and at_backup["statements"] > 0
    runner = app.test_cli_runner()
    path = tmp_path / "backups" / "portal.sqlite3"

    # a reader in the middle of a transaction, as a page being served, does not stop it
    live = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    live.execute("BEGIN")
    live.execute("SELECT count(*) FROM organizations").fetchone()
    result = runner.invoke(args=["backup", str(path)])
    live.rollback()
    live.close()
    assert result.exit_code == 0, result.output
    assert "Backed up to" in result.output and path.exists()
    assert not (tmp_path / "backups" / "portal.sqlite3.partial").exists()

    # later changes…
    with app.app_context():
        _db.session.execute(text("DELETE FROM info_session_registrations"))
        _db.session.execute(text("UPDATE organizations SET name = name || ' (changed)'"))
        _db.session.commit()
    assert _counts(app) != at_backup
    # …are undone by the restore: every table as it was
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert _counts(app) == at_backup
    with app.app_context():
        assert _db.session.execute(text(
            "SELECT count(*) FROM organizations WHERE name LIKE '%(changed)'")).scalar() == 0
    # and the portal serves from it
    assert app.test_client().get("/healthz").status_code == 200


def test_a_backup_made_during_writes_is_consistent(sqlite_url, tmp_path):
    app = make_app(sqlite_url)
    with app.app_context():
        demo.seed()
        _db.session.commit()
    path = sqlite_url.removeprefix("sqlite:///")
    stop = threading.Event()

    def writer():
        conn = sqlite3.connect(path, timeout=30)
        while not stop.is_set():
            with conn:
                conn.execute("UPDATE alliance SET name = name WHERE id = 1")
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.sqlite3")])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    check = sqlite3.connect(tmp_path / "b.sqlite3")
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_url, tmp_path):
    app = make_app(sqlite_url)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    result = app.test_cli_runner().invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0 and "not a backup of the portal" in result.output
    missing = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "none"), "--yes"])
    assert missing.exit_code != 0 and "no such file" in missing.output


def test_postgresql_is_pointed_to_its_own_tools(postgresql_url, tmp_path):
    app = make_app(postgresql_url)
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x")])
    assert result.exit_code != 0 and "pg_dump" in result.output
