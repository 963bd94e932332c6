"""Translations: Babel catalogs in app/translations, compiled when the app starts.

Only the ``.po`` files are kept in git. ``compiled_directory`` turns them into
``.mo`` files under the instance folder whenever a ``.po`` is newer than its
``.mo`` (a fresh clone, a ``git pull``), so every start shows the current Dutch
without a build step. ``flask i18n extract|update|compile|check`` maintain them.
"""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import click
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.cli import AppGroup

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIR = REPO_ROOT / "app" / "translations"
CONFIG_FILE = SOURCE_DIR / "babel.cfg"
TEMPLATE_FILE = SOURCE_DIR / "messages.pot"
#: where translatable strings live: the shared kernel and every domain package
PACKAGES = ("app", "programmes", "oda", "importers", "exports", "grants")
#: besides gettext's own: lazy_gettext, the ``_l`` alias, and the label of a navigation entry
KEYWORDS = ("_l", "said", "lazy_gettext", "lazy_ngettext:1,2", "add_nav_item:3")
DOMAIN = "messages"

i18n_cli = AppGroup("i18n", help="Translations (Dutch and English catalogs).")


def catalogs() -> list[Path]:
    return sorted(SOURCE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compiled_directory(app: Flask) -> str:
    """A directory holding current ``.mo`` files for every ``.po``; compiled when stale."""
    for target in (Path(app.instance_path) / "translations", Path(tempfile.gettempdir()) / "aidledger-translations"):
        try:
            for po in catalogs():
                _compile_if_stale(po, target / po.relative_to(SOURCE_DIR).with_suffix(".mo"))
            return str(target)
        except OSError as exc:  # a read-only instance folder: try the next place
            log.warning("cannot write compiled translations to %s: %s", target, exc)
    return str(SOURCE_DIR)


def _compile_if_stale(po: Path, mo: Path) -> bool:
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return False
    compile_catalog(po, mo)
    return True


def compile_catalog(po: Path, mo: Path) -> None:
    """Write ``mo`` from ``po`` atomically (several workers may start at once)."""
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name, domain=DOMAIN)
    mo.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=mo.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            write_mo(out, catalog)
        os.replace(temporary, mo)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def untranslated(po: Path) -> list[str]:
    """Messages of a catalog without a translation (or marked fuzzy)."""
    with po.open("rb") as source:
        catalog = read_po(source)
    return [str(m.id) for m in catalog if m.id and (not m.string or m.fuzzy
                                                     or (isinstance(m.string, tuple) and not all(m.string)))]


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *args])


@i18n_cli.command("extract")
def extract_command():
    """Collect every translatable string of every package into messages.pot."""
    keywords = [arg for k in KEYWORDS for arg in ("-k", k)]
    # --ignore-dirs: the default also skips folders starting with "_", such as templates/_macros
    _pybabel("extract", "-F", str(CONFIG_FILE), *keywords, "--ignore-dirs", ".* __pycache__",
             "--no-location", "--sort-output",
             "--project", "Aidledger", "-o", str(TEMPLATE_FILE), *[str(REPO_ROOT / p) for p in PACKAGES])
    click.echo(f"wrote {TEMPLATE_FILE.relative_to(REPO_ROOT)}")


@i18n_cli.command("update")
def update_command():
    """Merge messages.pot into the nl and en catalogs (new strings appear untranslated)."""
    _pybabel("update", "-i", str(TEMPLATE_FILE), "-d", str(SOURCE_DIR), "--no-fuzzy-matching",
             "--ignore-obsolete")
    for po in catalogs():
        missing = untranslated(po)
        click.echo(f"{po.relative_to(REPO_ROOT)}: {len(missing)} to translate")


@i18n_cli.command("compile")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Directory for the .mo files (default: the app's instance folder).")
def compile_command(into):
    """Compile the catalogs now (the app also does this by itself at start)."""
    from flask import current_app

    target = into or Path(current_app.instance_path) / "translations"
    for po in catalogs():
        compile_catalog(po, target / po.relative_to(SOURCE_DIR).with_suffix(".mo"))
        click.echo(f"compiled {po.relative_to(REPO_ROOT)} into {target}")


@i18n_cli.command("check")
def check_command():
    """Fail when the Dutch catalog lacks a translation."""
    failing = False
    for po in catalogs():
        if po.parent.parent.name == "en":
            continue  # English msgids are the English text
        missing = untranslated(po)
        for message in missing:
            click.echo(f"{po.relative_to(REPO_ROOT)}: untranslated: {message}")
        failing = failing or bool(missing)
    if failing:
        raise click.ClickException("some messages are not translated")
    click.echo("every message is translated")


def init_app(app: Flask) -> None:
    app.cli.add_command(i18n_cli)
