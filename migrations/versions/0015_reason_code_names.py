"""ODA rule reasons name a country, purpose code, aid type or channel by its code, said in the
reader's language when read: stored reasons whose names are plain English get the coded form
(oda.services.reason_messages); the English sentences and every digest stay the same.

Revision ID: 0015_reason_code_names
Revises: 0014_export_language
"""
from alembic import op
from sqlalchemy import select, update
from sqlalchemy.orm import Session

revision = '0015_reason_code_names'
down_revision = '0014_export_language'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from oda.services.reason_messages import convert_stored_reasons

    session = Session(bind=op.get_bind())
    convert_stored_reasons(session)
    session.flush()


def downgrade() -> None:
    """Back to names stored as plain English (the message keeps every other parameter)."""
    from oda.models import Explanation, GroupDecision, Override

    session = Session(bind=op.get_bind())
    for table, column in ((Explanation.__table__, "reasons"), (Override.__table__, "basis_reasons"),
                          (GroupDecision.__table__, "basis_reasons")):
        for id_, reasons in session.execute(select(table.c.id, table.c[column])).all():
            plain = _plain_names(reasons)
            if plain != reasons:
                session.execute(update(table).where(table.c.id == id_).values({column: plain}))
    session.flush()


def _plain_names(data):
    if isinstance(data, dict) and "named" in data:
        return data["name"]
    if isinstance(data, dict):
        return {key: _plain_names(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain_names(value) for value in data]
    return data
