"""The CRS workbook: sheets CRS, Not ODA, Needs review, Summary and Metadata.

Reads only (CRS ids are handed out beforehand by ``identifiers.assign_crs_ids``, or
beside the first sheets by ``identifiers.BackgroundAssignment``, and read once that
committed) and streams. The year's ledger is aggregated per activity in SQL (read
ahead in a background thread when a second session is given, at the same time as the
hand-out); meanwhile the single lines of the activities oda's evaluations flag are
written to Not ODA and Needs review; then each CRS row is written as it arrives, and
the Summary's totals gathered on the way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.messages import N_
from exports.crs import lines, queries, words
from exports.crs.columns import CRS_COLUMNS, NOT_ODA_COLUMNS, REVIEW_COLUMNS
from exports.crs.diff import RevisionTracker, changes_sheet, write_changes
from exports.crs.identifiers import Assignment, BackgroundAssignment
from exports.crs.line_sheets import (LineSums, mismatches, write_commitment_findings, write_not_oda, write_open,
                                      write_withheld)
from exports.crs.prefetch import YearRows
from exports.crs.reference_use import ReferenceUse
from exports.crs.rows import NOT_NUMBERED, CrsContext, crs_row
from exports.crs.summary import BI_MULTI_LABELS, CrsTotals, reconciliation_verdict, write_metadata, write_summary
from exports.words import said_columns, said_items
from exports.writer_process import WriterProcess, available as writer_process_available
from exports.xlsx import DATETIME, INT, RATE, TEXT, Workbook
from oda.mandatory import missing_among
from oda.services.loans import LoanGrantElements
from programmes.models.enums import TIED_STATUSES
from oda.services.crs_reference import crs_reference

Progress = Callable[[float, str], None]
PROGRESS_EVERY = 2000
#: share of the progress bar each stage takes (CRS rows dominate)
STAGES = (("Not ODA", 0.03, 0.10), ("Needs review", 0.10, 0.15), ("CRS", 0.15, 0.95), ("Summary", 0.95, 1.0))


@dataclass
class CrsResult:
    totals: CrsTotals
    not_oda_rows: int = 0
    review_rows: int = 0
    open_counts: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    crs_ids_assigned: int = 0
    #: where the Not ODA / Needs review sheets and the year's totals disagree (see line_sheets)
    sheet_mismatches: list = field(default_factory=list)
    #: a revision: the rows added, removed and changed since the previous final
    changes: list | None = None

    @property
    def open_reviews(self) -> int:
        return sum(self.open_counts.values())

    def counts(self) -> dict:
        return {"crs_rows": self.totals.crs_rows, "crs_rows_without_id": self.totals.crs_rows_without_id,
                "not_oda_rows": self.not_oda_rows,
                "needs_review_rows": self.review_rows, "activities": self.totals.activities,
                "transactions": self.totals.transactions, "crs_ids_assigned": self.crs_ids_assigned,
                "spending_reconciled": self.totals.spending.reconciled,
                "commitments_reconciled": self.totals.commitments.reconciled,
                "spending_check": reconciliation_verdict(self.totals.spending),
                "commitments_check": reconciliation_verdict(self.totals.commitments),
                "sheet_mismatches": len(self.sheet_mismatches), **self.open_counts,
                **({} if self.changes is None else {"rows_changed_since_final": len(self.changes)})}


def _silent(_fraction: float, _stage: str) -> None:
    return None


def build_crs_workbook(session: Session, ctx: CrsContext, path: str, ids: Assignment | BackgroundAssignment,
                       progress: Progress | None = None,
                       open_session: Callable[[], Session] | None = None,
                       writer_process: bool | None = None, revision: RevisionTracker | None = None) -> CrsResult:
    """Write the workbook for ``ctx.year`` to ``path``; ``ids``: the CRS ids handed out
    for it, or their hand-out, started here once the first progress is written.

    With ``open_session`` (a second read session) the year's totals are read in the
    background while the Not ODA and Needs review sheets are written (``prefetch``).
    The cells are written by a second process (``exports.writer_process``) unless
    ``writer_process`` is False or the machine has one core. A ``revision`` (the rows of
    the previous final) sets the nature of submission of changed rows to 2 and adds the
    sheet ``Changes``. The sheets other than CRS are written in the current language
    (``exports.crs.words``; the builder sets the run's).
    """
    if isinstance(ids, BackgroundAssignment) and open_session is None:
        raise ValueError("a CRS id hand-out in the background needs a read session that sees its commit")
    progress = progress or _silent
    properties = {"title": f"CRS {ctx.year}", "author": ctx.generated_by, "comments": "Generated by Aidledger"}
    use_process = writer_process_available() if writer_process is None else writer_process
    book = WriterProcess(path, properties) if use_process else Workbook(path, properties)
    sheets = {"crs": book.sheet("CRS", CRS_COLUMNS),
              "not_oda": book.sheet(gettext(words.NOT_ODA), said_columns(NOT_ODA_COLUMNS)),
              "review": book.sheet(gettext(words.NEEDS_REVIEW), said_columns(REVIEW_COLUMNS)),
              "summary": book.sheet(gettext(words.SUMMARY), (), False),
              "metadata": book.sheet(gettext(words.METADATA), (), False)}
    if revision is not None:
        sheets["changes"] = changes_sheet(book)
    names = queries.code_names(session)
    reference_use = ReferenceUse(crs_reference(session, ctx.year))
    result = CrsResult(CrsTotals())
    totals, sums = result.totals, LineSums()
    try:
        progress(STAGES[0][1], "Not ODA")
        if isinstance(ids, BackgroundAssignment):
            ids.start()
        with YearRows(session, ctx.year, open_session) as year_rows:
            not_oda, still_open = lines.flagged_activities(session, ctx.year)
            write_not_oda(session, sheets["not_oda"], ctx.year, not_oda, sums)
            progress(STAGES[1][1], "Needs review")
            write_open(session, sheets["review"], ctx.year, still_open, sums)
            assignment = ids.wait()
            result.crs_ids_assigned = assignment.count
            numbers = _numbers_after(ids, session, open_session)
            withheld = _write_crs_rows(year_rows, numbers, ctx, sheets["crs"], totals, names, assignment, progress,
                                       reference_use, _grant_elements(session, ctx.year), revision)
        progress(STAGES[3][1], "Summary")
        # lines of activities the evaluations did not point to (results of another year)
        write_not_oda(session, sheets["not_oda"], ctx.year, totals.not_oda_activities, sums)
        write_open(session, sheets["review"], ctx.year, totals.open_activities, sums)
        write_withheld(sheets["review"], withheld, ctx.currency, sums)
        findings = write_commitment_findings(session, sheets["review"], ctx.year, totals.missing_commitments)
        for name in ("not_oda", "review"):
            sheets[name].finish_table()
        result.not_oda_rows = sums.not_oda_rows
        result.review_rows = sums.review_rows + sums.withheld_rows + sum(findings.values())
        result.sheet_mismatches = mismatches(sums, totals)
        result.open_counts = {"needs_review": totals.needs_review, "not_classified": totals.not_classified,
                              "withheld_crs_rows": totals.incomplete_rows, **findings}
        result.versions = queries.versions_used(session, ctx.year)
        write_summary(sheets["summary"], totals, ctx.year, ctx.currency, result.sheet_mismatches)
        sheets["summary"].set_column(0, 0, 48)
        sheets["summary"].set_column(1, 6, 20)
        revised = revision.metadata_items() if revision is not None else []
        write_metadata(sheets["metadata"], metadata_items(session, ctx, result) + reference_use.metadata_items()
                       + revised)
        sheets["metadata"].set_column(0, 1, 40)
        if revision is not None:
            result.changes = _write_changes(sheets["changes"], revision)
    except BaseException:
        book.abort()
        raise
    book.close()
    progress(1.0, "Done")
    return result


def _numbers_after(ids, session: Session, open_session) -> dict:
    """The CRS ids, read where the hand-out's commit is visible: a fresh read session
    when it ran in the background (this session's snapshot may be older)."""
    if not isinstance(ids, BackgroundAssignment):
        return queries.crs_numbers(session)
    with open_session() as fresh:
        numbers = queries.crs_numbers(fresh)
        fresh.commit()
    return numbers


def _grant_elements(session: Session, year: int):
    """A loan row's grant element, from oda (computed once per distinct terms; loans are few)."""
    elements = LoanGrantElements(session)
    return lambda r: elements.grant_element(r, year)


def _write_changes(sheet, revision: RevisionTracker) -> list:
    changes = revision.finish()
    write_changes(sheet, changes)
    return changes


def _write_crs_rows(year_rows, numbers: dict, ctx, sheet, totals: CrsTotals, names, assignment: Assignment,
                    progress, reference_use: ReferenceUse, grant_element,
                    revision: RevisionTracker | None = None) -> list[tuple]:
    """Write the CRS rows; returns those withheld, (activity row, missing mandatory items):
    a row is never written without a CRS mandatory item (oda refuses overrides that would
    lead there, this catches what slipped through, e.g. an override made before that)."""
    _name, start, end = STAGES[2]
    progress(start, "CRS")
    rate_e10, expected_rows = ctx.rate_e10, assignment.with_oda
    withheld = []
    for r in year_rows:
        totals.add_year_row(r)
        if not r.n_eligible:
            continue
        missing = missing_among(queries.MANDATORY(r))
        if missing:
            totals.withhold_crs_row(r)
            withheld.append((r, missing))
            continue
        number = numbers.get(r.activity_id, NOT_NUMBERED)
        row, amounts = crs_row(r, number, ctx, rate_e10, reference_use.placing(r), grant_element)
        if number.crs_id is None:  # ODA appeared after the ids were handed out: a later export numbers it
            totals.crs_rows_without_id += 1
        sheet.append(tuple(row) if revision is None else revision.row(tuple(row)))  # plain tuples to the writer
        totals.add_crs_row(_breakdown_keys(r, names), amounts)
        if totals.crs_rows % PROGRESS_EVERY == 0:
            progress(start + (end - start) * min(1.0, totals.crs_rows / max(expected_rows, 1)), "CRS")
    sheet.finish_table()
    return withheld


def _breakdown_keys(r, names) -> tuple:
    """(recipient, sector, channel category, bi/multi, policy area), each as (code, name)."""
    sector = (r.purpose_code or "")[:3] or None
    category = r.channel_category or (r.channel if r.channel and r.channel.endswith("000") else None)
    return ((r.recipient_code, r.recipient_name), (sector, names["sectors"].get(sector)),
            (category, names["channels"].get(category)), (r.bi_multi_crs, BI_MULTI_LABELS.get(r.bi_multi_crs)),
            (r.policy_area, None))


def other_rates(session: Session, year: int) -> str:
    """The rates of the year's non-EUR spending (currencies of oda's evaluations, one row
    per activity, year and currency: no scan of the ledger), each with its provenance."""
    from app.rates.models import ExchangeRate
    from app.rates.services import provenance
    from oda.models.classification import Evaluation

    used = select(Evaluation.currency).where(Evaluation.year == year, Evaluation.currency != "EUR").distinct()
    rates = session.scalars(select(ExchangeRate).where(ExchangeRate.year == year, ExchangeRate.currency.in_(used))
                            .order_by(ExchangeRate.currency))
    return "; ".join(gettext("%(currency)s %(units)s per USD, %(source)s", currency=r.currency,
                             units=r.units_per_usd, source=provenance(r)) for r in rates) or gettext("none")


def metadata_items(session: Session, ctx: CrsContext, result: CrsResult) -> list[tuple]:
    """The Metadata sheet's items, in the run's language."""
    from oda.reference.services import reference_version

    versions, none = result.versions, gettext("none")
    tied = ctx.default_tied_status
    items = [
        (N_("Reporting year"), ctx.year, INT),
        (N_("Donor code"), ctx.donor_code, TEXT),
        (N_("Agency code"), ctx.agency_code, TEXT),
        (N_("Currency (national)"), ctx.currency, TEXT),
        (N_("Amounts"), gettext("full units of the national currency, two decimals"), TEXT),
        (N_("Exchange rate (EUR per USD)"), ctx.eur_per_usd if ctx.eur_per_usd is not None else gettext("MISSING"),
         RATE),
        (N_("Exchange rate source"), ctx.rate_source or gettext("no rate for the year"), TEXT),
        (N_("Exchange rates of other currencies"), other_rates(session, ctx.year), TEXT),
        (N_("Tied status when an activity states none"),
         gettext("%(code)s %(status)s (installation setting AIDLEDGER_DEFAULT_TIED_STATUS)", code=tied,
                 status=gettext(TIED_STATUSES[tied]) if tied in TIED_STATUSES else ""), TEXT),
        (N_("Grant equivalent"), gettext(
            "grants: the ODA disbursement; standard loans: the disbursement × the grant element at commitment "
            "(discount rate %(ldc)s LDC and other LIC, %(lmic)s LMIC, %(umic)s UMIC, %(multilateral)s "
            "multilateral)", ldc="9 %", lmic="7 %", umic="6 %", multilateral="5 %"), TEXT),
        (N_("Reference-data versions used"), ", ".join(map(str, versions.get("reference_versions", []))) or none,
         TEXT),
        (N_("Reference-data version now"), reference_version(session), INT),
        (N_("Rules versions used"), ", ".join(versions.get("rules_versions", [])) or none, TEXT),
        (N_("Kind"), gettext("FINAL") if ctx.final else gettext("DRAFT"), TEXT),
        (N_("Generated by"), ctx.generated_by, TEXT),
        (N_("Generated at (UTC)"), ctx.generated_at, DATETIME),
        (N_("Transactions in the year"), result.totals.transactions, INT),
        (N_("Transactions classified"), result.totals.transactions - result.totals.not_classified, INT),
        (N_("Transactions without EUR value"), result.totals.transactions_without_eur, INT),
        (N_("Activities with transactions"), result.totals.activities, INT),
        (N_("CRS rows"), result.totals.crs_rows, INT),
        (N_("CRS rows without a CRS id yet"), result.totals.crs_rows_without_id, INT),
        (N_("Not ODA rows"), result.not_oda_rows, INT),
        (N_("Needs review rows"), result.review_rows, INT),
        (N_("CRS rows withheld (a CRS mandatory item missing)"), result.totals.incomplete_rows, INT),
        (N_("Open reviews"), result.open_reviews, INT),
    ]
    return said_items(items)
