"""auth: server-side browser sessions, sign-in throttling, every API token expires

``user_sessions`` holds the SHA-256 of each signed-in browser's random key, so a session
ends on the server (logout, password change, deactivation, role change, idle timeout)
whatever a copied cookie says. ``login_throttles`` counts recent failed sign-ins per
account and per client address. API tokens without an expiry get 90 days from now.

Revision ID: 0011_hardening
Revises: 0011_rates
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

revision = '0011_hardening'
down_revision = '0011_rates'
branch_labels = None
depends_on = None

#: app.auth.models.DEFAULT_TOKEN_DAYS when this migration was written
DEFAULT_TOKEN_DAYS = 90


def upgrade() -> None:
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_because', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_user_sessions_key_hash'))
    )
    op.create_index(op.f('ix_user_sessions_user_id'), 'user_sessions', ['user_id'], unique=False)
    op.create_table('login_throttles',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.Column('not_before', sa.DateTime(), nullable=True),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttles'))
    )
    expiry = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=DEFAULT_TOKEN_DAYS)
    op.execute(sa.text("UPDATE api_tokens SET expires_at = :expiry WHERE expires_at IS NULL")
               .bindparams(expiry=expiry))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=True)
    op.drop_table('login_throttles')
    op.drop_index(op.f('ix_user_sessions_user_id'), table_name='user_sessions')
    op.drop_table('user_sessions')
