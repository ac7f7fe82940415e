"""The migrations build exactly the schema the models describe, and undo it."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from ima_portal.extensions import db as _db

from .conftest import make_app


def test_models_and_migrations_agree(app, db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_downgrade_to_nothing_and_back(tmp_path):
    url = "sqlite:///" + str(tmp_path / "m.sqlite3")
    app = make_app(url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(_db.engine).get_table_names()) == {"alembic_version"}
        upgrade()
        assert "users" in inspect(create_engine(url)).get_table_names()
        _db.engine.dispose()


def test_downgrade_to_nothing_and_back_on_postgresql(postgresql_url):
    """The same on PostgreSQL (triggers and partial indexes included), in a database of
    its own beside the test database (the role may create databases: see .ci/run)."""
    from sqlalchemy import text

    from .scratch_db import scratch_postgresql
    with scratch_postgresql(postgresql_url, "migrations") as url:
        app = make_app(url)
        with app.app_context():
            upgrade()
            downgrade(revision="base")
            assert set(inspect(_db.engine).get_table_names()) == {"alembic_version"}
            with _db.engine.connect() as conn:
                assert conn.scalar(text(
                    "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")) == 0
            upgrade()
            with _db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), _db.metadata)
            assert diff == []
            _db.engine.dispose()
