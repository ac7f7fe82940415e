"""One transaction per request: a view that succeeds is committed, a refusal (4xx) or an
error is rolled back, and no route commits by itself. On SQLite and PostgreSQL."""
from __future__ import annotations

import ast
from pathlib import Path

from flask import abort
from sqlalchemy import func, select

from ima_portal import transaction
from ima_portal.auth.access import public
from ima_portal.chapters.models import Chapter

from .conftest import PortalClient

PACKAGE = Path(__file__).resolve().parent.parent / "ima_portal"


def _chapters(db) -> set[str]:
    return set(db.session.scalars(select(Chapter.code)))


def _add_views(app, make):
    """Views that add a chapter and then answer in different ways."""
    region = make.region()

    def add(code: str) -> None:
        from ima_portal.extensions import db
        db.session.add(Chapter(code=code, name=f"Chapter {code}", country="Kenya",
                               region_id=region.id))
        db.session.flush()

    @public
    def succeeds():
        add("T-OK")
        return "added"

    @public
    def refuses():
        add("T-REFUSED")
        return "not allowed", 422

    @public
    def refuses_but_keeps():
        add("T-KEPT")
        transaction.keep_despite_refusal()
        return "kept aside", 409

    @public
    def aborts():
        add("T-ABORT")
        abort(404)

    @public
    def fails():
        add("T-FAIL")
        raise RuntimeError("boom")

    for view in (succeeds, refuses, refuses_but_keeps, aborts, fails):
        app.add_url_rule(f"/_test/{view.__name__}", view.__name__, view)


def test_each_request_commits_once_on_success_and_rolls_back_a_refusal(app, make, db):
    _add_views(app, make)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # the 500 page, as in production
    client: PortalClient = app.test_client()
    assert client.get("/_test/succeeds").status_code == 200
    assert client.get("/_test/refuses").status_code == 422
    assert client.get("/_test/refuses_but_keeps").status_code == 409
    assert client.get("/_test/aborts").status_code == 404
    assert client.get("/_test/fails").status_code == 500
    codes = _chapters(db)
    assert {"T-OK", "T-KEPT"} <= codes
    assert not {"T-REFUSED", "T-ABORT", "T-FAIL"} & codes
    # The "keep" mark is for one request only: the next refusal is rolled back again.
    assert client.get("/_test/refuses").status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Chapter)
                             .where(Chapter.code == "T-REFUSED")) == 0


def _calls(tree: ast.AST, names: set[str]) -> list[int]:
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in names]


def test_no_route_and_no_operation_commits_or_rolls_back():
    """The request wrapper is the one place that ends a web request's transaction."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if not (path.stem.startswith("routes") or path.parent.name == "routes"
                or path.stem in ("operations", "queries")):
            continue
        lines = _calls(ast.parse(path.read_text()), {"commit", "rollback"})
        offenders += [f"{path.relative_to(PACKAGE)}:{n}" for n in lines]
    assert offenders == []


def test_the_checker_finds_a_commit():
    tree = ast.parse("def view():\n    db.session.commit()\n")
    assert _calls(tree, {"commit", "rollback"}) == [2]
