"""Ledger lines from the accounting system: disbursements, refunds, commitments.

Large files are the rule here: this module parses, validates and plans with a handful
of set queries; the ledger's owner writes. New lines go through
``programmes.services.ledger.record_many`` (one LedgerLinesImported event for the
batch), changed lines through ``correct_many`` (one TransactionCorrected each).
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
from importers.kinds.refunds import FileLine, warn_refunds_beyond_disbursed
from app.values import CellError, normalise_label, parse_amount, parse_code, parse_date, parse_text
from importers.suggestions import closest_codes, did_you_mean
from programmes.models.enums import TransactionKind
from programmes.services.ledger import (EurRates, LineChange, NewLine, activities_by_code, activity_codes, correct_many,
                                        lines_by_document, record_many, same_line)
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
        if document is not None:
            first = state["documents"].setdefault(document, row.row_number)
            if first != row.row_number:
                row.error("document_number", said("document %(document)s appears already on row %(first)s",
                                                  document=document, first=first))
        row.values = LineValues(document, when, activity, amount, currency or "EUR", description, article, kind)

    def apply(self, session: Session, rows: list[RowResult], ctx: ApplyContext) -> None:
        plan(session, rows, ctx)

    def write(self, session: Session, ctx: ApplyContext) -> None:
        write(session, ctx)


def plan(session: Session, rows: list[RowResult], ctx: ApplyContext) -> None:
    """Decide each row's outcome with set queries, a chunk of rows at a time; nothing is written."""
    valid = [r for r in rows if not r.has_error]
    activities = activities_by_code(session, {r.values.activity for r in valid})
    rates = EurRates(session, {(r.values.currency, r.values.date.year) for r in valid})
    refunded = {activities[code].id: code for code in {r.values.activity for r in valid if r.values.kind == REFUND}
                if code in activities}
    suggestions = _suggestions(session, {r.values.activity for r in valid} - set(activities))
    inserts, updates, replaced = [], [], []
    for chunk in chunks(valid):
        existing = lines_by_document(session, SOURCE, [r.values.document for r in chunk])
        locked = locked_years(session, {r.values.date.year for r in chunk} | {o.date.year for o in existing.values()})
        for row in chunk:
            _plan_row(row, activities, rates, existing, inserts, updates, locked, suggestions)
        if refunded:
            replaced += _replaced(chunk, existing, refunded)
    ctx.cache["inserts"], ctx.cache["updates"] = inserts, updates
    if refunded:
        warn_refunds_beyond_disbursed(session, _refunded_lines(valid, activities, refunded, rates), replaced, refunded)


def _replaced(chunk, existing: dict, refunded: dict) -> list:
    """The ledger's version of the chunk's planned lines that sit on a refunded activity."""
    olds = (existing.get(row.values.document) for row in chunk if not row.has_error)
    return [old for old in olds if old is not None and old.activity_id in refunded]


def _refunded_lines(rows: list[RowResult], activities: dict, refunded: dict, rates: EurRates) -> list[FileLine]:
    """The file's planned lines on the activities it refunds (usually a few), in EUR."""
    codes = set(refunded.values())
    return [FileLine(activities[v.activity].id, v.date, v.kind, rates.to_eur(v.amount, v.currency, v.date.year), row)
            for row in rows if not row.has_error and row.values.activity in codes for v in (row.values,)]


def _suggestions(session: Session, unknown: set[str]) -> dict[str, list[str]]:
    """The closest existing activity codes for each unknown one (read only when a code is unknown)."""
    if not unknown:
        return {}
    return closest_codes(unknown, activity_codes(session))


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


def write(session: Session, ctx: ApplyContext) -> None:
    """New lines and corrections through the ledger's owner; each new row names its line."""
    inserts = ctx.cache.get("inserts", [])
    recorded = record_many(session, [line for _row, line in inserts], batch_id=ctx.batch_id, source=SOURCE,
                           correlation_id=ctx.correlation_id)
    for (row, _line), line_id in zip(inserts, recorded.ids):
        row.entity_id = None if line_id is None else str(line_id)
    for index, reason in recorded.refused.items():
        inserts[index][0].error(None, reason)
    correct_many(session, [change for _row, change in ctx.cache.get("updates", [])], source=SOURCE,
                 correlation_id=ctx.correlation_id)
