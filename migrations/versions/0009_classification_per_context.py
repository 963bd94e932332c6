"""oda: a line's classification is derived from its context's evaluation

The per-transaction result table ``oda_classifications`` goes: a line's status, share
and ODA amounts follow from its evaluation (activity, year, currency) and a current
override (``oda.models.lines``). Evaluations keep the status they had before they last
changed; ``oda_line_changes`` keeps when the classifier saw a queued line (new or
corrected) in a context whose evaluation stayed the same.

Nothing is lost: every stored result was its evaluation (or override) applied to the
amount. Run ``flask --app wsgi oda classify`` after upgrading to fill the new columns.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('oda_classifications', schema=None) as batch_op:
        batch_op.drop_index('ix_oda_classifications_year_status')
    op.drop_table('oda_classifications')
    with op.batch_alter_table('oda_evaluations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_status', sa.String(length=20), nullable=True))
    op.create_table(
        'oda_line_changes',
        sa.Column('transaction_id', BIG_ID, autoincrement=False, nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'],
                                name=op.f('fk_oda_line_changes_transaction_id_transactions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('transaction_id', name=op.f('pk_oda_line_changes')),
    )


def downgrade() -> None:
    """Back to stored per-transaction results: the table comes back empty; classify again."""
    op.drop_table('oda_line_changes')
    with op.batch_alter_table('oda_evaluations', schema=None) as batch_op:
        batch_op.drop_column('previous_status')
    op.create_table(
        'oda_classifications',
        sa.Column('transaction_id', BIG_ID, autoincrement=False, nullable=False),
        sa.Column('evaluation_id', BIG_ID, nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('amount_eur_minor', sa.BigInteger(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('computed_status', sa.String(length=20), nullable=False),
        sa.Column('share_e10', sa.BigInteger(), nullable=True),
        sa.Column('oda_amount_minor', sa.BigInteger(), nullable=True),
        sa.Column('oda_amount_eur_minor', sa.BigInteger(), nullable=True),
        sa.Column('units_per_eur_e10', sa.BigInteger(), nullable=True),
        sa.Column('override_id', sa.Integer(), nullable=True),
        sa.Column('reference_version', sa.Integer(), nullable=False),
        sa.Column('rules_version', sa.String(length=20), nullable=False),
        sa.Column('previous_status', sa.String(length=20), nullable=True),
        sa.Column('previous_oda_amount_eur_minor', sa.BigInteger(), nullable=True),
        sa.Column('classified_at', sa.DateTime(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'],
                                name=op.f('fk_oda_classifications_transaction_id_transactions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('transaction_id', name=op.f('pk_oda_classifications')),
    )
    with op.batch_alter_table('oda_classifications', schema=None) as batch_op:
        batch_op.create_index('ix_oda_classifications_year_status', ['year', 'status'], unique=False)
