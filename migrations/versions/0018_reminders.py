"""reminders: one row per digest sent (unique per recipient, kind and period), and each
account's choice to receive them

Revision ID: 0018_reminders
Revises: 0017_publications
Create Date: 2026-11-30 08:25:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_reminders'
down_revision = '0017_publications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=24), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_digests_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_digests')),
    sa.UniqueConstraint('user_id', 'kind', 'period', name='uq_reminder_digests_user_kind_period')
    )
    with op.batch_alter_table('reminder_digests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_digests_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminders', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('reminders')
    with op.batch_alter_table('reminder_digests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_digests_user_id'))
    op.drop_table('reminder_digests')
