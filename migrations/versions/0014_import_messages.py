"""import_batches.message_data: why a file was refused or an import stopped, as a message said
in the reader's language (``message`` keeps the English sentence; batches before keep only it)

Revision ID: 0014_import_messages
Revises: 0013_iati_publish
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_import_messages'
down_revision = '0013_iati_publish'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('import_batches', sa.Column('message_data', sa.JSON(), nullable=True))


def downgrade() -> None:
    # a plain ALTER TABLE on both engines (SQLite 3.35+): no copy of the table and its rows
    op.drop_column('import_batches', 'message_data')
