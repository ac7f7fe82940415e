"""export jobs run by the worker: the ZIP is a file (file_name), attempts counted

Revision ID: 0008_export_files
Revises: 0007_assembly
Create Date: 2026-11-30 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_export_files'
down_revision = '0007_assembly'
branch_labels = None
depends_on = None


def upgrade():
    # ZIPs kept in the database are not carried over (they lived a day): their jobs are
    # shown as expired, and the ZIPs leave the store.
    op.execute("UPDATE export_jobs SET state = 'expired' "
               "WHERE state = 'done' AND document_id IS NOT NULL")
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('file_name', sa.String(length=100), nullable=True))
        batch_op.drop_constraint(batch_op.f('fk_export_jobs_document_id_stored_documents'), type_='foreignkey')
        batch_op.drop_column('document_id')
    op.execute("DELETE FROM stored_documents WHERE kind = 'zip'")


def downgrade():
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_export_jobs_document_id_stored_documents'), 'stored_documents', ['document_id'], ['id'])
        batch_op.drop_column('file_name')
        batch_op.drop_column('attempts')
    # A ZIP on disk is not known to the older code: its job is shown as failed.
    op.execute("UPDATE export_jobs SET state = 'failed', error = 'the ZIP was deleted' "
               "WHERE state IN ('done', 'expired')")
