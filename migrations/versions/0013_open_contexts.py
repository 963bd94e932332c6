"""oda_evaluations: a partial index of the contexts the rules leave open (needs review, or no
rate), which the grouped review queue, Year close and the overview's alerts read

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


def upgrade() -> None:
    op.create_index('ix_oda_evaluations_open', 'oda_evaluations', ['year', 'activity_id'],
                    sqlite_where=OPEN_CONTEXTS, postgresql_where=OPEN_CONTEXTS)


def downgrade() -> None:
    op.drop_index('ix_oda_evaluations_open', table_name='oda_evaluations')
