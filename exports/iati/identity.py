"""Who publishes: the reporting organisation's IATI identifier and names.

The identifier is an installation setting, ``AIDLEDGER_IATI_ORGANISATION_ID``; left
empty it is the DAC form ``XM-DAC-<donor>-<agency>`` from ``AIDLEDGER_DONOR_CODE`` and
``AIDLEDGER_AGENCY_CODE`` (Flanders: ``XM-DAC-2-70``). Its form is checked when the
application starts and again before a file is written: a registration agency prefix
(two capital letters, a hyphen, the agency's code: ``XM-DAC``, ``BE-BCE_KBO``), a hyphen,
then the identifier, with none of the characters the IATI ruleset forbids (space, /, &, |, ?).
"""
from __future__ import annotations

import re
from typing import Mapping, NamedTuple

from flask_babel import gettext

from app.errors import ValidationError

SETTING = "AIDLEDGER_IATI_ORGANISATION_ID"
LANGUAGE_SETTING = "AIDLEDGER_IATI_LANGUAGE"
#: an ISO 639-1 code, as IATI's Language code list holds them
LANGUAGE_FORM = re.compile(r"^[a-z]{2}$")
#: IATI OrganisationType 10: Government
GOVERNMENT = "10"
#: characters XML 1.0 does not allow (§2.2 Char), with the surrogates Python lets a str hold
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
IDENTIFIER_FORM = re.compile(r"^[A-Z]{2}-[A-Z0-9_]+-[A-Za-z0-9._-]*[A-Za-z0-9]$")


class IatiSetupError(ValidationError):
    """An installation setting, or official files, that IATI files cannot be written or checked with."""

    status = 409


class Narrative(NamedTuple):
    #: None: the file's default language
    lang: str | None
    text: str


#: the reporting organisation's name in both languages of the installation
REPORTING_ORG_NAMES = (
    Narrative("en", "Government of Flanders – Department of Foreign Affairs"),
    Narrative("nl", "Vlaamse overheid – Departement Buitenlandse Zaken"),
)


def organisation_identifier(config: Mapping) -> str:
    """The reporting organisation's IATI identifier, checked (``IatiSetupError`` otherwise)."""
    value = (config.get(SETTING) or "").strip()
    if not value:
        value = f"XM-DAC-{config.get('AIDLEDGER_DONOR_CODE', '2')}-{config.get('AIDLEDGER_AGENCY_CODE', '70')}"
    return check_identifier(value)


def file_language(config: Mapping) -> str:
    """The language titles and descriptions are entered in (default ``en``), checked."""
    value = (config.get(LANGUAGE_SETTING) or "en").strip()
    if not LANGUAGE_FORM.match(value):
        raise IatiSetupError(gettext("%(setting)s=%(value)s is not a language code such as en or nl",
                                     setting=LANGUAGE_SETTING, value=repr(value)), LANGUAGE_SETTING)
    return value


def check_identifier(value: str) -> str:
    if not IDENTIFIER_FORM.match(value):
        raise IatiSetupError(gettext(
            "%(setting)s=%(value)s is not an IATI organisation identifier: expected a registration agency prefix "
            "and an identifier such as XM-DAC-2-70 (letters, digits, '-', '_' or '.'; no spaces, /, &, | or ?)",
            setting=SETTING, value=repr(value)), SETTING)
    return value


def activity_identifier(organisation_id: str, code: str) -> str:
    """``<organisation identifier>-<activity code>``, the code stripped of what IATI identifiers may not hold."""
    return f"{organisation_id}-{IDENTIFIER_UNSAFE.sub('_', clean(code))}"


IDENTIFIER_UNSAFE = re.compile(r"[\s/&|?]+")


def clean(text: str | None) -> str:
    """``text`` without the characters XML 1.0 forbids, stripped."""
    return FORBIDDEN.sub("", text or "").strip()
