"""Dutch and English: catalogs complete, compiled at start, chosen per user, formats per language."""
import os
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import force_locale

from app.auth.roles import Role
from app.web import i18n
from app.web.filters import date as format_date
from app.web.filters import money
from tests.builders.web import web  # noqa: F401

METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "_l": None, "said": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2), "add_nav_item": (3,)}


def _source_messages() -> set[str]:
    found = set()
    for package in i18n.PACKAGES:
        for _file, _line, message, _comments, _context in extract_from_dir(
                str(i18n.REPO_ROOT / package), METHODS, keywords=KEYWORDS,
                directory_filter=lambda path: not os.path.basename(path).startswith((".", "__pycache__"))):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_translatable_string_of_every_package_has_a_dutch_translation():
    with (i18n.SOURCE_DIR / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog
                  if m.id and m.string and not m.fuzzy and (not isinstance(m.string, tuple) or all(m.string))}
    missing = sorted(_source_messages() - translated)
    assert not missing, ("strings without a Dutch translation; run `flask --app wsgi i18n extract` and "
                         "`flask --app wsgi i18n update`, then translate app/translations/nl:\n" + "\n".join(missing))


def test_catalogs_are_compiled_when_a_po_is_newer(app, tmp_path):
    app_like = type("AppLike", (), {"instance_path": str(tmp_path)})()
    target = Path(i18n.compiled_directory(app_like))
    mo = target / "nl" / "LC_MESSAGES" / "messages.mo"
    assert mo.exists() and mo.stat().st_size > 10_000
    stamp = mo.stat().st_mtime
    time.sleep(0.01)
    assert i18n.compiled_directory(app_like) == str(target)
    assert mo.stat().st_mtime == stamp, "a current .mo is not compiled again"


def test_dutch_user_reads_dutch_and_belgian_formats(app):
    with app.test_request_context(), force_locale("nl_BE"):
        assert money(Decimal("1234.56")) == "€\xa01.234,56"
        assert format_date(date(2024, 3, 5)) == "5 mrt 2024"
    with app.test_request_context(), force_locale("en"):
        assert money(Decimal("1234.56")) == "€1,234.56"


def test_switching_language_changes_the_page(web):
    client = web.signed_in(Role.FINANCE)
    english = client.get("/").get_data(as_text=True)
    assert "Audit trail" in english and "Skip to content" in english and '<html lang="en">' in english
    response = client.post("/language", data={"locale": "nl", "next": "/"})
    assert response.status_code == 302
    dutch = client.get("/").get_data(as_text=True)
    assert '<html lang="nl-BE">' in dutch
    assert "Auditlogboek" in dutch and "Naar de inhoud" in dutch and "Afmelden" in dutch
    assert 'aria-pressed="true">Nederlands' in dutch
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Audit trail" in client.get("/").get_data(as_text=True)


def test_the_i18n_commands_check_the_catalogs(app):
    result = app.test_cli_runner().invoke(args=["i18n", "check"])
    assert result.exit_code == 0, result.output
    assert "every message is translated" in result.output
