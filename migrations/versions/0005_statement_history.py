"""statement revisions and sign-offs are append-only

Revision ID: 0005_statement_history
Revises: 0004_statements
Create Date: 2026-11-24 12:20:00

"""
from alembic import op

revision = '0005_statement_history'
down_revision = '0004_statements'
branch_labels = None
depends_on = None

# The text a chair signed, and the sign-off itself, can never change: the database
# refuses to edit or delete a revision or a sign-off (as it does for the dues ledger).
TABLES = {
    'statement_revisions': 'statement revisions are never edited or deleted; save a new one',
    'statement_sign_offs': 'sign-offs are never edited or deleted',
}


def upgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table, message in TABLES.items():
        if postgresql:
            op.execute(f"""
                CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '{message}';
                END $$ LANGUAGE plpgsql""")
            op.execute(f"""
                CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""")
        else:
            for event in ('UPDATE', 'DELETE'):
                op.execute(f"""
                    CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
                    BEGIN
                        SELECT RAISE(ABORT, '{message}');
                    END""")


def downgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table in TABLES:
        if postgresql:
            op.execute(f'DROP TRIGGER {table}_append_only ON {table}')
            op.execute(f'DROP FUNCTION {table}_append_only()')
        else:
            op.execute(f'DROP TRIGGER {table}_no_update')
            op.execute(f'DROP TRIGGER {table}_no_delete')
