"""The job queue: huey's instance, the hand-over of jobs after the commit, and the app
context a task runs in. The tasks live beside what they do (`mailer.send_mail`,
`statements.exports.export_statements` and `clean_up_exports`); `jobs` gathers them for
the worker process.

The queue is huey's: Redis when `REDIS_URL` is set (production, CI), otherwise a SQLite
file in the instance folder (`JOBS_SQLITE`). App servers only hand jobs over, and only
once the request's transaction has committed (`enqueue_after_commit`); a separate
process runs them:

    huey_consumer ima_portal.jobs.huey

That process builds the Flask app once (`worker_app()`, with the factory the package
registers: this module imports no area) and runs each task in an app
context of its own; a task never uses `request` or `current_user`. Tests run the jobs in
huey's immediate mode (`JOBS_IMMEDIATE`): each one runs in the process that hands it over,
right after the commit, with a queue in memory.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy import event

from . import config as config_module
from .extensions import db

logger = logging.getLogger(__name__)
_PENDING = "ima_jobs"  # db.session.info: the jobs waiting for the commit



def _settings(config: Mapping[str, Any]) -> tuple[type, dict, str, bool]:
    if config.get("REDIS_URL"):
        storage = RedisStorage, {"url": config["REDIS_URL"]}
    else:
        storage = SqliteStorage, {"filename": config["JOBS_SQLITE"]}
    return (*storage, config["JOBS_QUEUE"], bool(config.get("JOBS_IMMEDIATE")))


def _default_instance_path() -> str:
    """Flask's default instance folder for the package (`instance/` beside `app.py`)."""
    return str(Path(__file__).resolve().parent.parent / "instance")


# The queue as the environment names it, so that `huey_consumer ima_portal.jobs.huey`
# finds it; `create_app` configures it again from the app's settings (`configure`).
# Results are not kept: nobody reads them, and in Redis they would pile up.
_storage_class, _storage_kwargs, _name, _immediate = _settings(
    config_module.jobs_settings(_default_instance_path(), os.environ))
if _storage_class is SqliteStorage:
    os.makedirs(os.path.dirname(_storage_kwargs["filename"]), exist_ok=True)
huey = Huey(_name, results=False, immediate=_immediate, storage_class=_storage_class,
            **_storage_kwargs)
_configured = (_storage_class, _storage_kwargs, _name, _immediate)


def configure(config: Mapping[str, Any]) -> None:
    """Points the queue at the one `config` names (an app's settings). One app per
    process in production; the tests make many, and the last one made decides."""
    global _configured
    settings = _settings(config)
    if settings == _configured:
        return
    storage_class, storage_kwargs, name, immediate = settings
    if storage_class is SqliteStorage and not immediate:
        os.makedirs(os.path.dirname(storage_kwargs["filename"]), exist_ok=True)
    huey.name = name
    huey.storage_class, huey.storage_kwargs = storage_class, storage_kwargs
    if huey.immediate != immediate:
        huey.immediate = immediate  # makes the storage anew
    else:
        huey.storage = huey.create_storage()
    _configured = settings


# ---- handing jobs over after the commit -------------------------------------------------

def enqueue_after_commit(task, *args: Any, **kwargs: Any) -> None:
    """Hands `task(*args, **kwargs)` to the queue once the current transaction commits;
    a rollback drops it. Arguments must be plain data (ids, strings, dicts)."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback, even before any query, drops the job
    session.info.setdefault(_PENDING, []).append((task, args, kwargs))


def _dispatch(session) -> None:
    for task, args, kwargs in session.info.pop(_PENDING, []):
        try:
            task(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a queue down must not undo the committed change
            logger.exception("job %s not queued", getattr(task, "name", task))


def _drop(session, transaction) -> None:
    """The outermost transaction ended without a commit (rolled back, or the session
    closed): its jobs are dropped. After a commit they are already gone."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def init_queue(app: Flask) -> None:
    """Called by `create_app`: the queue from the app's settings, and the session hooks
    that hand jobs over after a commit."""
    configure(app.config)
    app.extensions["huey"] = huey
    if not event.contains(db.session, "after_commit", _dispatch):
        event.listen(db.session, "after_commit", _dispatch)
        event.listen(db.session, "after_transaction_end", _drop)


# ---- the worker's app -------------------------------------------------------------------

_worker_app: Flask | None = None
_worker_app_lock = threading.Lock()
_app_factory: Callable[[], Flask] | None = None


def set_app_factory(factory: Callable[[], Flask]) -> None:
    """The package registers `create_app` here (so that this module imports no area)."""
    global _app_factory
    _app_factory = factory


def worker_app() -> Flask:
    """The Flask app of the worker process, built once from the environment."""
    global _worker_app
    with _worker_app_lock:
        if _worker_app is None:
            if _app_factory is None:
                raise RuntimeError("no app factory registered (import ima_portal first)")
            _worker_app = _app_factory()
        return _worker_app


@contextmanager
def app_context() -> Iterator[Flask]:
    """A fresh app context (so a fresh database session) for one task: the worker's app,
    or, in immediate mode, the app that handed the job over."""
    app = current_app._get_current_object() if has_app_context() else worker_app()
    with app.app_context():
        yield app
