"""ODA rule reasons become messages (a msgid and its parameters, said in the reader's language):
stored reasons get their message (oda.services.reason_messages); digests do not change.

Revision ID: 0013_i18n
Revises: 0013_open_contexts
"""
from alembic import op
from sqlalchemy import select, update
from sqlalchemy.orm import Session

revision = '0013_i18n'
down_revision = '0013_open_contexts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from oda.services.reason_messages import convert_stored_reasons

    session = Session(bind=op.get_bind())
    convert_stored_reasons(session)
    session.flush()


def downgrade() -> None:
    """Back to English sentences only (each reason keeps its ``reason``)."""
    from oda.models import Explanation, GroupDecision, Override

    session = Session(bind=op.get_bind())
    for table, column in ((Explanation.__table__, "reasons"), (Override.__table__, "basis_reasons"),
                          (GroupDecision.__table__, "basis_reasons")):
        for id_, reasons in session.execute(select(table.c.id, table.c[column])).all():
            if any("message" in r for r in reasons or []):
                plain = [{k: v for k, v in r.items() if k != "message"} for r in reasons]
                session.execute(update(table).where(table.c.id == id_).values({column: plain}))
    session.flush()
