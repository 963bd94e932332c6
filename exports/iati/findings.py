"""What a validation finds: one Finding per problem, gathered in a ValidationReport.

Re-exported by ``exports.iati.validation``, where the other packages take them from.
"""
from __future__ import annotations

from typing import NamedTuple

ERROR, WARNING = "error", "warning"
#: rule ids that are not the ruleset's
SCHEMA, CODELIST, FILE = "schema", "codelist", "file"


class Finding(NamedTuple):
    severity: str  # "error" or "warning"
    #: the ruleset's id ("6.11.1"); "schema" for an XSD error; "codelist" for a code; "file" for a refused file
    rule_id: str
    #: Aidledger's own sentence is said through the catalogue (``app.messages.Said``: it keeps its msgid and
    #: parameters, so a stored report is read in its reader's language); the ruleset's and libxml2's are their own
    message: str
    #: iati-identifier of the activity (organisation-identifier in an organisation file); None: the whole file
    identifier: str | None
    #: where inside the activity: "activity-date[@type='1']", "transaction[3]/value"
    path: str
    #: the guidance URL or the page of the standard
    link: str | None

    def as_dict(self) -> dict:
        return self._asdict()


class ValidationReport(NamedTuple):
    kind: str  # "activities" or "organisations"
    checked: int
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == WARNING)

    @property
    def ok(self) -> bool:
        """No errors: the file may be published (warnings do not block)."""
        return not any(f.severity == ERROR for f in self.findings)

    def as_dict(self) -> dict:
        """JSON-ready (``--json`` and the API)."""
        return {"kind": self.kind, "checked": self.checked, "ok": self.ok, "errors": len(self.errors),
                "warnings": len(self.warnings), "findings": [f.as_dict() for f in self.findings]}
