"""How many SQL statements a piece of work sends (the tests that hold a page's query count
flat as the data grows)."""
from __future__ import annotations

from sqlalchemy import event


def count_queries(db, fn) -> int:
    count = 0

    def before(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return count
