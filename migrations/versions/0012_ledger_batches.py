"""transactions.import_row: the row of its import batch a ledger line came from

A spending import stores row results only for rows with something to say (an error,
a warning, an update, an unchanged line); a plain new row is answered from its line,
which carries its batch id and, now, its row number.

Revision ID: 0012_ledger_batches
Revises: 0012_submission
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_ledger_batches'
down_revision = '0012_submission'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('transactions') as batch:
        batch.add_column(sa.Column('import_row', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('transactions') as batch:
        batch.drop_column('import_row')
