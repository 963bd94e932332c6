"""Many ledger lines at once: the bulk side of ``programmes.services.transactions``.

An import that adds lines is one fact for the event log: ``record_many`` inserts the
lines (each carrying its batch id and row) and publishes one ``LedgerLinesImported``
event in the same transaction, with the counts, the totals per activity, year, kind
and currency and the ids of the new lines. Handlers work set-based from it.
``correct_many`` changes existing lines and publishes one ``TransactionCorrected`` per
line, with the payload ``correct_transaction`` writes. The rules (kinds, currency,
booked amount, EUR conversion) are those of ``record_transaction``.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Callable, Iterable, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.bulk import chunks, driver_insert, reserve_ids, select_in, stored_values
from app.db import Money, utcnow
from app.events import publish, publish_many
from app.events.payload import changes, jsonable
from app.rates.models import ExchangeRate
from app.rates.services import eur_value, hold_rates
from app.sql import among
from programmes.models import Activity, Transaction
from programmes.services.transactions import (CORRECTABLE, LINES_IMPORTED, SPENDING, booked_amount,
                                              correction_payload, expire_loaded_transactions, net_disbursed,
                                              projection_facts_of, validate_line)

INSERT_COLUMNS = ("id", "activity_id", "kind", "date", "amount_minor", "currency", "amount_eur_minor", "source",
                  "document_number", "description", "budget_article", "import_batch_id", "import_row",
                  "recorded_at", "version")
#: the columns read for a line that may be corrected
LINE_COLUMNS = (Transaction.id, Transaction.activity_id, Transaction.kind, Transaction.date, Transaction.amount,
                Transaction.currency, Transaction.description, Transaction.budget_article, Transaction.amount_eur,
                Transaction.version, Transaction.document_number, Activity.programme_id)


class ActivityRef(NamedTuple):
    id: int
    programme_id: int


class NewLine(NamedTuple):
    """A line to book; ``row``: the row of the import file it comes from."""

    activity_id: int
    kind: str
    date: date
    amount: Decimal
    currency: str
    document_number: str
    description: str | None = None
    budget_article: str | None = None
    row: int | None = None


class LineChange(NamedTuple):
    """A booked line (as ``lines_by_document`` read it) and what it becomes."""

    old: sa.Row
    new: NewLine


class LineTotal(NamedTuple):
    """What a batch added to one activity, year, kind and currency (EUR: converted lines only)."""

    programme_id: int
    activity_id: int
    year: int
    kind: str
    currency: str
    lines: int
    amount: Decimal
    amount_eur: Decimal
    unconverted: int


class Recorded(NamedTuple):
    """What ``record_many`` did: the new line ids (in the order of the lines given, None
    for a refused line) and the lines a guard refused, with its reason."""

    ids: list
    refused: dict


#: a guard sees every line before anything is written and answers {index: reason} for
#: the lines it refuses (e.g. a year already submitted); refused lines are not written
Guard = Callable[[Session, list], dict]


class EurRates:
    """Units of each currency per EUR for the (currency, year) pairs of a batch, each
    currency read once however many chunks ask for it."""

    def __init__(self, session: Session, pairs: Iterable[tuple[str, int]]):
        self.rates: dict[tuple[str, int], Decimal] = {}
        self.read: set[str] = {"EUR"}
        self.include(session, pairs)

    def include(self, session: Session, pairs: Iterable[tuple[str, int]]) -> None:
        """Read the rates of the currencies among ``pairs`` not read yet."""
        currencies = sorted({c for c, _ in pairs} - self.read)
        if not currencies:
            return
        hold_rates(session)
        found = session.execute(sa.select(ExchangeRate.currency, ExchangeRate.year, ExchangeRate.units_per_eur)
                                .where(ExchangeRate.currency.in_(currencies))).all()
        self.rates.update({(c, y): rate for c, y, rate in found if rate is not None})
        self.read.update(currencies)

    def to_eur(self, amount: Decimal, currency: str, year: int) -> Decimal | None:
        """What app.rates.services.to_eur answers, from the rates read once."""
        if currency == "EUR":
            return amount
        return eur_value(amount, self.rates.get((currency, year)))


def activities_by_code(session: Session, codes: Iterable[str]) -> dict[str, ActivityRef]:
    found = select_in(session, lambda chunk: sa.select(Activity.code, Activity.id, Activity.programme_id)
                      .where(among(session, Activity.code, chunk)), sorted(set(codes)))
    return {code: ActivityRef(activity_id, programme_id) for code, activity_id, programme_id in found}


def activity_codes(session: Session) -> list[str]:
    """Every activity code (what an unknown code in a file is compared with)."""
    return list(session.scalars(sa.select(Activity.code)))


def lines_by_document(session: Session, source: str, documents: list[str]) -> dict[str, sa.Row]:
    """The booked lines of ``source`` with these document numbers (LINE_COLUMNS), by document."""
    found = select_in(session, lambda chunk: (
        sa.select(*LINE_COLUMNS).join(Activity, Activity.id == Transaction.activity_id)
        .where(Transaction.source == source, among(session, Transaction.document_number, chunk))), documents)
    return {row.document_number: row for row in found}


def documents_by_id(session: Session, ids: list[int]) -> dict[int, str]:
    """The document numbers of these lines, by line id."""
    return dict(select_in(session, lambda chunk: sa.select(Transaction.id, Transaction.document_number)
                          .where(among(session, Transaction.id, chunk)), ids))


def same_line(old: sa.Row, new: NewLine) -> bool:
    return (old.activity_id, old.kind, old.date, old.amount, old.currency, old.description,
            old.budget_article) == (new.activity_id, new.kind, new.date, new.amount, new.currency,
                                    new.description, new.budget_article)


def net_disbursed_by_date(session: Session, activity_ids: list[int]) -> list[tuple[int, object, Decimal]]:
    """(activity id, date, net disbursed in EUR) of the ledger, for the refund check."""
    t = Transaction.__table__
    net = sa.type_coerce(sa.func.sum(net_disbursed(t.c.kind, t.c.amount_eur_minor)), Money())
    return select_in(session, lambda chunk: (
        sa.select(t.c.activity_id, t.c.date, net)
        .where(among(session, t.c.activity_id, chunk), t.c.kind.in_(SPENDING), t.c.amount_eur_minor.is_not(None))
        .group_by(t.c.activity_id, t.c.date)), activity_ids)


def record_many(session: Session, lines: list[NewLine], *, batch_id: int, source: str = "ledger",
                guard: Guard | None = None, correlation_id: str | None = None) -> Recorded:
    """Book new lines in sets, with one ``LedgerLinesImported`` event; never commits.

    Every line passes the rules of ``record_transaction`` (a ValidationError names the
    first that does not) and then ``guard``, the one place where a line can be refused."""
    batch = LinesBatch(session, batch_id=batch_id, source=source, guard=guard, correlation_id=correlation_id)
    recorded = batch.add(lines)
    batch.finish()
    return recorded


class LinesBatch:
    """``record_many`` a chunk at a time: each ``add`` books its lines at once, ``finish``
    publishes the batch's one ``LedgerLinesImported`` event. Between chunks it keeps only
    the event's makings: a running sum per activity, year, kind and currency, and the new
    ids as ranges (one range when the ids are consecutive), never the lines."""

    def __init__(self, session: Session, *, batch_id: int, source: str = "ledger", guard: Guard | None = None,
                 correlation_id: str | None = None):
        self.session, self.batch_id, self.source = session, batch_id, source
        self.guard, self.correlation_id = guard, correlation_id
        self.rates = EurRates(session, ())
        self.programmes: dict[int, int] = {}
        self.groups: dict[tuple, list[int]] = {}
        self.ranges: list[list[int]] = []
        self.count = 0

    def add(self, lines: list[NewLine]) -> Recorded:
        """Book ``lines`` now; the ids in their order (None where the guard refused one)."""
        lines = [_booked(line) for line in lines]
        for line in lines:
            validate_line(line.kind, line.date, line.currency, line.document_number)
        refused = self.guard(self.session, lines) if self.guard and lines else {}
        admitted = [(i, line) for i, line in enumerate(lines) if i not in refused]
        ids: list = [None] * len(lines)
        if not admitted:
            return Recorded(ids, refused)
        booked = [line for _, line in admitted]
        self.rates.include(self.session, {(line.currency, line.date.year) for line in booked})
        new_ids = reserve_ids(self.session, "transactions", len(admitted))
        cents = [_cents(line.amount) for line in booked]
        eur_cents = [_cents(self.rates.to_eur(line.amount, line.currency, line.date.year)) for line in booked]
        _insert(self.session, booked, new_ids, cents, eur_cents, self.batch_id, self.source)
        for (index, _line), line_id in zip(admitted, new_ids):
            ids[index] = line_id
        _add_to_totals(self.groups, booked, cents, eur_cents)
        self.ranges += id_ranges(new_ids)
        self.count += len(new_ids)
        return Recorded(ids, refused)

    def finish(self) -> None:
        """The batch event, when the batch booked any line."""
        if not self.count:
            return
        activities = {activity for activity, *_rest in self.groups}
        missing = activities - self.programmes.keys()
        self.programmes.update(_programme_of(self.session, missing))
        totals = [LineTotal(self.programmes[activity], activity, year, kind, currency, count, _money(amount),
                            _money(eur), unconverted)
                  for (activity, year, kind, currency), (count, amount, eur, unconverted)
                  in sorted(self.groups.items())]
        payload = lines_imported_payload(self.batch_id, self.source, self.count, totals, _merged(self.ranges))
        publish(self.session, LINES_IMPORTED, "ImportBatch", self.batch_id, payload,
                correlation_id=self.correlation_id)


def _booked(line: NewLine) -> NewLine:
    amount = booked_amount(line.kind, line.amount)
    return line if amount == line.amount else line._replace(amount=amount)


def _insert(session: Session, lines: list[NewLine], ids: list[int], cents: list, eur_cents: list, batch_id: int,
            source: str) -> None:
    convert = stored_values(session)  # SQLite keeps dates and datetimes as text
    stamp = convert(utcnow().replace(tzinfo=None))
    driver_insert(session, "transactions", INSERT_COLUMNS, (
        (line_id, line.activity_id, line.kind, convert(line.date), amount, line.currency, eur, source,
         line.document_number, line.description, line.budget_article, batch_id, line.row, stamp, 1)
        for line, line_id, amount, eur in zip(lines, ids, cents, eur_cents)))


def _programme_of(session: Session, activity_ids: set) -> dict[int, int]:
    return dict(select_in(session, lambda chunk: sa.select(Activity.id, Activity.programme_id)
                          .where(among(session, Activity.id, chunk)), sorted(activity_ids)))


def _add_to_totals(groups: dict, lines: list[NewLine], cents: list, eur_cents: list) -> None:
    """Summed in integer cents: [lines, amount, EUR amount, lines without EUR] per
    activity, year, kind and currency."""
    for line, amount, eur in zip(lines, cents, eur_cents):
        key = (line.activity_id, line.date.year, line.kind, line.currency)
        group = groups.get(key)
        if group is None:
            group = groups[key] = [0, 0, 0, 0]
        group[0] += 1
        group[1] += amount
        if eur is None:
            group[3] += 1
        else:
            group[2] += eur


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def lines_imported_payload(batch_id: int, source: str, lines: int, totals: list[LineTotal],
                           ranges: list[list[int]]) -> dict:
    """The batch event: counts, totals (one row per LineTotal, named by ``columns``, money
    as decimal text) and the new line ids as inclusive [first, last] ranges."""
    kinds = defaultdict(int)
    for total in totals:
        kinds[total.kind] += total.lines
    return {"import_batch_id": batch_id, "source": source, "lines": lines, "kinds": dict(sorted(kinds.items())),
            "columns": list(LineTotal._fields),
            "totals": [[t.programme_id, t.activity_id, t.year, t.kind, t.currency, t.lines, str(t.amount),
                        str(t.amount_eur), t.unconverted] for t in totals],
            "id_ranges": ranges}


def id_ranges(ids: Iterable[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for line_id in sorted(ids):
        if ranges and ranges[-1][1] == line_id - 1:
            ranges[-1][1] = line_id
        else:
            ranges.append([line_id, line_id])
    return ranges


def _merged(ranges: list[list[int]]) -> list[list[int]]:
    """Inclusive ranges in order, adjoining ones joined (a batch's chunks, one after the other)."""
    merged: list[list[int]] = []
    for first, last in sorted(ranges):
        if merged and merged[-1][1] == first - 1:
            merged[-1][1] = last
        else:
            merged.append([first, last])
    return merged


def imported_totals(payload: dict) -> list[LineTotal]:
    """The totals of a LedgerLinesImported payload."""
    columns = payload["columns"]
    found = []
    for values in payload["totals"]:
        row = dict(zip(columns, values))
        found.append(LineTotal(int(row["programme_id"]), int(row["activity_id"]), int(row["year"]), row["kind"],
                               row["currency"], int(row["lines"]), Decimal(row["amount"]),
                               Decimal(row["amount_eur"]), int(row["unconverted"])))
    return found


def imported_line_ids(payloads: Iterable[dict]):
    """SQL condition: the lines named by LedgerLinesImported payloads (for set-based handlers)."""
    ranges = [r for payload in payloads for r in payload.get("id_ranges", ())]
    if not ranges:
        return sa.false()
    return sa.or_(*(Transaction.id.between(first, last) for first, last in ranges))


def batch_lines(batch_id: int) -> sa.Select:
    """(row, document number, line id) of the lines a batch created, for its per-row answer."""
    return (sa.select(Transaction.import_row, Transaction.document_number, Transaction.id)
            .where(Transaction.import_batch_id == batch_id, Transaction.import_row.is_not(None)))


#: the columns' own types bind the values (money as Decimal, stored as cents)
UPDATE_LINE = (
    sa.update(Transaction.__table__)
    .where(Transaction.__table__.c.id == sa.bindparam("b_id"),
           Transaction.__table__.c.version == sa.bindparam("b_version"))
    .values(activity_id=sa.bindparam("activity_id"), kind=sa.bindparam("kind"), date=sa.bindparam("date"),
            amount_minor=sa.bindparam("amount_minor"), currency=sa.bindparam("currency"),
            amount_eur_minor=sa.bindparam("amount_eur_minor"), description=sa.bindparam("description"),
            budget_article=sa.bindparam("budget_article"), version=Transaction.__table__.c.version + 1)
)


class LineChanged(RuntimeError):
    """A line changed between reading and correcting it (optimistic version check)."""


def correct_many(session: Session, corrections: list[LineChange], *, source: str = "ledger",
                 correlation_id: str | None = None) -> None:
    """Correct booked lines in sets; one ``TransactionCorrected`` per line, as
    ``correct_transaction`` writes it. Never commits."""
    if not corrections:
        return
    corrections = [c._replace(new=c.new._replace(amount=booked_amount(c.new.kind, c.new.amount)))
                   for c in corrections]
    for change in corrections:
        validate_line(change.new.kind, change.new.date, change.new.currency, change.new.document_number)
    rates = EurRates(session, {(c.new.currency, c.new.date.year) for c in corrections})
    programmes = _programme_of(session, {c.new.activity_id for c in corrections})
    for chunk in chunks(corrections):
        euros = [rates.to_eur(c.new.amount, c.new.currency, c.new.date.year) for c in chunk]
        _update(session, chunk, euros)
        publish_many(session, [{"type": "TransactionCorrected", "aggregate_type": "Transaction",
                                "aggregate_id": c.old.id, "correlation_id": correlation_id,
                                "payload": _correction(c, eur, programmes[c.new.activity_id], source)}
                               for c, eur in zip(chunk, euros)])
    expire_loaded_transactions(session)


def _update(session: Session, chunk, euros: list) -> None:
    params = [{"b_id": c.old.id, "b_version": c.old.version, "activity_id": c.new.activity_id, "kind": c.new.kind,
               "date": c.new.date, "amount_minor": c.new.amount, "currency": c.new.currency,
               "amount_eur_minor": eur, "description": c.new.description,
               "budget_article": c.new.budget_article} for c, eur in zip(chunk, euros)]
    result = session.execute(UPDATE_LINE, params)
    if session.get_bind().dialect.supports_sane_multi_rowcount and result.rowcount != len(chunk):
        raise LineChanged("a transaction changed while the import ran; nothing was imported, try again")


def _correction(change: LineChange, eur, programme_id: int, source: str) -> dict:
    old, new = change.old, change.new
    before = jsonable({name: getattr(old, name) for name in CORRECTABLE})
    after = jsonable({name: getattr(new, name) for name in CORRECTABLE})
    return correction_payload(
        new.document_number, source, changes(before, after),
        projection_facts_of(old.programme_id, old.activity_id, old.date.year, old.kind, old.amount_eur),
        projection_facts_of(programme_id, new.activity_id, new.date.year, new.kind, eur))


def _cents(value: Decimal | None) -> int | None:
    """Money columns store cents; amounts here have at most two decimals."""
    return None if value is None else int(value.scaleb(2))
