"""users and four-eyes: invitation links; who created and who submitted a grant application;
job runs that found nothing to do are counted per job and day

``user_invitations`` holds the SHA-256 of each one-time link with which a new user chooses
a first password. ``grants_applications.created_by`` and ``submitted_by`` let the four-eyes
rule keep the creator and the submitter from deciding; existing applications take them from
the event store (the actor of ``ApplicationCreated`` / ``ApplicationSubmitted`` is the e-mail
address of the user who acted).

Revision ID: 0012_workspace
Revises: 0012_ledger_batches
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_workspace'
down_revision = '0012_ledger_batches'
branch_labels = None
depends_on = None

BACKFILL = ("UPDATE grants_applications SET {column} = (SELECT MIN(u.id) FROM events e JOIN users u "
            "ON u.email = e.actor WHERE e.aggregate_type = 'GrantApplication' AND e.type = '{event}' "
            "AND e.aggregate_id = CAST(grants_applications.id AS VARCHAR(64)))")


def upgrade() -> None:
    op.create_table('user_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_invitations_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_invitations_token_hash'))
    )
    op.create_index(op.f('ix_user_invitations_user_id'), 'user_invitations', ['user_id'], unique=False)
    with op.batch_alter_table('grants_applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_grants_applications_created_by_users'), 'users',
                                    ['created_by'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_grants_applications_submitted_by_users'), 'users',
                                    ['submitted_by'], ['id'], ondelete='SET NULL')
    op.execute(BACKFILL.format(column="created_by", event="ApplicationCreated"))
    op.execute(BACKFILL.format(column="submitted_by", event="ApplicationSubmitted"))
    op.create_table('job_idle_days',
    sa.Column('job_id', sa.String(length=80), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(), nullable=False),
    sa.Column('last_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('job_id', 'day', name=op.f('pk_job_idle_days'))
    )


def downgrade() -> None:
    op.drop_table('job_idle_days')
    with op.batch_alter_table('grants_applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_grants_applications_submitted_by_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_grants_applications_created_by_users'), type_='foreignkey')
        batch_op.drop_column('submitted_by')
        batch_op.drop_column('created_by')
    op.drop_index(op.f('ix_user_invitations_user_id'), table_name='user_invitations')
    op.drop_table('user_invitations')
