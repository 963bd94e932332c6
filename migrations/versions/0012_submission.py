"""exports_submissions: a final CRS export submits its year, which stays locked until reopened

Revision ID: 0012_submission
Revises: 0011_pages
"""
import sqlalchemy as sa
from alembic import op


revision = '0012_submission'
down_revision = '0011_pages'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'exports_submissions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('reference_version', sa.Integer(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('submitted_by', sa.String(length=120), nullable=False),
        sa.Column('reopened_at', sa.DateTime(), nullable=True),
        sa.Column('reopened_by', sa.String(length=120), nullable=True),
        sa.Column('reopen_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['run_id'], ['exports_runs.id'],
                                name=op.f('fk_exports_submissions_run_id_exports_runs'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exports_submissions')),
        sa.UniqueConstraint('run_id', name=op.f('uq_exports_submissions_run_id')),
    )
    op.create_index('ix_exports_submissions_year', 'exports_submissions', ['year', 'id'])


def downgrade() -> None:
    op.drop_index('ix_exports_submissions_year', table_name='exports_submissions')
    op.drop_table('exports_submissions')
