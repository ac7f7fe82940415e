"""statement publications: the signed revision the public archive shows, and when

Revision ID: 0017_publications
Revises: 0016_signup_language
Create Date: 2026-11-30 08:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_publications'
down_revision = '0016_signup_language'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('statement_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('sign_off_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_publications_statement_id_statements')),
    sa.ForeignKeyConstraint(['revision_id'], ['statement_revisions.id'], name=op.f('fk_statement_publications_revision_id_statement_revisions')),
    sa.ForeignKeyConstraint(['sign_off_id'], ['statement_sign_offs.id'], name=op.f('fk_statement_publications_sign_off_id_statement_sign_offs')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_statement_publications_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_publications'))
    )
    with op.batch_alter_table('statement_publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_publications_statement_id'), ['statement_id'], unique=False)
    # Statements published before this revision: their current (signed) text, published
    # when their state last changed.
    op.execute(
        "INSERT INTO statement_publications (statement_id, revision_id, sign_off_id, "
        "published_at, published_by_id) "
        "SELECT s.id, s.current_revision_id, o.id, s.state_changed_at, s.state_changed_by_id "
        "FROM statements s JOIN statement_sign_offs o ON o.revision_id = s.current_revision_id "
        "WHERE s.state = 'published'")


def downgrade():
    with op.batch_alter_table('statement_publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_publications_statement_id'))
    op.drop_table('statement_publications')
