"""While the database does not answer, users get a friendly 503 that tries again (issue 14)
rather than a 500; the page itself needs no database."""
from __future__ import annotations

import socket

from .conftest import make_app


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens


def test_a_database_that_does_not_answer_gives_a_503_that_retries():
    url = f"postgresql+psycopg://nobody:none@127.0.0.1:{_closed_port()}/nothing"
    app = make_app(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True,
                                                   "connect_args": {"connect_timeout": 2}})
    client = app.test_client()
    for path in ("/login", "/verify/ABCD-EFGH-IJKL"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "5"
        html = response.get_data(as_text=True)
        assert "The portal is busy for a moment" in html
        assert "Traceback" not in html
    hx = client.get("/login", headers={"HX-Request": "true"})
    assert hx.status_code == 503 and hx.headers["HX-Retarget"] == "#messages"
    assert "not answering" in hx.get_data(as_text=True)
