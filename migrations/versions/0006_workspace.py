"""workspace: the activity_year_totals projection read by the programme pages

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('activity_year_totals',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('committed_minor', sa.BigInteger(), nullable=False),
    sa.Column('disbursed_minor', sa.BigInteger(), nullable=False),
    sa.Column('unconverted', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_year_totals_activity_id_activities')),
    sa.PrimaryKeyConstraint('activity_id', 'year', name=op.f('pk_activity_year_totals'))
    )
    op.create_index('ix_activity_year_totals_unconverted', 'activity_year_totals', ['activity_id'], unique=False,
                    sqlite_where=sa.text('unconverted > 0'), postgresql_where=sa.text('unconverted > 0'))


def downgrade() -> None:
    op.drop_index('ix_activity_year_totals_unconverted', table_name='activity_year_totals')
    op.drop_table('activity_year_totals')
