"""Writing the Not ODA and Needs review sheets, and what they add up to.

The sums kept here are checked against the year's totals (which the CRS sheet and
the Summary come from): a line missing or counted twice, or data that changed while
the export was read, shows up as a difference instead of passing unnoticed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from sqlalchemy.orm import Session

from exports.crs import lines
from exports.crs.queries import cents
from exports.crs.rows import (net_oda_disbursed, not_oda_row, override_text, reasons_text, review_row, signed,
                              withheld_row)
from programmes.services.queries.commitments import CommitmentComparison, commitment_comparisons
from oda.models import OverrideState


@dataclass
class LineSums:
    """What the two sheets hold: rows, non-ODA cents and open cents (refunds negative)."""

    not_oda_rows: int = 0
    review_rows: int = 0
    #: CRS rows withheld for a missing mandatory item, each a finding on Needs review
    withheld_rows: int = 0
    non_oda_c: int = 0
    non_oda_d: int = 0
    open_c: int = 0
    open_d: int = 0
    #: activities whose lines are on the sheets already
    not_oda_done: set = field(default_factory=set)
    open_done: set = field(default_factory=set)


class Reasons:
    """The reasons text of lines, fetched a batch at a time and kept per evaluation
    (every line of an activity, year and currency shares its evaluation's reasons)."""

    def __init__(self, session: Session):
        self.session = session
        self.by_evaluation: dict[int, str] = {}
        self.overrides: dict = {}

    def annotate(self, stream: Iterable) -> Iterator[tuple]:
        """(line, reasons text) for every line of ``stream``."""
        batch = []
        for line in stream:
            batch.append(line)
            if len(batch) >= lines.BATCH:
                yield from self._explain(batch)
                batch = []
        yield from self._explain(batch)

    def _explain(self, batch: list) -> Iterator[tuple]:
        missing = {x.evaluation_id for x in batch if x.evaluation_id and x.evaluation_id not in self.by_evaluation}
        for evaluation_id, reasons in lines.reasons_by_evaluation(self.session, missing).items():
            self.by_evaluation[evaluation_id] = reasons_text(reasons)
        self.overrides = lines.overrides_by_id(self.session, {x.override_id for x in batch if x.override_id})
        for line in batch:
            text = self.by_evaluation.get(line.evaluation_id, "")
            override = self.overrides.get(line.override_id)
            if override is not None:
                text = " | ".join(part for part in (text, override_text(override)) if part)
            yield line, text


def _cents(amount) -> int:
    return 0 if amount is None else int(amount.scaleb(2))


def write_not_oda(session: Session, sheet, year: int, activity_ids: set[int], sums: LineSums) -> None:
    """The lines of ``activity_ids`` (those not written yet) that are not ODA or partly ODA."""
    todo = activity_ids - sums.not_oda_done
    sums.not_oda_done |= todo
    for line, text in Reasons(session).annotate(lines.not_oda_lines(session, year, todo)):
        row = not_oda_row(line, text)
        sheet.append(row)
        sums.not_oda_rows += 1
        sums.non_oda_c += _cents(row[14])
        sums.non_oda_d += _cents(row[15])


def write_open(session: Session, sheet, year: int, activity_ids: set[int], sums: LineSums) -> None:
    """The lines of ``activity_ids`` (those not written yet) that need review or are not classified."""
    todo = activity_ids - sums.open_done
    sums.open_done |= todo
    reasons = Reasons(session)
    for line, text in reasons.annotate(lines.open_lines(session, year, todo)):
        sheet.append(review_row(line, _what_is_open(line, reasons.overrides), "open", text or "not classified yet"))
        sums.review_rows += 1
        amount = _cents(signed(line, line.amount_eur)) if line.amount_eur is not None else 0
        if line.commitment_effect:
            sums.open_c += amount
        if line.kind != "commitment":
            sums.open_d += amount


#: the Needs review sheet's "Open" and "InReconciliationAs" cells of a finding about commitments
COMMITMENTS_DISAGREE, NO_COMMITMENT, NOT_AN_AMOUNT = "commitments disagree", "no commitment recorded", "finding"


def write_commitment_findings(session: Session, sheet, year: int, missing: list) -> dict[str, int]:
    """The findings about the year's commitments on the Needs review sheet (they are not
    amounts: the reconciliation does not count them), and how many of each.

    ``missing``: ``summary.MissingCommitment`` of the year. The two records of a
    commitment that disagree are shown in the year of either record's (first) date.
    """
    disagreeing = [c for c in commitment_comparisons(session)
                   if year in (c.activity_date.year, c.ledger_date.year)]
    for c in disagreeing:
        sheet.append((None, c.activity_date, "commitment", lines.ON_THE_ACTIVITY, c.code, c.title, c.programme_code,
                      c.currency, c.activity_amount, None, COMMITMENTS_DISAGREE, NOT_AN_AMOUNT, disagreement_text(c)))
    for m in missing:
        sheet.append((None, None, "commitment", None, m.code, m.title, m.programme_code, None, None, None,
                      NO_COMMITMENT, NOT_AN_AMOUNT,
                      f"{cents(m.spending_cents)} EUR spent in {year} and no commitment on the activity or in "
                      "the ledger: enter the commitment date and amount on the activity, or book the commitment"))
    return {"commitments_disagreeing": len(disagreeing), "commitments_missing": len(missing)}


def disagreement_text(c: CommitmentComparison) -> str:
    other = (f"; {c.lines_in_other_currencies} ledger commitment line(s) in another currency"
             if c.lines_in_other_currencies else "")
    return (f"on the activity {c.activity_amount} {c.currency} on {c.activity_date.isoformat()}, in the ledger "
            f"{c.ledger_amount} {c.currency} from {c.ledger_date.isoformat()}{other}: "
            f"{' and '.join(c.differences)} {'differ' if len(c.differences) > 1 else 'differs'}; "
            "the CRS uses the ledger's commitment lines")


def write_withheld(sheet, withheld: list[tuple], currency: str, sums: LineSums) -> None:
    """A finding for every CRS row withheld (``(activity row, missing items)``): its ODA
    is open (``CrsTotals.withhold_crs_row``), so it is added to the open sums."""
    for r, missing in withheld:
        sheet.append(withheld_row(r, missing, currency))
        sums.withheld_rows += 1
        sums.open_c += int(r.oda_c)
        sums.open_d += net_oda_disbursed(r)


def _what_is_open(line, overrides: dict) -> str:
    if line.status is None:
        return "not classified"
    override = overrides.get(line.override_id)
    if override is not None and override.state == OverrideState.NEEDS_RECONFIRMATION:
        return "override to reconfirm"
    return "needs review"


def mismatches(sums: LineSums, totals) -> list[str]:
    """Where the sheets and the year's totals disagree (empty: they agree to the cent)."""
    checks = (
        ("non-ODA commitments", sums.non_oda_c, totals.commitments.non_oda_cents),
        ("non-ODA spending", sums.non_oda_d, totals.spending.non_oda_cents),
        ("open commitments", sums.open_c, totals.commitments.open_cents),
        ("open spending", sums.open_d, totals.spending.open_cents),
        ("open lines", sums.review_rows, totals.needs_review + totals.not_classified),
        ("withheld CRS rows", sums.withheld_rows, totals.incomplete_rows),
    )
    return [f"{name}: sheet {sheet} vs totals {total}" for name, sheet, total in checks if sheet != total]
