"""receipts: one per dues or fee payment (what it printed, its verification code, the
SHA-256 of its PDF), and each organization's language for them

Revision ID: 0019_receipts
Revises: 0018_reminders
Create Date: 2026-11-30 08:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_receipts'
down_revision = '0018_reminders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))

    op.create_table('receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('dues', 'fee', name='receipt_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('dues_entry_id', sa.Integer(), nullable=True),
    sa.Column('fee_entry_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('chapter_id', sa.Integer(), nullable=False),
    sa.Column('verification_code', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('organization_name', sa.String(length=200), nullable=False),
    sa.Column('chapter_name', sa.String(length=120), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('usd_cents', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('recorded_by_name', sa.String(length=120), nullable=False),
    sa.Column('years', sa.String(length=80), nullable=False),
    sa.Column('credit_cents', sa.Integer(), nullable=False),
    sa.Column('registration_name', sa.String(length=160), nullable=False),
    sa.Column('assembly_number', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('pdf_key', sa.String(length=64), nullable=True),
    sa.CheckConstraint("(kind = 'dues') = (dues_entry_id IS NOT NULL) AND (kind = 'fee') = (fee_entry_id IS NOT NULL)", name=op.f('ck_receipts_names_its_payment')),
    sa.ForeignKeyConstraint(['chapter_id'], ['chapters.id'], name=op.f('fk_receipts_chapter_id_chapters')),
    sa.ForeignKeyConstraint(['dues_entry_id'], ['dues_entries.id'], name=op.f('fk_receipts_dues_entry_id_dues_entries')),
    sa.ForeignKeyConstraint(['fee_entry_id'], ['fee_entries.id'], name=op.f('fk_receipts_fee_entry_id_fee_entries')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_receipts_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipts')),
    sa.UniqueConstraint('dues_entry_id', name=op.f('uq_receipts_dues_entry_id')),
    sa.UniqueConstraint('fee_entry_id', name=op.f('uq_receipts_fee_entry_id'))
    )
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipts_chapter_id'), ['chapter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('uq_receipts_verification_code', ['verification_code'], unique=True)


def downgrade():
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.drop_index('uq_receipts_verification_code')
        batch_op.drop_index(batch_op.f('ix_receipts_organization_id'))
        batch_op.drop_index(batch_op.f('ix_receipts_chapter_id'))
    op.drop_table('receipts')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('language')
