"""One builder per kind of export, used by ``exports.services.execute``.

prepare(session, info, background) -> plan       short write transaction before the build
build(session, info, path, plan, progress, background) -> result with ``counts()``   read only
                                     (``background``: sessions for background threads, None in tests;
                                     called in the requester's language: ``exports.words``)
check(session, info, result)         raises to refuse storing the file (final CRS)
finish(session, run, result)         in the storing transaction (events)
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from app.db import utcnow
from exports.crs.identifiers import BackgroundAssignment
from exports.crs.summary import reconciliation_verdict
from exports.crs.workbook import build_crs_workbook
from exports.reports.budget_execution import budget_execution
from exports.reports.oda_summary import RioCoefficients, climate_finance, oda_by_policy_area
from exports.reports.workbooks import write_budget_execution, write_oda_summary
from exports.services.crs import FinalRefused, check_final, crs_context, prepare_crs, record_generated
from exports.services.revisions import revision_of
from exports.services.submission import record_submission


@dataclass
class Counts:
    values: dict

    def counts(self) -> dict:
        return dict(self.values)


class CrsBuilder:
    def prepare(self, session, info, background=None) -> dict:
        """A final export is checked first; the CRS ids are handed out beside the build
        when it can (the ledger scan that dates them overlaps the first sheets)."""
        if info.final:
            check_final(session, info.year)
        return {"assignment": None if background else prepare_crs(session, info.year)}

    def build(self, session, info, path, plan, progress, background=None):
        config = current_app.config
        ctx = crs_context(session, info.year, final=info.final, generated_by=info.requested_by,
                          donor_code=config["AIDLEDGER_DONOR_CODE"], agency_code=config["AIDLEDGER_AGENCY_CODE"])
        ids = plan["assignment"] or BackgroundAssignment(background.write, info.year)
        return build_crs_workbook(session, ctx, path, ids, progress, background.read if background else None,
                                  writer_process=None if config["AIDLEDGER_EXPORT_WRITER_PROCESS"] else False,
                                  revision=revision_of(session, info.year))

    def check(self, session, info, result) -> None:
        if not info.final:
            return
        check_final(session, info.year, result.open_counts)
        if result.sheet_mismatches:
            raise FinalRefused(info.year, ["the Not ODA and Needs review sheets do not add up to the totals "
                                           "(data changed during the export): export again"])
        if result.totals.crs_rows_without_id:
            raise FinalRefused(info.year, [f"{result.totals.crs_rows_without_id} CRS row(s) have no CRS id yet: "
                                           "export again"])
        for name, side in (("spending", result.totals.spending), ("commitments", result.totals.commitments)):
            if not side.reconciled:
                raise FinalRefused(info.year, [f"{name} do not reconcile: {reconciliation_verdict(side)}"])

    def finish(self, session, run, result) -> None:
        record_generated(session, run)
        if run.final:
            record_submission(session, run)


class OdaSummaryBuilder:
    def prepare(self, session, info, background=None) -> dict:
        return {}

    def build(self, session, info, path, plan, progress, background=None):
        first, last = info.params["year_from"], info.params["year_to"]
        progress(0.1, "ODA by policy area")
        years = oda_by_policy_area(session, first, last)
        progress(0.5, "Climate finance")
        climate = climate_finance(session, first, last, RioCoefficients.from_config(current_app.config))
        return Counts(write_oda_summary(path, years, climate, info.requested_by, utcnow()))

    def check(self, session, info, result) -> None:
        return None

    def finish(self, session, run, result) -> None:
        return None


class BudgetExecutionBuilder(OdaSummaryBuilder):
    def build(self, session, info, path, plan, progress, background=None):
        ids = info.params.get("programme_ids")
        report = budget_execution(session, info.params["year_from"], info.params["year_to"],
                                  None if ids is None else set(ids))
        progress(0.5, "Budget execution")
        return Counts(write_budget_execution(path, report, info.requested_by, utcnow()))
