"""What every request must be before a view reads it: ids within the databases' range, no
NUL byte anywhere (PostgreSQL refuses it in text), and caches told that one URL answers
a page or, to HTMX, a fragment."""
from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

from .domain.common import MAX_ID


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a number above the databases' INTEGER matches no route
    (404), as a record that does not exist would."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=MAX_ID if max is None else max, signed=signed)


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values.getlist(key))
               for key in values.keys())


def refuse_nul_bytes() -> None:
    """`before_request` hook: a NUL byte in the address, the query or a form is refused
    with 400 (no page or database has a use for it)."""
    if "\x00" in request.path or _has_nul(request.args):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH") and (
            _has_nul(request.form) or any("\x00" in (f.filename or "")
                                          for f in request.files.values())):
        abort(400)


def vary_on_htmx(response):
    """`after_request` hook: the same URL answers a page or an HTMX fragment, so a cache
    must keep them apart."""
    response.vary.add("HX-Request")
    return response


def install(app: Flask) -> None:
    """Before the routes are added: the bounded `int` converter; then the hooks."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_bytes)
    app.after_request(vary_on_htmx)
