"""exports_runs.language: the requester's language, in which the CRS workbook's sheets for the
officer (Not ODA, Needs review, Summary, Metadata, Changes) are written; earlier runs were English

Revision ID: 0014_export_language
Revises: 0014_import_messages
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_export_language'
down_revision = '0014_import_messages'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('exports_runs') as batch:
        batch.add_column(sa.Column('language', sa.String(5), nullable=False, server_default='en'))


def downgrade() -> None:
    with op.batch_alter_table('exports_runs') as batch:
        batch.drop_column('language')
