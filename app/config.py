"""Settings read from the environment. Defaults suit a developer's machine."""
from __future__ import annotations

import os
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def _development_secret() -> str:
    """One secret per installation, kept in instance/, so every worker signs alike."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        draft = INSTANCE_DIR / f"secret_key.{os.getpid()}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # atomic: the first worker's key wins, complete
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _percent(name: str, default: str) -> Decimal:
    """A percentage from 0 to 100 with at most two decimals ("40", "37.5")."""
    raw = os.environ.get(name) or default
    try:
        value = Decimal(raw.strip().rstrip("%").strip().replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= 100 or value != value.quantize(Decimal("0.01")):
        raise RuntimeError(f"{name} must be a percentage from 0 to 100 with at most two decimals, not {raw[:20]!r}")
    return value.quantize(Decimal("0.01"))


def rio_marker_percents() -> dict:
    """The share of ODA counted as climate finance for a Rio marker of 2 (principal) and of 1
    (significant); significant may not count more than principal."""
    principal = _percent("AIDLEDGER_RIO_PRINCIPAL_PERCENT", "100")
    significant = _percent("AIDLEDGER_RIO_SIGNIFICANT_PERCENT", "40")
    if significant > principal:
        raise RuntimeError(f"AIDLEDGER_RIO_SIGNIFICANT_PERCENT ({significant}) is more than "
                           f"AIDLEDGER_RIO_PRINCIPAL_PERCENT ({principal})")
    return {"AIDLEDGER_RIO_PRINCIPAL_PERCENT": principal, "AIDLEDGER_RIO_SIGNIFICANT_PERCENT": significant}


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'aidledger.sqlite3'}"


def load_config() -> dict:
    """Build the Flask config mapping from AIDLEDGER_* and the usual variables."""
    production = os.environ.get("AIDLEDGER_ENV", "development") == "production"
    secret = os.environ.get("SECRET_KEY")
    if production and not secret:
        raise RuntimeError("SECRET_KEY must be set when AIDLEDGER_ENV=production")
    return {
        "AIDLEDGER_ENV": "production" if production else "development",
        "SECRET_KEY": secret or _development_secret(),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or default_database_url(),
        "MAX_CONTENT_LENGTH": _int("AIDLEDGER_MAX_UPLOAD_BYTES", 20 * 1024 * 1024),
        "AIDLEDGER_MAX_UNCOMPRESSED_BYTES": _int("AIDLEDGER_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024),
        "AIDLEDGER_MAX_IMPORT_ROWS": _int("AIDLEDGER_MAX_IMPORT_ROWS", 1_000_000),
        "AIDLEDGER_DONOR_CODE": os.environ.get("AIDLEDGER_DONOR_CODE", "2"),
        "AIDLEDGER_AGENCY_CODE": os.environ.get("AIDLEDGER_AGENCY_CODE", "70"),
        "AIDLEDGER_REPORTING_CURRENCY": "EUR",
        **rio_marker_percents(),
        # IATI TiedStatus reported for commitments whose activity states none: 5 untied (Flemish grants)
        "AIDLEDGER_DEFAULT_TIED_STATUS": os.environ.get("AIDLEDGER_DEFAULT_TIED_STATUS", "5"),
        # IATI publication: the folder of the official 2.03 schemas and ruleset-standard.json
        # (iati-activities-schema.xsd, iati-organisations-schema.xsd, iati-common.xsd, xml.xsd), and
        # the folder of the official IATI code-list XML files (unset: those code checks are skipped)
        "AIDLEDGER_IATI_SCHEMA_DIR": os.environ.get("AIDLEDGER_IATI_SCHEMA_DIR") or None,
        "AIDLEDGER_IATI_CODELIST_DIR": os.environ.get("AIDLEDGER_IATI_CODELIST_DIR") or None,
        "AIDLEDGER_SCHEDULER_LEASE_SECONDS": _int("AIDLEDGER_SCHEDULER_LEASE_SECONDS", 30),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or os.environ.get("AIDLEDGER_SECURE_COOKIES") == "1",
        "PERMANENT_SESSION_LIFETIME": _int("AIDLEDGER_SESSION_SECONDS", 8 * 3600),
        "AIDLEDGER_SESSION_IDLE_SECONDS": _int("AIDLEDGER_SESSION_IDLE_SECONDS", 30 * 60),
        "AIDLEDGER_PROXY_HOPS": _int("AIDLEDGER_PROXY_HOPS", 0),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        #: times on the pages are local: Flanders reads Europe/Brussels (stored times stay UTC)
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("AIDLEDGER_TIMEZONE", "Europe/Brussels"),
        "LANGUAGES": ("en", "nl"),
        "API_TITLE": "Aidledger API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
