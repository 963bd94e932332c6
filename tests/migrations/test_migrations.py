"""The same migrations build the schema the models describe, up and down, on both engines."""
from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

import app.models  # noqa: F401
from app import migrate
from app.db import Base, make_engine


@pytest.fixture
def scratch_url(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    name = f"aidledger_scratch_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield database_url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_upgrade_downgrade_upgrade(scratch_url):
    migrate.upgrade(scratch_url)
    engine = make_engine(scratch_url)
    assert {"events", "transactions", "programmes"} <= set(inspect(engine).get_table_names())
    engine.dispose()
    migrate.downgrade(scratch_url, "base")
    engine = make_engine(scratch_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    migrate.upgrade(scratch_url)


def test_the_chain_is_linear_with_one_head():
    """Two branches that each add a migration after the same one leave two heads, and
    ``db upgrade`` then refuses to run: the second must be chained after the first."""
    scripts = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(scripts.get_heads()) == 1, scripts.get_heads()
    children = {}
    for script in scripts.walk_revisions():
        for parent in script._all_down_revisions:
            children.setdefault(parent, []).append(script.revision)
    assert {parent: kids for parent, kids in children.items() if len(kids) > 1} == {}
