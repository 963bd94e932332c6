"""exports package tables: export runs, their stored files, CRS identifiers

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exports_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('final', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=60), nullable=True),
    sa.Column('trigger', sa.String(length=10), nullable=False),
    sa.Column('requested_by', sa.String(length=120), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('file_name', sa.String(length=120), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exports_runs'))
    )
    with op.batch_alter_table('exports_runs', schema=None) as batch_op:
        batch_op.create_index('ix_exports_runs_kind_year', ['kind', 'year'], unique=False)
        batch_op.create_index('ix_exports_runs_status_requested', ['status', 'requested_at'], unique=False)

    op.create_table('exports_files',
    sa.Column('run_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['exports_runs.id'], name=op.f('fk_exports_files_run_id_exports_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', name=op.f('pk_exports_files'))
    )
    op.create_table('exports_crs_identifiers',
    sa.Column('activity_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('crs_id', sa.String(length=10), nullable=False),
    sa.Column('commitment_year', sa.Integer(), nullable=False),
    sa.Column('commitment_date', sa.Date(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('assigned_for_year', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_exports_crs_identifiers_activity_id_activities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_exports_crs_identifiers')),
    sa.UniqueConstraint('crs_id', name=op.f('uq_exports_crs_identifiers_crs_id'))
    )


def downgrade() -> None:
    op.drop_table('exports_crs_identifiers')
    op.drop_table('exports_files')
    with op.batch_alter_table('exports_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_exports_runs_status_requested')
        batch_op.drop_index('ix_exports_runs_kind_year')

    op.drop_table('exports_runs')
