import pytest

from ima_portal.extensions import db

from ..factories import Factories


@pytest.fixture
def make(live_server) -> Factories:
    """Factories writing to the live server's database (SQLite only: browser tests are
    about the pages, the database rules are tested on both backends elsewhere)."""
    return Factories(db)
