"""activities: the rest of the CRS record (tied status, loan terms, SDG focus, keywords)

CRS items 36–38 take the commitment's tied status (IATI TiedStatus 3 partially untied,
4 tied, 5 untied; blank = the installation's default, untied for Flemish grants); items
44–49 are a loan's terms (repayment type, repayments per year, interest rates, first and
final repayment dates), from which the grant element and the grant equivalent follow;
SDG focus (up to 10 goals or targets, ``;``-separated) and keywords are written as they
are (``shared/domain/oda-reference.md`` §1.1–1.2). Interest rates are percentages stored
with ten decimals as scaled integers, like exchange rates.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

COLUMNS = (
    ('tied_status', sa.String(length=1)),
    ('loan_repayment_type', sa.SmallInteger()),
    ('loan_repayments_per_year', sa.SmallInteger()),
    ('loan_interest_rate_1_e10', sa.BigInteger()),
    ('loan_interest_rate_2_e10', sa.BigInteger()),
    ('loan_interest_rate_2_date', sa.Date()),
    ('loan_first_repayment_date', sa.Date()),
    ('loan_final_repayment_date', sa.Date()),
    ('sdg_focus', sa.String(length=120)),
    ('keywords', sa.String(length=500)),
)


def upgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
