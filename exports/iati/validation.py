"""Validating an IATI 2.03 file before it is published: schema, codes and the standard ruleset.

``validate_iati_file`` reads the file one activity (organisation) at a time and checks
each against the official XSD, every code against the code lists, and every rule of
``ruleset-standard.json``; it returns a ValidationReport of Findings (errors block
publication, warnings do not). A file that cannot be read safely (empty, not XML, a
DOCTYPE, over a parser limit) gives one "file" error, never an exception.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import gettext
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.messages import said
from exports.iati.codelists import load_codelist
from exports.iati.identity import IatiSetupError
from exports.iati.codes import CodeChecker, codelist_link
from exports.iati.findings import CODELIST, ERROR, FILE, SCHEMA, WARNING, Finding, ValidationReport
from exports.iati.reading import (END, IDENTIFIER, KINDS, STRAY, FileRefused, identifier_of, iter_units,
                                  relative_path)
from exports.iati.rule_types import IdSets
from exports.iati.ruleset import STANDARD_URL, Ruleset, load_ruleset
from exports.iati.schema import REQUIRED_FILES, load_schema, root_errors, unit_errors

__all__ = ["Finding", "ValidationReport", "validate_iati_file", "iati_schema_dir", "iati_codelist_dir"]

SCHEMA_SETTING, CODELIST_SETTING = "AIDLEDGER_IATI_SCHEMA_DIR", "AIDLEDGER_IATI_CODELIST_DIR"
#: the IATI list of organisation-identifier prefixes (rule ``startswith`` ORG-ID-PREFIX)
REGISTRATION_AGENCIES = "OrganisationRegistrationAgency"
MAX_FINDINGS = 10_000
_FROM_CONFIG = object()


def iati_schema_dir(config: Mapping) -> Path:
    """The folder of the official IATI 2.03 schemas and ruleset (AIDLEDGER_IATI_SCHEMA_DIR)."""
    value = config.get(SCHEMA_SETTING)
    folder = Path(value) if value else None
    missing = [name for name in REQUIRED_FILES if folder is None or not (folder / name).is_file()]
    if missing:
        where = (gettext("%(folder)s lacks %(files)s", folder=folder, files=", ".join(missing)) if folder
                 else gettext("it is not set"))
        raise IatiSetupError(gettext("%(setting)s must name the folder of the official IATI 2.03 schemas and ruleset "
                                     "(%(files)s); %(where)s", setting=SCHEMA_SETTING,
                                     files=", ".join(REQUIRED_FILES), where=where), SCHEMA_SETTING)
    return folder


def iati_codelist_dir(config: Mapping) -> Path | None:
    """The folder of the official IATI code-list XML files (AIDLEDGER_IATI_CODELIST_DIR), or None."""
    value = config.get(CODELIST_SETTING)
    if not value:
        return None
    folder = Path(value)
    if not folder.is_dir():
        raise IatiSetupError(gettext("%(setting)s names %(path)s, which is not a folder", setting=CODELIST_SETTING,
                                     path=folder), CODELIST_SETTING)
    return folder


def validate_iati_file(session: Session, path: Path, kind: str, schema_dir: Path, *,
                       codelist_dir: Path | None | object = _FROM_CONFIG) -> ValidationReport:
    """Check the IATI file at ``path`` (``kind`` "activities" or "organisations").

    ``codelist_dir``: the folder of the IATI code-list files; by default the app's
    AIDLEDGER_IATI_CODELIST_DIR (None: codes of lists Aidledger does not load are not checked)."""
    if kind not in KINDS:
        raise ValidationError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}", "kind")
    if codelist_dir is _FROM_CONFIG:
        codelist_dir = iati_codelist_dir(current_app.config) if has_app_context() else None
    run = _Run(session, kind, load_schema(schema_dir, kind), load_ruleset(schema_dir, kind), codelist_dir)
    try:
        run.read(Path(path))
    except FileRefused as refused:
        run.findings.append(Finding(ERROR, FILE, said("the file was refused: %(reason)s", reason=refused.args[0]),
                                    None, "", None))
    return ValidationReport(kind, run.checked, tuple(run.findings + run.closing_findings()))


def element_page(kind: str, path: str) -> str:
    """The page of the IATI 2.03 reference about the element at ``path`` in a unit
    (``transaction[2]/value`` → …/iati-activity/transaction/value/)."""
    root_tag, unit_tag = KINDS[kind]
    steps = [re.sub(r"\[.*\]$", "", step) for step in path.split("/") if step and not step.startswith("@")]
    standard = "activity-standard" if kind == "activities" else "organisation-standard"
    return f"{STANDARD_URL}{'/'.join([standard, root_tag, unit_tag] + steps)}/"


class _Run:
    """The state of one validation: counts, findings, what could not be checked."""

    def __init__(self, session: Session, kind: str, schema, ruleset: Ruleset, codelist_dir: Path | None):
        self.kind, self.schema, self.ruleset, self.codelist_dir = kind, schema, ruleset, codelist_dir
        self.codes = CodeChecker(session, codelist_dir)
        agencies = load_codelist(codelist_dir, REGISTRATION_AGENCIES) if codelist_dir else None
        self.id_sets = IdSets(org_id_prefixes=frozenset(agencies.codes) if agencies else None)
        self.checked = 0
        self.findings: list[Finding] = []
        self.dropped: Counter = Counter()
        self.seen_identifiers: set[str] = set()
        self.not_checked_rules: dict[str, Finding] = {}
        self.root_checked = False

    def read(self, path: Path) -> None:
        for unit in iter_units(path, self.kind):
            if unit.role == STRAY:
                self._stray(unit.element)
            elif unit.role == END:
                if not self.root_checked:
                    self._root(unit.root, None)
            else:
                if not self.root_checked:
                    self._root(unit.root, unit.element)
                self._unit(unit.element)

    def _root(self, root, first_unit) -> None:
        self.root_checked = True
        for error in root_errors(self.schema, root, first_unit):
            self._add(Finding(ERROR, SCHEMA, error.message, None, "", None))

    def _stray(self, element) -> None:
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            unit_tag = KINDS[self.kind][1]
            self._add(Finding(ERROR, SCHEMA, said("Element '%(element)s': This element is not expected. Expected is "
                                                  "( %(expected)s ).", element=element.tag, expected=unit_tag),
                              None, "", None))

    def _unit(self, unit) -> None:
        self.checked += 1
        identifier = identifier_of(unit, self.kind)
        if identifier is not None:
            self._duplicate(identifier)
        for error in unit_errors(self.schema, unit):
            page = element_page(self.kind, error.path)
            self._add(Finding(ERROR, SCHEMA, error.message, identifier, error.path, page))
        for finding in self.codes.findings(unit, identifier):
            self._add(finding)
        for failure in self.ruleset.failures(unit, self.id_sets):
            where = "/".join(p for p in (relative_path(unit, failure.element), failure.where) if p)
            info = failure.info
            if failure.not_checked:
                if info.rule_id not in self.not_checked_rules:
                    self.not_checked_rules[info.rule_id] = Finding(WARNING, info.rule_id, said(
                        "not checked (the list of %(list)s prefixes is not in %(setting)s): %(message)s",
                        list=REGISTRATION_AGENCIES, setting=CODELIST_SETTING, message=info.message), None, where,
                        info.link)
            else:
                self._add(Finding(info.severity, info.rule_id, info.message, identifier, where, info.link))

    def _add(self, finding: Finding) -> None:
        """Keep the first MAX_FINDINGS findings; count the rest (a file full of errors must not
        fill the memory)."""
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)
        else:
            self.dropped[finding.severity] += 1

    def _duplicate(self, identifier: str) -> None:
        """IATI Validator rule 1.1.2 (file level; not in the ruleset, which sees one activity)."""
        if identifier in self.seen_identifiers:
            message = (said("The activity identifier must be unique for each activity.") if self.kind == "activities"
                       else said("The organisation identifier must be unique for each organisation."))
            self._add(Finding(ERROR, "1.1.2", message, identifier, IDENTIFIER[self.kind], None))
        self.seen_identifiers.add(identifier)

    def closing_findings(self) -> list[Finding]:
        """Once per file: what could not be checked, so that nothing is skipped silently."""
        closing = list(self.not_checked_rules.values())
        if self.dropped:
            worst = ERROR if self.dropped[ERROR] else WARNING
            closing.append(Finding(worst, FILE, said(
                "%(count)d more findings are not listed (%(errors)d errors, %(warnings)d warnings): only the first "
                "%(max)d are kept", count=sum(self.dropped.values()), errors=self.dropped[ERROR],
                warnings=self.dropped[WARNING], max=MAX_FINDINGS), None, "", None))
        if self.codelist_dir is None and self.checked:
            closing.append(Finding(WARNING, CODELIST, said(
                "%(setting)s is not set: codes of the IATI lists Aidledger does not load (%(lists)s) were not checked",
                setting=CODELIST_SETTING, lists=", ".join(sorted(self.codes.not_checked))), None, "", None))
        else:
            closing += [Finding(WARNING, CODELIST, said("%(list)s.xml is not in %(setting)s: %(list)s codes were not "
                                                        "checked", list=name, setting=CODELIST_SETTING),
                                None, where, codelist_link(name))
                        for name, where in sorted(self.codes.not_checked.items())]
        return closing

