"""What every upload kind shares: its columns, row results and the per-row service loop."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Protocol

from sqlalchemy.orm import Session

from app.messages import said
from app.values import CellError, normalise_label

if TYPE_CHECKING:
    from importers.limits import Limits
    from importers.services.parse import ParsedFile

ERROR, WARNING = "error", "warning"


def N_(message: str) -> str:  # noqa: N802 - "mark, translate later": a kind's words are said in the reader's language
    return message


#: the reason of a required cell left empty
EMPTY = N_("is empty; a value is required")

IMPORTED, UPDATED, UNCHANGED, FAILED = "imported", "updated", "unchanged", "error"


@dataclass(frozen=True)
class Column:
    field: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: Any = None


@dataclass(slots=True)
class Finding:
    severity: str
    field: str | None
    reason: str


@dataclass(slots=True)
class RowResult:
    """One data row: its parsed values, and later its outcome and findings."""

    row_number: int
    values: Any = None
    key: str | None = None
    outcome: str | None = None
    findings: list | None = None
    entity_id: str | None = None
    #: the cells as the reader gave them; stored (as JSON) only for rows with errors
    raw: list | None = None

    def add(self, severity: str, field_name: str | None, reason: str) -> None:
        if self.findings is None:
            self.findings = []
        self.findings.append(Finding(severity, field_name, reason))
        if severity == ERROR:
            self.outcome = FAILED

    def error(self, field_name: str | None, reason: str) -> None:
        self.add(ERROR, field_name, reason)

    def warn(self, field_name: str | None, reason: str) -> None:
        self.add(WARNING, field_name, reason)

    @property
    def has_error(self) -> bool:
        return self.outcome == FAILED

    @property
    def severity(self) -> str | None:
        if not self.findings:
            return None
        return ERROR if any(f.severity == ERROR for f in self.findings) else WARNING


@dataclass
class ApplyContext:
    """What a kind needs to know while it resolves and writes rows."""

    batch_id: int
    correlation_id: str
    write: bool = True
    cache: dict = field(default_factory=dict)
    #: what the uploader chose for this kind (ImportBatch.options)
    options: dict = field(default_factory=dict)


class BulkRun(Protocol):
    """One pass of a bulk kind over a file, driven by ``importers.services.run``."""

    def plan(self, rows: list[RowResult]) -> None:
        """Decide the outcome of a chunk's rows; nothing is written."""

    def write(self) -> None:
        """Book the chunk just planned."""

    def release(self, rows: list[RowResult]) -> list[RowResult]:
        """The chunk's rows whose results are final now (the others come from ``finish``)."""

    def finish(self) -> list[RowResult]:
        """After the last chunk: what concerns the whole file; the rows held back."""


class Kind:
    """One kind of upload. Subclasses declare ``columns`` and implement parse/apply."""

    name: str = ""
    title: str = ""
    description: str = ""
    columns: tuple[Column, ...] = ()
    #: bulk kinds take the file a chunk of rows at a time (``start``): plan the chunk with
    #: set queries, write it in sets when told to; the others take the whole file and
    #: write row by row through the domain services inside a savepoint
    bulk: bool = False
    #: a plain new row is answered from the line it created (its id, batch and row), not stored
    new_rows_implied: bool = False
    #: field names the domain services use in their errors -> our column fields
    service_fields: dict[str, str] = {}
    #: a kind that reads a format of its own (not a sheet of rows) implements ``parse_upload``
    #: and has no spreadsheet template
    reads_own_format: bool = False
    #: what the uploader may choose besides kind and mode (ImportBatch.options)
    option_names: tuple[str, ...] = ()

    def __init__(self):
        self.lookup = self._build_lookup()

    def _build_lookup(self) -> dict[str, str]:
        lookup = {}
        for column in self.columns:
            for label in (column.field, *column.aliases):
                lookup[normalise_label(label)] = column.field
        return lookup

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns if c.required)

    def new_state(self) -> dict:
        return {}

    def parse(self, row: RowResult, cells: dict, state: dict) -> None:
        raise NotImplementedError

    def parse_upload(self, path: str, limits: "Limits", options: dict,
                     progress: Callable[[int, int | None], None] | None = None) -> "ParsedFile":
        """The whole file as parsed rows, for kinds that ``reads_own_format``; raises ImportRefused."""
        raise NotImplementedError

    def apply(self, session: Session, rows: list[RowResult], ctx: ApplyContext) -> None:
        raise NotImplementedError

    def start(self, session: Session, ctx: ApplyContext, write: bool) -> "BulkRun":
        """A bulk kind's pass over the file (``write``: the rows are booked as they come)."""
        raise NotImplementedError

    def keys_of(self, session: Session, ids: list[int]) -> dict:
        """A bulk kind's row keys by the id of the record each row names."""
        raise NotImplementedError

    def not_imported_notes(self, not_imported: dict) -> list[str]:
        """Sentences for the summary about what the file held and the kind does not import."""
        return []

    def read(self, row: RowResult, cells: dict, name: str, parser: Callable, *args, required: bool = False):
        """Parse one cell; an unusable or missing value becomes an error on the row."""
        try:
            value = parser(cells.get(name), *args)
        except CellError as exc:
            row.error(name, exc.args[0] if exc.args else str(exc))  # a said message keeps its msgid
            return None
        if required and value is None:
            row.error(name, said(EMPTY))
        return value

    def service_field(self, name: str | None) -> str | None:
        return self.service_fields.get(name, name)


def apply_through_services(kind: Kind, session: Session, rows: list[RowResult], ctx: ApplyContext,
                           apply_row: Callable[[Session, RowResult, ApplyContext], None]) -> None:
    """Run the domain service for each valid row in its own savepoint, so a rule the
    service enforces becomes an error on that row and the other rows carry on."""
    from app.errors import ValidationError
    from app.rates.services import RateError

    for row in rows:
        if row.has_error:
            continue
        savepoint = session.begin_nested()
        try:
            apply_row(session, row, ctx)
        except ValidationError as exc:
            savepoint.rollback()
            row.error(kind.service_field(exc.field), exc.message)
            continue
        except RateError as exc:
            savepoint.rollback()
            row.error(None, str(exc))
            continue
        savepoint.commit()
