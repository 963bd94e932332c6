"""oda_evaluations: the number of lines of each evaluation's context

The portfolio's "ODA lines to review" and the review queue's count read how many lines
each evaluation applies to, instead of deriving every line's outcome from the ledger
(a million lines per request). The classification run keeps the count (it already
counts each context's lines); here it is filled once from the ledger.

Revision ID: 0011_pages
Revises: 0011_hardening
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_pages'
down_revision = '0011_hardening'
branch_labels = None
depends_on = None

YEAR = {"sqlite": "CAST(substr(date, 1, 4) AS INTEGER)", "postgresql": "CAST(EXTRACT(year FROM date) AS INTEGER)"}


def upgrade() -> None:
    op.add_column('oda_evaluations', sa.Column('lines', sa.BigInteger(), nullable=False, server_default='0'))
    op.create_index('ix_oda_evaluations_year_status', 'oda_evaluations', ['year', 'status'])
    year = YEAR[op.get_bind().dialect.name]
    op.execute(f"""
        UPDATE oda_evaluations SET lines = counted.lines
        FROM (SELECT activity_id, {year} AS year, currency, count(*) AS lines
              FROM transactions GROUP BY activity_id, {year}, currency) AS counted
        WHERE counted.activity_id = oda_evaluations.activity_id AND counted.year = oda_evaluations.year
          AND counted.currency = oda_evaluations.currency""")


def downgrade() -> None:
    op.drop_index('ix_oda_evaluations_year_status', table_name='oda_evaluations')
    with op.batch_alter_table('oda_evaluations', schema=None) as batch_op:
        batch_op.drop_column('lines')
