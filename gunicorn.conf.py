"""gunicorn's settings for the portal: `gunicorn app:app` reads this file.

Each setting may be changed by the environment without editing it."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, two per core and one more (the pages are short; the database does the
# waiting). WEB_CONCURRENCY overrides.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer than this is stuck: its worker is replaced. PDFs of many
# statements are built by the job worker, not here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Replace each worker after about ten thousand requests (the jitter keeps them from all
# restarting at once), so a slow leak never grows (1,000 PDF exports grow a worker by
# less than 20 MB: bench/statement_pdf.py). Each replacement holds some requests back
# for up to a second: after every thousand, under load, that was the slowest 1 % of
# bench/load.py (/healthz p99 1,020 ms at 650 requests a second; 19 ms without).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "1000"))
# Requests larger than the portal accepts are refused before they reach it.
limit_request_line = 8190
limit_request_fields = 100
# GUNICORN_ACCESS_LOG set empty turns the access log off (bench/load.py does).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The app is built once, before the fork: a worker replaced after its `max_requests` is
# a fork of the built app, ready at once (without it, the requests that reach a new
# worker wait for it to import and build the app: the slowest 1 % of a load test).
# Each worker opens its own database connections (post_fork below). A new release is
# taken in by restarting gunicorn (HUP reloads only the workers). GUNICORN_PRELOAD=0: off.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"


def post_fork(server, worker):
    """Connections are never shared across processes: the worker drops any the master's
    pools hold (none are opened while the app is built; this keeps it so)."""
    from ima_portal.extensions import db
    app = server.app.wsgi() if server.cfg.preload_app else None
    if app is not None and "sqlalchemy" in getattr(app, "extensions", {}):
        with app.app_context():
            db.engine.dispose(close=False)
