"""Backups of an SQLite portal: `flask --app app backup PATH` and `restore PATH`.

Both use SQLite's online backup API, page by page under SQLite's own locks, so a backup
is consistent while the portal serves (writers wait a moment, readers go on), and a
restore replaces the live database in one step that every connection then sees. For
PostgreSQL use its own tools (README: Backups): `pg_dump -Fc` and `pg_restore`.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from .extensions import db


class BackupError(click.ClickException):
    pass


def sqlite_path() -> str:
    """The file of the portal's SQLite database (an error for any other database)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError("backup and restore are for an SQLite database; for PostgreSQL "
                          "use pg_dump -Fc and pg_restore (README: Backups).")
    return url.database


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    source.backup(target, pages=256)  # in steps, so other connections are not held long


def check(path: str) -> str:
    """The migration a backup file was made at; an error when it is not a sound database
    of the portal."""
    if not os.path.isfile(path):
        raise BackupError(f"{path}: no such file.")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{path}: the file is damaged (integrity check failed).")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: not a backup of the portal ({error}).") from error
    finally:
        connection.close()
    if row is None:
        raise BackupError(f"{path}: not a backup of the portal (no migration recorded).")
    return row[0]


def backup_to(path: str) -> str:
    """Writes a consistent copy of the live database to `path` (replaced if it exists)
    and returns its migration."""
    live = sqlite_path()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    partial = f"{path}.partial"
    source = sqlite3.connect(live, timeout=30)
    target = sqlite3.connect(partial)
    try:
        _copy(source, target)
    finally:
        target.close()
        source.close()
    os.replace(partial, path)  # never a half-written backup under the final name
    return check(path)


def restore_from(path: str) -> str:
    """Replaces the live database with the backup at `path` (checked first)."""
    version = check(path)
    db.session.remove()
    db.engine.dispose()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(sqlite_path(), timeout=30)
    try:
        _copy(source, target)
    finally:
        target.close()
        source.close()
    return version


@click.command("backup")
@click.argument("path")
@with_appcontext
def backup_command(path):
    """Write a consistent copy of the SQLite database to PATH (safe while serving)."""
    version = backup_to(path)
    click.echo(f"Backed up to {path} (migration {version}).")


@click.command("restore")
@click.argument("path")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path, yes):
    """Replace the SQLite database with the backup at PATH (then run `db upgrade` if the
    backup is from an older version)."""
    version = check(path)
    if not yes:
        click.confirm(f"Replace the portal's database with {path} (migration {version})? "
                      "Every change since that backup is lost", abort=True)
    restore_from(path)
    click.echo(f"Restored {path} (migration {version}). If it is older than this version, "
               "run: flask --app app db upgrade")
