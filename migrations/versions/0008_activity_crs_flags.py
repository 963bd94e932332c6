"""activities: the CRS flags FTC, PBA, investment project and associated financing

CRS items 24–27 (``shared/domain/oda-reference.md`` §1.1): 1 or blank in the CRS sheet.
Existing activities get False (blank), which is what the export wrote before.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

FLAGS = ('flag_ftc', 'flag_pba', 'flag_investment_project', 'flag_associated_financing')


def upgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        for name in FLAGS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        for name in reversed(FLAGS):
            batch_op.drop_column(name)
