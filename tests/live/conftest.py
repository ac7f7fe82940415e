import pytest

from ima_portal.extensions import db

from ..factories import Factories


@pytest.fixture
def make(live_server) -> Factories:
    """Factories writing to the live server's database."""
    return Factories(db)
