"""Commands print only what they have to say; --verbose adds the log lines (Alembic's among them)."""
import logging

import pytest


@pytest.fixture
def scratch(app, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    monkeypatch.setitem(app.config, "DATABASE_URL", url)
    return url


def _info_lines(caplog) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno < logging.WARNING]


def test_db_upgrade_says_one_line_and_no_alembic_info(app, scratch, caplog):
    caplog.set_level(logging.INFO)  # as create_app's logging.basicConfig does outside pytest
    result = app.test_cli_runner().invoke(args=["db", "upgrade", "--revision", "0001"])
    assert result.exit_code == 0, result.output
    [line] = result.output.splitlines()
    assert line.startswith("schema at 0001 on ")
    assert [line for line in _info_lines(caplog) if line.startswith("alembic")] == []


def test_verbose_shows_the_migrations_run(app, scratch, caplog):
    caplog.set_level(logging.INFO)
    result = app.test_cli_runner().invoke(args=["db", "upgrade", "--revision", "0001", "--verbose"])
    assert result.exit_code == 0, result.output
    assert any("Running upgrade  -> 0001" in line for line in _info_lines(caplog))
    quiet_again = app.test_cli_runner().invoke(args=["db", "--verbose", "upgrade", "--revision", "0002"])
    assert quiet_again.exit_code == 0 and any("0001 -> 0002" in line for line in _info_lines(caplog))


def test_every_command_offers_verbose(app):
    missing = []

    def walk(command, path):
        if not any(p.name == "verbose" for p in command.params):
            missing.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    for name, command in app.cli.commands.items():
        walk(command, name)
    assert not missing, missing
