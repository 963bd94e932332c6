"""import_batches.options: what the uploader chose besides the kind and mode (an IATI file's
target programme and code prefix), kept with the batch so a queued upload is imported as asked;
import_batches.not_imported: what the file held that the kind does not import, counted

Revision ID: 0013_iati_import
Revises: 0013_open_contexts
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_iati_import'
down_revision = '0013_open_contexts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('options', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('not_imported', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_column('not_imported')
        batch_op.drop_column('options')
