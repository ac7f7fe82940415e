"""letters: visa invitation letters and certificates of attendance (issued_documents, one
table with a kind), and the registration's "needs a visa letter"

Revision ID: 0010_letters
Revises: 0009_fees
Create Date: 2026-11-30 04:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_letters'
down_revision = '0009_fees'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_visa_letter', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    op.create_table('issued_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('letter', 'certificate', name='document_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('chapter_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('requested', 'issued', 'refused', 'withdrawn', name='document_state', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('holder_name', sa.String(length=160), nullable=False),
    sa.Column('nationality', sa.String(length=80), nullable=True),
    sa.Column('passport_number', sa.String(length=40), nullable=True),
    sa.Column('passport_expiry', sa.Date(), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('personal_data_erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('organization_name', sa.String(length=200), nullable=False),
    sa.Column('chapter_name', sa.String(length=120), nullable=False),
    sa.Column('stay_from', sa.Date(), nullable=True),
    sa.Column('stay_to', sa.Date(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('issuer_name', sa.String(length=120), nullable=False),
    sa.Column('issuer_title', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('verification_code', sa.String(length=16), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('pdf_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind = 'letter' OR state IN ('issued', 'withdrawn')", name=op.f('ck_issued_documents_certificate_states')),
    sa.CheckConstraint("state <> 'issued' OR (verification_code IS NOT NULL AND issued_at IS NOT NULL)", name=op.f('ck_issued_documents_issued_has_code')),
    sa.CheckConstraint("state <> 'refused' OR length(trim(reason)) > 0", name=op.f('ck_issued_documents_refusal_has_reason')),
    sa.CheckConstraint('length(trim(holder_name)) > 0', name=op.f('ck_issued_documents_holder_named')),
    sa.ForeignKeyConstraint(['assembly_id'], ['assemblies.id'], name=op.f('fk_issued_documents_assembly_id_assemblies')),
    sa.ForeignKeyConstraint(['chapter_id'], ['chapters.id'], name=op.f('fk_issued_documents_chapter_id_chapters')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_issued_documents_decided_by_id_users')),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_issued_documents_registration_id_registrations')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_issued_documents_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_documents')),
    sa.UniqueConstraint('kind', 'registration_id', name='one_per_kind_and_registration')
    )
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_documents_assembly_id'), ['assembly_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_documents_chapter_id'), ['chapter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_documents_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index('uq_issued_documents_verification_code', ['verification_code'], unique=True)


def downgrade():
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.drop_index('uq_issued_documents_verification_code')
        batch_op.drop_index(batch_op.f('ix_issued_documents_registration_id'))
        batch_op.drop_index(batch_op.f('ix_issued_documents_chapter_id'))
        batch_op.drop_index(batch_op.f('ix_issued_documents_assembly_id'))

    op.drop_table('issued_documents')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('needs_visa_letter')
