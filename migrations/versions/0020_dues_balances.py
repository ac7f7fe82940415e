"""dues balances: what each organization owes and has paid under the current policy, and
what it paid through its chapter not yet remitted, kept by triggers so that lists and
homes need not sum the whole ledger

Revision ID: 0020_dues_balances
Revises: 0019_receipts
Create Date: 2026-11-30 10:40:00.000000

The triggers, the same statements on SQLite and PostgreSQL:
- a new organization gets its row (with its chapter): due what the current policy asks
  of it, nothing paid; a change of its status, of the day it joined or of its chapter
  reckons its due again;
- a payment adds itself (to `paid_cents` if paid on or after the current policy's
  `payments_from`; to the unremitted figures if through the chapter);
- a void takes its payment back out (of the unremitted figures only if not remitted);
- a remittance takes its live payment out of the unremitted figures (its deletion puts
  it back; moving it to another payment does both);
- a change of the current policy (made current, no longer current, another rate, years
  or `payments_from`) reckons every organization's due and paid again.
The due is the rule of `domain.dues` (`standing_from_total`'s total due): nothing for an
applicant, else the policy's rate for each of its years from the year the organization
joined; nothing while no policy is current.
Ledger lines are never edited or deleted (0002's triggers), so nothing else can change
a balance.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_dues_balances'
down_revision = '0019_receipts'
branch_labels = None
depends_on = None


CURRENT_FROM = "(SELECT payments_from FROM dues_policies WHERE is_current)"
YEAR = {"sqlite": "CAST(strftime('%Y', {}) AS INTEGER)",
        "postgresql": "CAST(EXTRACT(YEAR FROM {}) AS INTEGER)"}


def due(org: str, dialect: str) -> str:
    """What the organization `org` (a row alias: NEW, o) owes under the current policy."""
    joined = f"COALESCE({YEAR[dialect].format(org + '.joined_on')}, p.first_year)"
    start = f"CASE WHEN {joined} > p.first_year THEN {joined} ELSE p.first_year END"
    return f"""COALESCE((
        SELECT CASE WHEN {org}.status = 'applicant' OR {start} > p.last_year THEN 0
                    ELSE (p.last_year - {start} + 1) * p.rate_cents END
        FROM dues_policies p WHERE p.is_current), 0)"""


def on_organization(dialect: str) -> str:
    return f"""
    INSERT INTO dues_balances (organization_id, chapter_id, due_cents, paid_cents,
                               unremitted_cents, unremitted_payments)
    VALUES (NEW.id, NEW.chapter_id, {due('NEW', dialect)}, 0, 0, 0)"""


def on_organization_changed(dialect: str) -> str:
    return f"""
    UPDATE dues_balances SET due_cents = {due('NEW', dialect)}, chapter_id = NEW.chapter_id
    WHERE organization_id = NEW.id"""


ON_PAYMENT = f"""
    UPDATE dues_balances SET
        paid_cents = paid_cents + CASE WHEN NEW.paid_on >= COALESCE({CURRENT_FROM},
                                                                    NEW.paid_on)
                                       THEN NEW.usd_cents ELSE 0 END,
        unremitted_cents = unremitted_cents
            + CASE WHEN NEW.channel = 'chapter' THEN NEW.usd_cents ELSE 0 END,
        unremitted_payments = unremitted_payments
            + CASE WHEN NEW.channel = 'chapter' THEN 1 ELSE 0 END
    WHERE organization_id = NEW.organization_id"""

_VOIDED = "FROM dues_entries p WHERE p.id = NEW.voids_id AND p.kind = 'payment'"
_NOT_REMITTED = "NOT EXISTS (SELECT 1 FROM dues_remittances r WHERE r.entry_id = p.id)"
ON_VOID = f"""
    UPDATE dues_balances SET
        paid_cents = paid_cents - (
            SELECT CASE WHEN p.paid_on >= COALESCE({CURRENT_FROM}, p.paid_on)
                        THEN p.usd_cents ELSE 0 END {_VOIDED}),
        unremitted_cents = unremitted_cents - (
            SELECT CASE WHEN p.channel = 'chapter' AND {_NOT_REMITTED}
                        THEN p.usd_cents ELSE 0 END {_VOIDED}),
        unremitted_payments = unremitted_payments - (
            SELECT CASE WHEN p.channel = 'chapter' AND {_NOT_REMITTED}
                        THEN 1 ELSE 0 END {_VOIDED})
    WHERE organization_id = (SELECT p.organization_id {_VOIDED})"""


def _on_remittance(row: str, sign: str) -> str:
    """The unremitted figures of the remitted payment's organization, `sign` its amount
    (a remittance of a voided or non-chapter payment changes nothing)."""
    live = (f"FROM dues_entries p WHERE p.id = {row}.entry_id AND p.kind = 'payment' "
            "AND p.channel = 'chapter' AND NOT EXISTS "
            "(SELECT 1 FROM dues_entries v WHERE v.voids_id = p.id)")
    return f"""
    UPDATE dues_balances SET
        unremitted_cents = unremitted_cents {sign} (SELECT p.usd_cents {live}),
        unremitted_payments = unremitted_payments {sign} 1
    WHERE organization_id = (SELECT p.organization_id {live})"""


def reckon(dialect: str) -> str:
    """Every organization's due and paid under the current policy, again."""
    return f"""
    UPDATE dues_balances SET
        due_cents = (SELECT {due('o', dialect)} FROM organizations o
                     WHERE o.id = dues_balances.organization_id),
        paid_cents = (
            SELECT COALESCE(SUM(e.usd_cents), 0) FROM dues_entries e
            WHERE e.organization_id = dues_balances.organization_id AND e.kind = 'payment'
              AND e.paid_on >= COALESCE({CURRENT_FROM}, e.paid_on)
              AND NOT EXISTS (SELECT 1 FROM dues_entries v WHERE v.voids_id = e.id))"""


RECKON_UNREMITTED = """
    UPDATE dues_balances SET
        unremitted_cents = (
            SELECT COALESCE(SUM(e.usd_cents), 0) FROM dues_entries e
            WHERE e.organization_id = dues_balances.organization_id
              AND e.kind = 'payment' AND e.channel = 'chapter'
              AND NOT EXISTS (SELECT 1 FROM dues_entries v WHERE v.voids_id = e.id)
              AND NOT EXISTS (SELECT 1 FROM dues_remittances r WHERE r.entry_id = e.id)),
        unremitted_payments = (
            SELECT COUNT(*) FROM dues_entries e
            WHERE e.organization_id = dues_balances.organization_id
              AND e.kind = 'payment' AND e.channel = 'chapter'
              AND NOT EXISTS (SELECT 1 FROM dues_entries v WHERE v.voids_id = e.id)
              AND NOT EXISTS (SELECT 1 FROM dues_remittances r WHERE r.entry_id = e.id))"""

POLICY_CHANGED = ("OLD.is_current <> NEW.is_current OR (NEW.is_current AND ("
                  "OLD.payments_from <> NEW.payments_from OR OLD.rate_cents <> NEW.rate_cents "
                  "OR OLD.first_year <> NEW.first_year OR OLD.last_year <> NEW.last_year))")
ORGANIZATION_CHANGED = {"sqlite": "OLD.status <> NEW.status OR OLD.chapter_id <> NEW.chapter_id "
                                  "OR OLD.joined_on IS NOT NEW.joined_on",
                        "postgresql": "OLD.status <> NEW.status OR OLD.chapter_id <> NEW.chapter_id "
                                      "OR OLD.joined_on IS DISTINCT FROM NEW.joined_on"}


def upgrade():
    op.create_table('dues_balances',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('chapter_id', sa.Integer(), nullable=False),
    sa.Column('due_cents', sa.Integer(), server_default='0', nullable=False),
    sa.Column('paid_cents', sa.Integer(), server_default='0', nullable=False),
    sa.Column('unremitted_cents', sa.Integer(), server_default='0', nullable=False),
    sa.Column('unremitted_payments', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('due_cents >= 0 AND paid_cents >= 0', name=op.f('ck_dues_balances_not_negative')),
    sa.CheckConstraint('unremitted_cents >= 0 AND unremitted_payments >= 0', name=op.f('ck_dues_balances_unremitted_not_negative')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_dues_balances_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organization_id', name=op.f('pk_dues_balances'))
    )
    # A chapter's figures in one range of one index (no row of the table read).
    op.create_index('ix_dues_balances_chapter', 'dues_balances',
                    ['chapter_id', 'due_cents', 'paid_cents', 'unremitted_payments',
                     'unremitted_cents'], unique=False)
    # A secretariat's pending registrations counted in one range of one index.
    op.create_index('ix_registrations_assembly_chapter_state', 'registrations',
                    ['assembly_id', 'chapter_id', 'state'], unique=False)
    dialect = op.get_bind().dialect.name
    op.execute("INSERT INTO dues_balances (organization_id, chapter_id, due_cents, paid_cents, "
               "unremitted_cents, unremitted_payments) "
               "SELECT id, chapter_id, 0, 0, 0, 0 FROM organizations")
    op.execute(reckon(dialect))
    op.execute(RECKON_UNREMITTED)

    if dialect == 'postgresql':
        # Each trigger first locks the balance row(s) it will change, then changes them in
        # a statement of its own: that statement reads the ledger as committed after the
        # wait (PostgreSQL re-reads a row it waited for, not the other tables a subquery
        # reads). Two writers of one organization's balance (a void and a remittance of
        # the same payment, a payment during a policy change) so follow one another.
        _plpgsql('dues_balances_on_organization', 'AFTER INSERT OR UPDATE ON organizations',
                 f"""
            IF TG_OP = 'INSERT' THEN {on_organization(dialect)};
            ELSIF {ORGANIZATION_CHANGED[dialect]} THEN
                {_lock_balance('NEW.id')};
                {on_organization_changed(dialect)};
            END IF;""")
        _plpgsql('dues_balances_on_entry', 'AFTER INSERT ON dues_entries', f"""
            IF NEW.kind = 'payment' THEN
                {_lock_balance('NEW.organization_id')};
                {ON_PAYMENT};
            ELSIF NEW.kind = 'void' THEN
                {_lock_balance(_OWNER.format(entry='NEW.voids_id'))};
                {ON_VOID};
            END IF;""")
        _plpgsql('dues_balances_on_remittance',
                 'AFTER INSERT OR UPDATE OF entry_id OR DELETE ON dues_remittances', f"""
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                {_lock_balance(_OWNER.format(entry='OLD.entry_id'))};
                {_on_remittance('OLD', '+')};
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                {_lock_balance(_OWNER.format(entry='NEW.entry_id'))};
                {_on_remittance('NEW', '-')};
            END IF;""")
        _plpgsql('dues_balances_on_policy',
                 'AFTER INSERT OR UPDATE OR DELETE ON dues_policies', f"""
            IF (TG_OP = 'INSERT' AND NEW.is_current) OR (TG_OP = 'DELETE' AND OLD.is_current)
               OR (TG_OP = 'UPDATE' AND ({POLICY_CHANGED})) THEN
                PERFORM 1 FROM dues_balances ORDER BY organization_id FOR UPDATE;
                {reckon(dialect)};
            END IF;""")
    else:
        _sqlite('dues_balances_on_organization', 'AFTER INSERT ON organizations', None,
                on_organization(dialect))
        _sqlite('dues_balances_on_organization_changed',
                'AFTER UPDATE OF status, joined_on, chapter_id ON organizations', ORGANIZATION_CHANGED[dialect],
                on_organization_changed(dialect))
        _sqlite('dues_balances_on_payment', 'AFTER INSERT ON dues_entries',
                "NEW.kind = 'payment'", ON_PAYMENT)
        _sqlite('dues_balances_on_void', 'AFTER INSERT ON dues_entries',
                "NEW.kind = 'void'", ON_VOID)
        _sqlite('dues_balances_on_remittance', 'AFTER INSERT ON dues_remittances', None,
                _on_remittance('NEW', '-'))
        _sqlite('dues_balances_on_remittance_deleted', 'AFTER DELETE ON dues_remittances',
                None, _on_remittance('OLD', '+'))
        _sqlite('dues_balances_on_remittance_moved',
                'AFTER UPDATE OF entry_id ON dues_remittances', None,
                _on_remittance('OLD', '+') + ";" + _on_remittance('NEW', '-'))
        _sqlite('dues_balances_on_policy_added', 'AFTER INSERT ON dues_policies',
                "NEW.is_current", reckon(dialect))
        _sqlite('dues_balances_on_policy_changed', 'AFTER UPDATE OF is_current, payments_from, '
                'rate_cents, first_year, last_year ON dues_policies', POLICY_CHANGED,
                reckon(dialect))
        _sqlite('dues_balances_on_policy_deleted', 'AFTER DELETE ON dues_policies',
                "OLD.is_current", reckon(dialect))


PG_FUNCTIONS = ('dues_balances_on_organization', 'dues_balances_on_entry',
                'dues_balances_on_remittance', 'dues_balances_on_policy')
PG_TABLES = ('organizations', 'dues_entries', 'dues_remittances', 'dues_policies')
SQLITE_TRIGGERS = ('dues_balances_on_organization', 'dues_balances_on_organization_changed',
                   'dues_balances_on_payment',
                   'dues_balances_on_void', 'dues_balances_on_remittance',
                   'dues_balances_on_remittance_deleted', 'dues_balances_on_remittance_moved',
                   'dues_balances_on_policy_added',
                   'dues_balances_on_policy_changed', 'dues_balances_on_policy_deleted')


_OWNER = "(SELECT organization_id FROM dues_entries WHERE id = {entry})"


def _lock_balance(organization: str) -> str:
    return (f"PERFORM 1 FROM dues_balances WHERE organization_id = {organization} "
            "FOR UPDATE")


def _plpgsql(name: str, when: str, body: str) -> None:
    op.execute(f"""
        CREATE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN
            {body}
            RETURN NULL;
        END $$ LANGUAGE plpgsql""")
    op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION {name}()")


def _sqlite(name: str, when: str, condition: str | None, body: str) -> None:
    where = f" WHEN {condition}" if condition else ""
    op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW{where} BEGIN {body}; END")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for name, table in zip(PG_FUNCTIONS, PG_TABLES, strict=True):
            op.execute(f"DROP TRIGGER {name} ON {table}")
            op.execute(f"DROP FUNCTION {name}()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_index('ix_registrations_assembly_chapter_state', table_name='registrations')
    op.drop_index('ix_dues_balances_chapter', table_name='dues_balances')
    op.drop_table('dues_balances')
