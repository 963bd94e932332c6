"""Alembic environment: one set of migrations for SQLite and PostgreSQL."""
from __future__ import annotations

from alembic import context
from sqlalchemy import pool

from app.db import Base, ScaledDecimal, UTCDateTime, make_engine
import app.models  # noqa: F401,E402 - fills Base.metadata

config = context.config
target_metadata = Base.metadata


def _render_item(type_, obj, autogen_context):
    """Write our TypeDecorators as the plain column types they store."""
    if type_ == "type" and isinstance(obj, ScaledDecimal):
        return "sa.BigInteger()"
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; give a database URL")
run_migrations_online()
