"""Migration 0005 creates exactly the grants tables the models describe, and goes back cleanly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import app.models  # noqa: F401 - every table in the metadata
from app import migrate
from app.db import Base

GRANTS_TABLES = {t for t in Base.metadata.tables if t.startswith("grants_")}


def _grants_only(obj, name, type_, reflected, compare_to):
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is not None and table.name.startswith("grants_")


def differences(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": _grants_only})
    return compare_metadata(context, Base.metadata)


def test_the_migrated_schema_matches_the_models_on_this_engine(engine):
    with engine.connect() as connection:
        assert GRANTS_TABLES <= set(inspect(connection).get_table_names())
        assert differences(connection) == []


def test_0005_downgrades_and_upgrades_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    migrate.upgrade(url, "head")
    engine = create_engine(url)
    try:
        assert GRANTS_TABLES <= set(inspect(engine).get_table_names())
        migrate.downgrade(url, "0004")
        assert not {t for t in inspect(engine).get_table_names() if t.startswith("grants_")}
        migrate.upgrade(url, "head")
        with engine.connect() as connection:
            assert differences(connection) == []
    finally:
        engine.dispose()
