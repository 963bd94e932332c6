"""Writing the Not ODA and Needs review sheets, and what they add up to.

The sums kept here are checked against the year's totals (which the CRS sheet and
the Summary come from): a line missing or counted twice, or data that changed while
the export was read, shows up as a difference instead of passing unnoticed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from flask_babel import gettext
from sqlalchemy.orm import Session

from app.messages import N_
from exports.crs import lines
from exports.crs.queries import cents
from exports.crs.rows import (net_oda_disbursed, not_oda_row, override_text, reasons_text, review_row, signed,
                              withheld_row)
from exports.crs.words import OPEN, LineWords
from exports.words import amount_text
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
        self.words = LineWords()

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
    reasons = Reasons(session)
    for line, text in reasons.annotate(lines.not_oda_lines(session, year, todo)):
        row = not_oda_row(line, text, reasons.words)
        sheet.append(row)
        sums.not_oda_rows += 1
        sums.non_oda_c += _cents(row[14])
        sums.non_oda_d += _cents(row[15])


def write_open(session: Session, sheet, year: int, activity_ids: set[int], sums: LineSums) -> None:
    """The lines of ``activity_ids`` (those not written yet) that need review or are not classified."""
    todo = activity_ids - sums.open_done
    sums.open_done |= todo
    reasons = Reasons(session)
    words = {word: gettext(word) for word in (*OPEN_WORDS, OPEN, NOT_CLASSIFIED_YET)}
    for line, text in reasons.annotate(lines.open_lines(session, year, todo)):
        sheet.append(review_row(line, words[_what_is_open(line, reasons.overrides)], words[OPEN],
                                text or words[NOT_CLASSIFIED_YET], reasons.words))
        sums.review_rows += 1
        amount = _cents(signed(line, line.amount_eur)) if line.amount_eur is not None else 0
        if line.commitment_effect:
            sums.open_c += amount
        if line.kind != "commitment":
            sums.open_d += amount


#: what is open about a line of the Needs review sheet, and the reasons of a line not classified yet
OPEN_WORDS = NOT_CLASSIFIED, OVERRIDE_TO_RECONFIRM, NEEDS_REVIEW = (N_("not classified"), N_("override to reconfirm"),
                                                                   N_("needs review"))
NOT_CLASSIFIED_YET = N_("not classified yet")
#: the Needs review sheet's "Open" and "InReconciliationAs" cells of a finding about commitments
COMMITMENTS_DISAGREE, NO_COMMITMENT, NOT_AN_AMOUNT = (N_("commitments disagree"), N_("no commitment recorded"),
                                                      N_("finding"))
#: what differs between the two records of a commitment (``CommitmentComparison.differences``)
DIFFERENCES = {("amount",): N_("amount differs"), ("date",): N_("date differs"),
               ("amount", "date"): N_("amount and date differ")}


def write_commitment_findings(session: Session, sheet, year: int, missing: list) -> dict[str, int]:
    """The findings about the year's commitments on the Needs review sheet (they are not
    amounts: the reconciliation does not count them), and how many of each.

    ``missing``: ``summary.MissingCommitment`` of the year. The two records of a
    commitment that disagree are shown in the year of either record's (first) date.
    """
    disagreeing = [c for c in commitment_comparisons(session)
                   if year in (c.activity_date.year, c.ledger_date.year)]
    commitment, finding = gettext("commitment"), gettext(NOT_AN_AMOUNT)
    for c in disagreeing:
        sheet.append((None, c.activity_date, commitment, gettext(lines.ON_THE_ACTIVITY), c.code, c.title,
                      c.programme_code, c.currency, c.activity_amount, None, gettext(COMMITMENTS_DISAGREE), finding,
                      disagreement_text(c)))
    for m in missing:
        sheet.append((None, None, commitment, None, m.code, m.title, m.programme_code, None, None, None,
                      gettext(NO_COMMITMENT), finding,
                      gettext("%(amount)s EUR spent in %(year)s and no commitment on the activity or in the ledger: "
                              "enter the commitment date and amount on the activity, or book the commitment",
                              amount=amount_text(cents(m.spending_cents)), year=year)))
    return {"commitments_disagreeing": len(disagreeing), "commitments_missing": len(missing)}


def disagreement_text(c: CommitmentComparison) -> str:
    other = (gettext("; %(n)s ledger commitment line(s) in another currency", n=c.lines_in_other_currencies)
             if c.lines_in_other_currencies else "")
    return gettext("on the activity %(activity)s %(currency)s on %(activity_date)s, in the ledger %(ledger)s "
                   "%(currency)s from %(ledger_date)s%(other)s: %(differs)s; the CRS uses the ledger's commitment "
                   "lines", activity=amount_text(c.activity_amount), currency=c.currency,
                   activity_date=c.activity_date.isoformat(), ledger=amount_text(c.ledger_amount),
                   ledger_date=c.ledger_date.isoformat(), other=other,
                   differs=gettext(DIFFERENCES[tuple(c.differences)]))


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
        return NOT_CLASSIFIED
    override = overrides.get(line.override_id)
    if override is not None and override.state == OverrideState.NEEDS_RECONFIRMATION:
        return OVERRIDE_TO_RECONFIRM
    return NEEDS_REVIEW


def mismatches(sums: LineSums, totals) -> list[str]:
    """Where the sheets and the year's totals disagree (empty: they agree to the cent), in the
    run's language (amounts in cents)."""
    checks = (
        (N_("non-ODA commitments"), sums.non_oda_c, totals.commitments.non_oda_cents),
        (N_("non-ODA spending"), sums.non_oda_d, totals.spending.non_oda_cents),
        (N_("open commitments"), sums.open_c, totals.commitments.open_cents),
        (N_("open spending"), sums.open_d, totals.spending.open_cents),
        (N_("open lines"), sums.review_rows, totals.needs_review + totals.not_classified),
        (N_("withheld CRS rows"), sums.withheld_rows, totals.incomplete_rows),
    )
    return [gettext("%(what)s: sheet %(sheet)s vs totals %(total)s", what=gettext(name), sheet=sheet, total=total)
            for name, sheet, total in checks if sheet != total]
