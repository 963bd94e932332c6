"""Ledger lines from the accounting system: disbursements, refunds, commitments.

Large files are the rule here, so rows are resolved with a handful of set queries
and written in bulk. The rules and events are those of
programmes.services.transactions: one DisbursementRecorded / RefundRecorded /
CommitmentRecorded per new line (payload = the transaction snapshot plus
programme_id), one TransactionCorrected with before/after facts per changed line.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import case, cast, literal
from sqlalchemy.orm import Session

from app.bulk import driver_insert, reserve_ids, stored_values
from app.db import UTCDateTime, utcnow
from app.events.bus import EVENT_COLUMNS, current_actor, lock_event_order, publish_many
from app.events.models import Event
from app.events.payload import changes, jsonable
from app.rates.models import ExchangeRate
from app.rates.services import eur_value, hold_rates
from app.sql import among, date_text, json_object, money_text
from importers.bulk import ACTIVITIES, TRANSACTIONS, chunks, select_in
from importers.kinds.base import IMPORTED, UNCHANGED, UPDATED, ApplyContext, Column, Kind, RowResult
from importers.kinds.refunds import FileLine, warn_refunds_beyond_disbursed
from importers.suggestions import closest_codes, did_you_mean
from importers.values import CellError, normalise_label, parse_amount, parse_code, parse_date, parse_text
from programmes.models import Activity, Transaction
from programmes.models.enums import TransactionKind
from programmes.services.transactions import CORRECTABLE, RECORDED_EVENT, booked_amount, expire_loaded_transactions

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
INSERT_COLUMNS = ("id", "activity_id", "kind", "date", "amount_minor", "currency", "amount_eur_minor", "source",
                  "document_number", "description", "budget_article", "import_batch_id", "recorded_at", "version")
EVENT_OF_KIND = {kind.value: event for kind, event in RECORDED_EVENT.items()}
EVENTS = Event.__table__
#: positions in RowResult.values
DOC, DATE, ACTIVITY, AMOUNT, CURRENCY, DESCRIPTION, ARTICLE, KIND = range(8)


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
        raise CellError(f"not an ISO currency code: {code!r} (write EUR, USD, MWK …)")
    return code


def parse_kind(value) -> str:
    text = parse_text(value, 40)
    if text is None:
        return TransactionKind.DISBURSEMENT.value
    kind = KIND_BY_WORD.get(normalise_label(text))
    if kind is None:
        raise CellError(f"unknown kind {text!r}: write disbursement, refund or commitment")
    return kind


class SpendingKind(Kind):
    name = "spending"
    title = "Spending (ledger lines)"
    description = ("Ledger lines exported from the accounting system. A line already imported (same document "
                   "number) is left unchanged when identical and corrected, with an event keeping the old "
                   "values, when it differs. Nothing is ever deleted.")
    bulk = True
    columns = (
        Column("document_number", True, ("Documentnummer", "Boekstuknummer", "Document nr", "Stuknummer"),
               "The accounting document number; unique per line.", "B-2024-000123"),
        Column("posting_date", True, ("Boekingsdatum", "Posting date", "Datum"),
               "A real Excel date, or 31/12/2024, 31.12.2024, 2024-12-31 (day first).", date(2024, 3, 15)),
        Column("activity_code", True, ("Projectcode", "Activiteitscode", "Project", "Activiteit"),
               "The code of an existing activity.", "MWI-2019-TLC"),
        Column("amount", True, ("Bedrag",),
               "A number, or text like 1.234,56 or 1,234.56; at most two decimals.", Decimal("125000.00")),
        Column("currency", False, ("Munt", "Valuta"), "ISO code; EUR when empty.", "EUR"),
        Column("description", False, ("Omschrijving",), "Free text, up to 500 characters.",
               "Second tranche 2024"),
        Column("budget_article", False, ("Begrotingsartikel",), "Up to 40 characters.", "QB0-1QAD2MZ-WT"),
        Column("kind", False, ("Soort", "Type", "Transactiesoort"),
               "disbursement (default), refund or commitment. A refund is money returned whatever its sign "
               "(250,00, -250,00 and (250,00) all book 250,00 returned).", "disbursement"),
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
                row.error("amount", "is empty; a value is required")
            elif named and currency and named != currency:
                row.error("amount", f"the amount is in {named} but the currency column says {currency}")
            elif named:
                currency = named
        except CellError as exc:
            row.error("amount", str(exc))
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
                row.error("document_number", f"document {document} appears already on row {first}")
        row.values = (document, when, activity, amount, currency or "EUR", description, article, kind)

    def apply(self, session: Session, rows: list[RowResult], ctx: ApplyContext) -> None:
        plan(session, rows, ctx)

    def write(self, session: Session, ctx: ApplyContext) -> None:
        write(session, ctx)


def plan(session: Session, rows: list[RowResult], ctx: ApplyContext) -> None:
    """Decide each row's outcome with set queries, a chunk of rows at a time; nothing is written."""
    valid = [r for r in rows if not r.has_error]
    activities = _activities(session, {r.values[ACTIVITY] for r in valid})
    rates = _eur_rates(session, {(r.values[CURRENCY], r.values[DATE].year) for r in valid})
    refunded = {activities[code][0]: code for code in {r.values[ACTIVITY] for r in valid if r.values[KIND] == REFUND}
                if code in activities}
    suggestions = _suggestions(session, {r.values[ACTIVITY] for r in valid} - set(activities))
    inserts, updates, replaced = [], [], []
    for chunk in chunks(valid):
        existing = _existing(session, [r.values[DOC] for r in chunk])
        for row in chunk:
            _plan_row(row, activities, rates, existing, inserts, updates, suggestions)
        if refunded:
            replaced += _replaced(chunk, existing, refunded)
    ctx.cache["inserts"], ctx.cache["updates"] = inserts, updates
    if refunded:
        warn_refunds_beyond_disbursed(session, _refunded_lines(valid, activities, refunded, rates), replaced, refunded)


def _replaced(chunk, existing: dict, refunded: dict) -> list:
    """The ledger's version of the chunk's planned lines that sit on a refunded activity."""
    olds = (existing.get(row.values[DOC]) for row in chunk if not row.has_error)
    return [old for old in olds if old is not None and old.activity_id in refunded]


def _refunded_lines(rows: list[RowResult], activities: dict, refunded: dict, rates: dict) -> list[FileLine]:
    """The file's planned lines on the activities it refunds (usually a few), in EUR."""
    codes = set(refunded.values())
    return [FileLine(activities[v[ACTIVITY]][0], v[DATE], v[KIND], _to_eur(v[AMOUNT], v[CURRENCY], v[DATE].year,
                                                                          rates), row)
            for row in rows if not row.has_error and row.values[ACTIVITY] in codes for v in (row.values,)]


def _suggestions(session: Session, unknown: set[str]) -> dict[str, list[str]]:
    """The closest existing activity codes for each unknown one (one query, only when a code is unknown)."""
    if not unknown:
        return {}
    return closest_codes(unknown, list(session.scalars(sa.select(Activity.code))))


def _plan_row(row: RowResult, activities: dict, rates: dict, existing: dict, inserts: list, updates: list,
              suggestions: dict[str, list[str]]) -> None:
    values = row.values
    activity = activities.get(values[ACTIVITY])
    if activity is None:
        row.error("activity_code", f"no activity with code {values[ACTIVITY]}"
                                   f"{did_you_mean(values[ACTIVITY], suggestions)}")
        return
    amount_eur = _to_eur(values[AMOUNT], values[CURRENCY], values[DATE].year, rates)
    if amount_eur is None:
        row.warn("currency", f"no {values[CURRENCY]} exchange rate for {values[DATE].year}: the EUR amount "
                             "stays empty until the rate is set")
    old = existing.get(values[DOC])
    if old is None:
        row.outcome = IMPORTED
        inserts.append((row, activity, amount_eur))
        return
    row.entity_id = str(old.id)
    if _same(old, activity[0], values):
        row.outcome = UNCHANGED
    else:
        row.outcome = UPDATED
        updates.append((row, activity, amount_eur, old))


def write(session: Session, ctx: ApplyContext) -> None:
    """Insert new lines and correct changed ones in sets, with their events."""
    _insert_new(session, ctx.cache.get("inserts", []), ctx)
    _correct_changed(session, ctx.cache.get("updates", []), ctx)


def _activities(session: Session, codes: set) -> dict:
    found = select_in(session, lambda chunk: sa.select(Activity.code, Activity.id, Activity.programme_id)
                      .where(among(session, Activity.code, chunk)), sorted(codes))
    return {code: (activity_id, programme_id) for code, activity_id, programme_id in found}


def _existing(session: Session, documents: list) -> dict:
    columns = (Transaction.id, Transaction.activity_id, Transaction.kind, Transaction.date, Transaction.amount,
               Transaction.currency, Transaction.description, Transaction.budget_article, Transaction.amount_eur,
               Transaction.version, Transaction.document_number, Activity.programme_id)
    found = select_in(session, lambda chunk: (
        sa.select(*columns).join(Activity, Activity.id == Transaction.activity_id)
        .where(Transaction.source == SOURCE, among(session, Transaction.document_number, chunk))), documents)
    return {row.document_number: row for row in found}


def _eur_rates(session: Session, pairs: set) -> dict:
    """Units of each currency per EUR for the years in the file, read once per batch."""
    currencies = {c for c, _ in pairs if c != "EUR"}
    if not currencies:
        return {}
    hold_rates(session)
    found = session.execute(sa.select(ExchangeRate.currency, ExchangeRate.year, ExchangeRate.units_per_eur)
                            .where(ExchangeRate.currency.in_(sorted(currencies)))).all()
    return {(c, y): rate for c, y, rate in found if rate is not None}


def _to_eur(amount: Decimal, currency: str, year: int, rates: dict) -> Decimal | None:
    """What app.rates.services.to_eur answers, from the rates read once."""
    if currency == "EUR":
        return amount
    return eur_value(amount, rates.get((currency, year)))


def _same(old, activity_id: int, values: tuple) -> bool:
    return (old.activity_id, old.kind, old.date, old.amount, old.currency, old.description,
            old.budget_article) == (activity_id, values[KIND], values[DATE], values[AMOUNT], values[CURRENCY],
                                    values[DESCRIPTION], values[ARTICLE])


def _cents(value: Decimal | None) -> int | None:
    """Money columns store cents; amounts here are already checked to have at most two decimals."""
    return None if value is None else int(value.scaleb(2))


def _insert_new(session: Session, inserts: list, ctx: ApplyContext) -> None:
    """Insert the new lines under ids reserved for them, then publish their events with
    one INSERT … SELECT."""
    if not inserts:
        return
    convert = stored_values(session)  # SQLite keeps dates and datetimes as text
    now = utcnow()
    stamp = convert(now.replace(tzinfo=None))
    ids = reserve_ids(session, "transactions", len(inserts))
    for (row, _activity, _eur), line_id in zip(inserts, ids):
        row.entity_id = str(line_id)
    driver_insert(session, "transactions", INSERT_COLUMNS, (
        (line_id, activity[0], v[KIND], convert(v[DATE]), _cents(v[AMOUNT]), v[CURRENCY], _cents(eur), SOURCE,
         v[DOC], v[DESCRIPTION], v[ARTICLE], ctx.batch_id, stamp, 1)
        for (row, activity, eur), line_id in zip(inserts, ids) for v in (row.values,)))
    lock_event_order(session)
    session.execute(EVENTS.insert().from_select(EVENT_COLUMNS, _recorded_events(session, ctx, now)))


def _recorded_events(session: Session, ctx: ApplyContext, now: datetime):
    """The events record_transaction publishes (the transaction snapshot plus
    programme_id) for the batch's new lines, in the order they were inserted: built by
    the database, so 100,000 lines cost no Python serialisation."""
    t, a = TRANSACTIONS, ACTIVITIES
    payload = json_object(session, {
        "activity_id": t.c.activity_id, "kind": t.c.kind, "date": date_text(session, t.c.date),
        "amount": money_text(session, t.c.amount_minor), "currency": t.c.currency,
        "amount_eur": money_text(session, t.c.amount_eur_minor), "source": t.c.source,
        "document_number": t.c.document_number, "description": t.c.description,
        "budget_article": t.c.budget_article, "import_batch_id": t.c.import_batch_id,
        "programme_id": a.c.programme_id})
    event_type = case(*((t.c.kind == kind, literal(event)) for kind, event in EVENT_OF_KIND.items()))
    actor = current_actor()
    return (sa.select(event_type, literal("Transaction"), cast(t.c.id, sa.String), payload,
                      literal(actor.name[:120]), literal(now, UTCDateTime()), literal(ctx.correlation_id, sa.String))
            .select_from(t.join(a, a.c.id == t.c.activity_id))
            .where(t.c.import_batch_id == ctx.batch_id).order_by(t.c.id))


UPDATE_TRANSACTION = (
    sa.update(TRANSACTIONS)
    .where(TRANSACTIONS.c.id == sa.bindparam("b_id"), TRANSACTIONS.c.version == sa.bindparam("b_version"))
    .values(activity_id=sa.bindparam("activity_id"), kind=sa.bindparam("kind"), date=sa.bindparam("date"),
            amount_minor=sa.bindparam("amount_minor"), currency=sa.bindparam("currency"),
            amount_eur_minor=sa.bindparam("amount_eur_minor"), description=sa.bindparam("description"),
            budget_article=sa.bindparam("budget_article"), version=TRANSACTIONS.c.version + 1)
)


def _correct_changed(session: Session, updates: list, ctx: ApplyContext) -> None:
    """Correct changed lines (optimistic version check) and publish TransactionCorrected for each."""
    for chunk in chunks(updates):
        params = [{"b_id": old.id, "b_version": old.version, "activity_id": activity[0], "kind": v[KIND],
                   "date": v[DATE], "amount_minor": _cents(v[AMOUNT]), "currency": v[CURRENCY],
                   "amount_eur_minor": _cents(eur), "description": v[DESCRIPTION], "budget_article": v[ARTICLE]}
                  for row, activity, eur, old in chunk for v in (row.values,)]
        result = session.execute(UPDATE_TRANSACTION, params)
        if session.get_bind().dialect.supports_sane_multi_rowcount and result.rowcount != len(chunk):
            raise RuntimeError("a transaction changed while the import ran; nothing was imported, try again")
        publish_many(session, [{"type": "TransactionCorrected", "aggregate_type": "Transaction",
                                "aggregate_id": old.id, "correlation_id": ctx.correlation_id,
                                "payload": _correction_payload(old, activity, eur, row.values)}
                               for row, activity, eur, old in chunk])
    if updates:
        expire_loaded_transactions(session)


def _correction_payload(old, activity, eur, v) -> dict:
    """The payload correct_transaction writes: changed fields, projection facts before and after."""
    before = jsonable({name: getattr(old, name) for name in CORRECTABLE})
    after = jsonable({"activity_id": activity[0], "kind": v[KIND], "date": v[DATE], "amount": v[AMOUNT],
                      "currency": v[CURRENCY], "description": v[DESCRIPTION], "budget_article": v[ARTICLE]})
    return {"document_number": v[DOC], "source": SOURCE, "changes": changes(before, after),
            "before": jsonable({"programme_id": old.programme_id, "year": old.date.year, "kind": old.kind,
                                "amount_eur": old.amount_eur}),
            "after": jsonable({"programme_id": activity[1], "year": v[DATE].year, "kind": v[KIND],
                               "amount_eur": eur})}
