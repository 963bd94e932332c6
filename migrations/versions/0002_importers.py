"""importers: import batches, their queued files and the result of every row

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('file_format', sa.String(length=8), nullable=True),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('progress_rows', sa.Integer(), nullable=False),
    sa.Column('imported_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('unchanged_count', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('warning_count', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('error_code', sa.String(length=40), nullable=True),
    sa.Column('headers', sa.JSON(), nullable=True),
    sa.Column('columns', sa.JSON(), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['import_batches.id'], name=op.f('fk_import_batches_duplicate_of_id_import_batches')),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_import_batches_uploader_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batches_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_batches_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_batches_status'), ['status'], unique=False)

    op.create_table('import_files',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_import_files_batch_id_import_batches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('batch_id', name=op.f('pk_import_files'))
    )
    op.create_table('import_rows',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=True),
    sa.Column('column', sa.String(length=120), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('findings', sa.JSON(), nullable=True),
    sa.Column('key', sa.String(length=120), nullable=True),
    sa.Column('entity_id', sa.String(length=40), nullable=True),
    sa.Column('raw', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_import_rows_batch_id_import_batches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_rows'))
    )
    with op.batch_alter_table('import_rows', schema=None) as batch_op:
        batch_op.create_index('ix_import_rows_batch_outcome', ['batch_id', 'outcome'], unique=False)
        batch_op.create_index('ix_import_rows_batch_row', ['batch_id', 'row_number'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('import_rows', schema=None) as batch_op:
        batch_op.drop_index('ix_import_rows_batch_row')
        batch_op.drop_index('ix_import_rows_batch_outcome')

    op.drop_table('import_rows')
    op.drop_table('import_files')
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batches_status'))
        batch_op.drop_index(batch_op.f('ix_import_batches_sha256'))
        batch_op.drop_index(batch_op.f('ix_import_batches_created_at'))

    op.drop_table('import_batches')
