"""Set-based writes for large imports: plain Core tables (no ORM objects, no per-row
type processing) and chunked IN-lookups that stay within every engine's limits.
Driver-level inserts are app.bulk's."""
from __future__ import annotations

from typing import Iterable, Iterator, Sequence

import sqlalchemy as sa

CHUNK = 5000

#: the transactions table as the bulk path writes it: money already in cents
TRANSACTIONS = sa.table(
    "transactions",
    sa.column("id", sa.BigInteger), sa.column("activity_id", sa.Integer), sa.column("kind", sa.String),
    sa.column("date", sa.Date), sa.column("amount_minor", sa.BigInteger), sa.column("currency", sa.String),
    sa.column("amount_eur_minor", sa.BigInteger), sa.column("source", sa.String),
    sa.column("document_number", sa.String), sa.column("description", sa.String),
    sa.column("budget_article", sa.String), sa.column("import_batch_id", sa.Integer),
    sa.column("recorded_at", sa.DateTime), sa.column("version", sa.Integer),
)

ACTIVITIES = sa.table("activities", sa.column("id", sa.Integer), sa.column("programme_id", sa.Integer))

IMPORT_ROWS = sa.table(
    "import_rows",
    sa.column("batch_id", sa.Integer), sa.column("row_number", sa.Integer), sa.column("outcome", sa.String),
    sa.column("severity", sa.String), sa.column("column", sa.String), sa.column("reason", sa.Text),
    sa.column("findings", sa.JSON(none_as_null=True)), sa.column("key", sa.String),
    sa.column("entity_id", sa.String), sa.column("raw", sa.JSON(none_as_null=True)),
)

def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def insert_rows(session, table, rows: list[dict], size: int = CHUNK) -> None:
    for chunk in chunks(rows, size):
        session.execute(sa.insert(table), list(chunk))


def select_in(session, stmt_for: callable, keys: Iterable, size: int = CHUNK) -> list:
    """Run ``stmt_for(chunk_of_keys)`` per chunk and gather the rows."""
    keys = list(keys)
    found = []
    for chunk in chunks(keys, size):
        found.extend(session.execute(stmt_for(list(chunk))).all())
    return found
