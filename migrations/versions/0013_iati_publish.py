"""exports_iati_publications, exports_iati_files and exports_iati_contents: each attempt to
publish the IATI files with its validation report, its two files with their SHA-256, and the
bytes once per hash

Revision ID: 0013_iati_publish
Revises: 0013_iati_import
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_iati_publish'
down_revision = '0013_iati_import'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'exports_iati_contents',
        sa.Column('sha256', sa.String(64), primary_key=True),
        sa.Column('content', sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        'exports_iati_publications',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('organisation_ref', sa.String(120), nullable=False),
        sa.Column('activity_count', sa.Integer(), nullable=False),
        sa.Column('transaction_count', sa.Integer(), nullable=False),
        sa.Column('error_count', sa.Integer(), nullable=False),
        sa.Column('warning_count', sa.Integer(), nullable=False),
        sa.Column('report', sa.JSON(), nullable=False),
        sa.Column('trigger', sa.String(10), nullable=False),
        sa.Column('triggered_by', sa.String(120), nullable=False),
    )
    op.create_index('ix_exports_iati_publications_public', 'exports_iati_publications',
                    ['organisation_ref', 'published', 'id'])
    op.create_table(
        'exports_iati_files',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('publication_id', sa.Integer(),
                  sa.ForeignKey('exports_iati_publications.id', ondelete='CASCADE'), nullable=False),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('sha256', sa.String(64), sa.ForeignKey('exports_iati_contents.sha256', ondelete='RESTRICT'),
                  nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.UniqueConstraint('publication_id', 'kind', name=op.f('uq_exports_iati_files_publication_id_kind')),
    )


def downgrade() -> None:
    op.drop_table('exports_iati_files')
    op.drop_index('ix_exports_iati_publications_public', table_name='exports_iati_publications')
    op.drop_table('exports_iati_publications')
    op.drop_table('exports_iati_contents')
