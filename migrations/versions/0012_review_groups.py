"""oda_group_decisions: one decision of the ODA officer for an activity-year's review group;
oda_evaluations.amount_minor: the amount of each evaluation's lines (the grouped queue's totals)

Revision ID: 0012_review_groups
Revises: 0012_workspace
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_review_groups'
down_revision = '0012_workspace'
branch_labels = None
depends_on = None

YEAR = {"sqlite": "CAST(substr(date, 1, 4) AS INTEGER)", "postgresql": "CAST(EXTRACT(year FROM date) AS INTEGER)"}
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        'oda_group_decisions',
        sa.Column('id', BIG_ID, primary_key=True, autoincrement=True),
        sa.Column('activity_id', sa.Integer(), sa.ForeignKey('activities.id', ondelete='CASCADE'), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(12), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('share_e10', sa.BigInteger(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('decided_by', sa.String(120), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.Column('basis_explanation_id', sa.BigInteger(), nullable=False),
        sa.Column('basis_status', sa.String(20), nullable=False),
        sa.Column('basis_reasons', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(24), nullable=False),
        sa.Column('flagged_at', sa.DateTime(), nullable=True),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('ended_reason', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
    )
    op.create_index('ix_oda_group_decisions_activity_year', 'oda_group_decisions', ['activity_id', 'year', 'state'])
    current = sa.text("state IN ('active', 'needs_reconfirmation')")
    op.create_index('uq_oda_group_decisions_current', 'oda_group_decisions', ['activity_id', 'year'], unique=True,
                    sqlite_where=current, postgresql_where=current)
    op.add_column('oda_evaluations', sa.Column('amount_minor', sa.BigInteger(), nullable=False, server_default='0'))
    year = YEAR[op.get_bind().dialect.name]
    op.execute(f"""
        UPDATE oda_evaluations SET amount_minor = counted.amount_minor
        FROM (SELECT activity_id, {year} AS year, currency, sum(amount_minor) AS amount_minor
              FROM transactions GROUP BY activity_id, {year}, currency) AS counted
        WHERE counted.activity_id = oda_evaluations.activity_id AND counted.year = oda_evaluations.year
          AND counted.currency = oda_evaluations.currency""")


def downgrade() -> None:
    with op.batch_alter_table('oda_evaluations', schema=None) as batch_op:
        batch_op.drop_column('amount_minor')
    op.drop_index('uq_oda_group_decisions_current', table_name='oda_group_decisions')
    op.drop_index('ix_oda_group_decisions_activity_year', table_name='oda_group_decisions')
    op.drop_table('oda_group_decisions')
