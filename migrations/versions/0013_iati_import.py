"""import_batches.options: what the uploader chose besides the kind and mode (an IATI file's
target programme and code prefix), kept with the batch so a queued upload is imported as asked;
import_batches.not_imported: what the file held that the kind does not import, counted;
import_batches.size_bytes: 64 bits, so a file of 2 GiB or more is recorded as refused on PostgreSQL

Revision ID: 0013_iati_import
Revises: 0013_i18n
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_iati_import'
down_revision = '0013_i18n'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('options', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('not_imported', sa.JSON(), nullable=True))
        batch_op.alter_column('size_bytes', existing_type=sa.Integer(), type_=sa.BigInteger())


def downgrade() -> None:
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.alter_column('size_bytes', existing_type=sa.BigInteger(), type_=sa.Integer())
        batch_op.drop_column('not_imported')
        batch_op.drop_column('options')
