"""oda_evaluations: a partial index of the contexts the rules leave open (needs review, or no
rate), which the grouped review queue, Year close and the overview's alerts read; the index
by year and status covers what Year close counts per year (activity, lines, rate, share)

Revision ID: 0013_open_contexts
Revises: 0012_review_groups
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_open_contexts'
down_revision = '0012_review_groups'
branch_labels = None
depends_on = None

OPEN_CONTEXTS = sa.text("status = 'needs_review' OR units_per_eur_e10 IS NULL")

YEAR_STATUS = ['year', 'status']
COVERING = ['year', 'status', 'activity_id', 'lines', 'units_per_eur_e10', 'share_e10']


def upgrade() -> None:
    op.drop_index('ix_oda_evaluations_year_status', table_name='oda_evaluations')
    op.create_index('ix_oda_evaluations_year_status', 'oda_evaluations', COVERING)
    op.create_index('ix_oda_evaluations_open', 'oda_evaluations', ['year', 'activity_id'],
                    sqlite_where=OPEN_CONTEXTS, postgresql_where=OPEN_CONTEXTS)


def downgrade() -> None:
    op.drop_index('ix_oda_evaluations_open', table_name='oda_evaluations')
    op.drop_index('ix_oda_evaluations_year_status', table_name='oda_evaluations')
    op.create_index('ix_oda_evaluations_year_status', 'oda_evaluations', YEAR_STATUS)
