"""Ledger lines from the accounting system: disbursements, refunds, commitments.

Large files are the rule here: the file streams a chunk of rows at a time
(``importers.services.run``); this module parses, validates and plans each chunk with a
handful of set queries; the ledger's owner writes. New lines go through
``programmes.services.ledger.LinesBatch`` (one LedgerLinesImported event for the batch,
after its last chunk), changed lines through ``correct_many`` (one TransactionCorrected
each).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy.orm import Session

from app.bulk import chunks
from app.messages import said
from app.year_lock import locked_years
from importers.kinds.base import (EMPTY, IMPORTED, N_, UNCHANGED, UPDATED, ApplyContext, Column, Kind,
                                  RowResult)
from importers.kinds.refunds import FileLine, RefundCheck
from app.values import CellError, normalise_label, parse_amount, parse_code, parse_date, parse_text
from importers.suggestions import MAX_UNKNOWN, closest_codes, did_you_mean
from programmes.models.enums import TransactionKind
from programmes.services.ledger import (ActivityRef, EurRates, LineChange, LinesBatch, NewLine, activities_by_code,
                                        activity_codes, correct_many, documents_by_id, lines_by_document, same_line)
from programmes.services.transactions import booked_amount

SOURCE = "ledger"
REFUND = TransactionKind.REFUND.value
KIND_WORDS = {
    TransactionKind.DISBURSEMENT: ("disbursement", "uitbetaling", "betaling", "payment"),
    TransactionKind.REFUND: ("refund", "terugbetaling", "terugstorting", "terugvordering"),
    TransactionKind.COMMITMENT: ("commitment", "vastlegging", "engagement", "verplichting"),
}
KIND_BY_WORD = {normalise_label(w): k.value for k, words in KIND_WORDS.items() for w in words}
#: the kind words exactly as most files write them: found without normalising the cell
KIND_BY_PLAIN_WORD = {w: k.value for k, words in KIND_WORDS.items() for w in words}


class LineValues(NamedTuple):
    """A parsed row (RowResult.values); fields are None where a cell had an error."""

    document: str | None
    date: date | None
    activity: str | None
    amount: Decimal | None
    currency: str
    description: str | None
    article: str | None
    kind: str


def _plain(value, max_length: int) -> str | None:
    """An ASCII text cell that needs no cleaning and fits, as is; None sends it to the full parser."""
    if type(value) is str and value.isascii():  # what clean_text does to ASCII text: strip
        text = value.strip()
        if text and len(text) <= max_length:
            return text
    return None


def parse_currency(value) -> str | None:
    code = parse_code(value, 3)
    if code is None:
        return None
    code = code.upper()
    if len(code) != 3 or not code.isalpha():
        raise CellError(said("not an ISO currency code: %(code)s (write EUR, USD, MWK …)", code=repr(code)))
    return code


def parse_kind(value) -> str:
    text = parse_text(value, 40)
    if text is None:
        return TransactionKind.DISBURSEMENT.value
    kind = KIND_BY_WORD.get(normalise_label(text))
    if kind is None:
        raise CellError(said("unknown kind %(kind)s: write disbursement, refund or commitment", kind=repr(text)))
    return kind


class SpendingKind(Kind):
    name = "spending"
    title = "Spending (ledger lines)"
    description = (N_("Ledger lines exported from the accounting system. A line already imported (same document "
                   "number) is left unchanged when identical and corrected, with an event keeping the old "
                   "values, when it differs. Nothing is ever deleted."))
    bulk = True
    new_rows_implied = True
    columns = (
        Column("document_number", True, ("Documentnummer", "Boekstuknummer", "Document nr", "Stuknummer"),
               N_("The accounting document number; unique per line."), "B-2024-000123"),
        Column("posting_date", True, ("Boekingsdatum", "Posting date", "Datum"),
               N_("A real Excel date, or 31/12/2024, 31.12.2024, 2024-12-31 (day first)."), date(2024, 3, 15)),
        Column("activity_code", True, ("Projectcode", "Activiteitscode", "Project", "Activiteit"),
               N_("The code of an existing activity."), "MWI-2019-TLC"),
        Column("amount", True, ("Bedrag",),
               N_("A number, or text like 1.234,56 or 1,234.56; at most two decimals."), Decimal("125000.00")),
        Column("currency", False, ("Munt", "Valuta"), N_("ISO code; EUR when empty."), "EUR"),
        Column("description", False, ("Omschrijving",), N_("Free text, up to 500 characters."),
               "Second tranche 2024"),
        Column("budget_article", False, ("Begrotingsartikel",), N_("Up to 40 characters."), "QB0-1QAD2MZ-WT"),
        Column("kind", False, ("Soort", "Type", "Transactiesoort"),
               N_("disbursement (default), refund or commitment. A refund is money returned whatever its sign "
               "(250,00, -250,00 and (250,00) all book 250,00 returned)."), "disbursement"),
    )

    def new_state(self) -> dict:
        return {"documents": {}, "codes": {}}

    def parse(self, row: RowResult, cells: dict, state: dict) -> None:
        # plain ASCII text and real dates, what an accounting export mostly holds, skip the
        # general parsers; anything else (and every error) goes through them
        document = _plain(cells.get("document_number"), 60)
        if document is None:
            document = self.read(row, cells, "document_number", parse_code, 60, required=True)
        when = cells.get("posting_date")
        when = when.date() if type(when) is datetime else self.read(row, cells, "posting_date", parse_date,
                                                                      required=True)
        activity = _plain(cells.get("activity_code"), 40)
        if activity is None:
            activity = self.read(row, cells, "activity_code", parse_code, 40, required=True)
        currency = cells.get("currency")
        if not (type(currency) is str and len(currency) == 3 and currency.isascii() and currency.isalpha()
                and currency.isupper()):
            currency = self.read(row, cells, "currency", parse_currency)
        amount = None
        try:
            amount, named = parse_amount(cells.get("amount"))
            if amount is None:
                row.error("amount", said(EMPTY))
            elif named and currency and named != currency:
                row.error("amount", said("the amount is in %(named)s but the currency column says %(currency)s",
                                         named=named, currency=currency))
            elif named:
                currency = named
        except CellError as exc:
            row.error("amount", exc.args[0])
        description = _plain(cells.get("description"), 500)
        if description is None:
            description = self.read(row, cells, "description", parse_text, 500)
        article = _plain(cells.get("budget_article"), 40)
        if article is None:
            article = self.read(row, cells, "budget_article", parse_text, 40)
        kind = KIND_BY_PLAIN_WORD.get(cells.get("kind")) or self.read(row, cells, "kind", parse_kind)
        if amount is not None:
            amount = booked_amount(kind, amount)  # a refund is money returned: -250,00 and (250,00) book 250
        shared = state["codes"].setdefault  # one string object per distinct code: less memory per row
        activity = None if activity is None else shared(activity, activity)
        currency = None if currency is None else shared(currency, currency)
        article = None if article is None else shared(article, article)
        row.key = document
        if document is not None:  # documents: {hash of the document number: its first row}
            first = state["documents"].setdefault(hash(document), row.row_number)
            if first != row.row_number:
                row.error("document_number", said("document %(document)s appears already on row %(first)s",
                                                  document=document, first=first))
        row.values = LineValues(document, when, activity, amount, currency or "EUR", description, article, kind)

    def start(self, session: Session, ctx: ApplyContext, write: bool) -> "SpendingRun":
        return SpendingRun(session, ctx, write)

    def keys_of(self, session: Session, ids: list[int]) -> dict[int, str]:
        return documents_by_id(session, ids)


class SpendingRun:
    """One pass of a spending import over the file's chunks (``importers.services.run``).

    Each chunk is planned against lookups cached for the whole pass (activities by code,
    exchange rates, the closest codes of unknown ones) and, when the pass writes, handed
    to the ledger's owner at once: new lines to ``LinesBatch.add``, changed lines to
    ``correct_many``. Kept across chunks: the caches, the batch event's running totals and
    id ranges (``LinesBatch``) and what the refund check needs (``RefundCheck``): the refund
    rows themselves, and, when nothing is written, the file's lines as 12 bytes each."""

    def __init__(self, session: Session, ctx: ApplyContext, write: bool):
        self.session, self.ctx = session, ctx
        self.activities: dict[str, ActivityRef | None] = {}
        self.rates = EurRates(session, ())
        self.suggestions: dict[str, list[str]] = {}
        self.codes: list[str] | None = None
        self.unknown_seen = 0
        self.lines = LinesBatch(session, batch_id=ctx.batch_id, source=SOURCE,
                                correlation_id=ctx.correlation_id) if write else None
        self.refunds = RefundCheck(written=write)
        self.inserts: list[tuple[RowResult, NewLine]] = []
        self.updates: list[tuple[RowResult, LineChange]] = []

    def plan(self, rows: list[RowResult]) -> None:
        """Decide each row's outcome with set queries, a part of the chunk at a time; nothing is written."""
        valid = [r for r in rows if not r.has_error]
        self._look_up(valid)
        self.inserts, self.updates = [], []
        for part in chunks(valid):
            existing = lines_by_document(self.session, SOURCE, [r.values.document for r in part])
            years = {r.values.date.year for r in part} | {o.date.year for o in existing.values()}
            locked = locked_years(self.session, years)
            for row in part:
                _plan_row(row, self.activities, self.rates, existing, self.inserts, self.updates, locked,
                          self.suggestions)
            self._watch_refunds(part, existing)

    def write(self) -> None:
        """The planned chunk through the ledger's owner; each new row names its line."""
        recorded = self.lines.add([line for _row, line in self.inserts])
        for (row, _line), line_id in zip(self.inserts, recorded.ids):
            row.entity_id = None if line_id is None else str(line_id)
        for index, reason in recorded.refused.items():
            self.inserts[index][0].error(None, reason)
        correct_many(self.session, [change for _row, change in self.updates], source=SOURCE,
                     correlation_id=self.ctx.correlation_id)

    def release(self, rows: list[RowResult]) -> list[RowResult]:
        """The chunk's rows whose results are final; a refund row waits for the refund check."""
        final = []
        for row in rows:
            if self.refunds.holds(row):
                row.values = row.raw = None  # what its result needs stays: outcome, key, line
            else:
                final.append(row)
        return final

    def finish(self) -> list[RowResult]:
        """After the last chunk: the refund check and the batch event; the rows held back."""
        held = self.refunds.check(self.session)
        if self.lines is not None:
            self.lines.finish()
        return held

    def _look_up(self, valid: list[RowResult]) -> None:
        """The chunk's activity codes and currencies not looked up yet in this pass."""
        new_codes = {r.values.activity for r in valid} - self.activities.keys()
        if new_codes:
            found = activities_by_code(self.session, new_codes)
            self.activities.update({code: found.get(code) for code in new_codes})
            unknown = sorted(code for code in new_codes if code not in found)[:MAX_UNKNOWN - self.unknown_seen]
            if unknown:  # per file, not per chunk: the first MAX_UNKNOWN unknown codes met
                if self.codes is None:
                    self.codes = activity_codes(self.session)
                self.suggestions.update(closest_codes(set(unknown), self.codes))
                self.unknown_seen += len(unknown)
        self.rates.include(self.session, {(r.values.currency, r.values.date.year) for r in valid})

    def _watch_refunds(self, part: list[RowResult], existing: dict) -> None:
        """Tell the refund check about the planned rows and the ledger lines they replace."""
        every_line = self.refunds.counts_every_line
        for row in part:
            values = row.values
            if values.kind != REFUND and not every_line:
                continue
            activity = self.activities.get(values.activity)
            if activity is not None and values.kind == REFUND:
                self.refunds.refunded(activity.id, values.activity)
            if row.has_error:
                continue
            old = existing.get(values.document)
            if old is not None:
                self.refunds.replaced(old)
            eur = self.rates.to_eur(values.amount, values.currency, values.date.year)
            self.refunds.planned(FileLine(activity.id, values.date, values.kind, eur, row))


def _plan_row(row: RowResult, activities: dict, rates: EurRates, existing: dict, inserts: list,
              updates: list, locked: dict, suggestions: dict[str, list[str]]) -> None:
    """The row's outcome; a row that would add or change a line of a submitted year
    (``locked``: year -> refusal) is an error naming the submission."""
    values = row.values
    activity = activities.get(values.activity)
    if activity is None:
        row.error("activity_code", said("no activity with code %(code)s%(hint)s", code=values.activity,
                                        hint=did_you_mean(values.activity, suggestions)))
        return
    if values.currency != "EUR" and rates.to_eur(values.amount, values.currency, values.date.year) is None:
        row.warn("currency", said("no %(currency)s exchange rate for %(year)s: the EUR amount stays empty until "
                                  "the rate is set", currency=values.currency, year=str(values.date.year)))
    line = NewLine(activity.id, values.kind, values.date, values.amount, values.currency, values.document,
                   values.description, values.article, row.row_number)
    old = existing.get(values.document)
    if old is None and values.date.year in locked:
        row.error("date", locked[values.date.year])
        return
    if old is None:
        row.outcome = IMPORTED
        inserts.append((row, line))
        return
    row.entity_id = str(old.id)
    if same_line(old, line):
        row.outcome = UNCHANGED
    elif locked.keys() & {old.date.year, values.date.year} and not _same_figures(old, line):
        row.error("date", locked[min(locked.keys() & {old.date.year, values.date.year})])
    else:
        row.outcome = UPDATED
        updates.append((row, LineChange(old, line)))


def _same_figures(old, line: NewLine) -> bool:
    """Only the description or budget article differ: no CRS figure changes."""
    return (old.activity_id, old.kind, old.date, old.amount, old.currency) == (
        line.activity_id, line.kind, line.date, line.amount, line.currency)
