"""exchange_rates.origin: who set a rate (officer, imf, curated)

An officer's rate (the DAC's annual average, entered through the rates import or the
API) is never replaced by a later IMF file, and an IMF rate never by the curated
subset. Existing rows are classified by their source text: the curated file's rows
cite oda-reference.md, IMF rows start with "IMF"; anything else was entered by a person.

Revision ID: 0011_rates
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_rates'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exchange_rates') as batch:
        batch.add_column(sa.Column('origin', sa.String(length=20), server_default='officer', nullable=False))
    op.execute("UPDATE exchange_rates SET origin = CASE WHEN source LIKE '%via oda-reference.md%' THEN 'curated' "
               "WHEN source LIKE 'IMF%' THEN 'imf' ELSE 'officer' END")


def downgrade():
    with op.batch_alter_table('exchange_rates') as batch:
        batch.drop_column('origin')
