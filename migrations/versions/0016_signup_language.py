"""an info session registrant's language: their mails are written in it

Revision ID: 0016_signup_language
Revises: 0015_user_language
Create Date: 2026-11-30 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_signup_language'
down_revision = '0015_user_language'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('info_session_registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='en',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('info_session_registrations', schema=None) as batch_op:
        batch_op.drop_column('language')
