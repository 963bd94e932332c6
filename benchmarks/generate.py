"""Fill a database with a synthetic ledger: N transactions over ~5,000 activities and programmes.

    python -m benchmarks.generate --n 1000000 --database-url URL

Rows go in with bulk Core inserts in batches (constant memory), each transaction
with its ``*Recorded`` event written by ``publish_many`` in the same database
transaction, so the event store explains the ledger exactly: ``flask events
replay budget_totals`` rebuilds the same totals as summing the ledger. Ids are
handed out here (max + 1), so no other writer may use the database meanwhile.
Amounts are handled as integer cents and written to the ``*_minor`` columns
directly, which is what the ``Money()`` type stores.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from random import Random
from typing import Iterator

from sqlalchemy import JSON, Date, DateTime, column, func, insert, select, table, text
from sqlalchemy.orm import Session

from app.db import Database, round_money, utcnow
from app.events.bus import install_session_hooks, publish_many
from app.rates.services import RateOrigin, get_rate, set_rate
from benchmarks.sample import activity_rows, programme_rows

ACTOR = "benchmark-generator"
SOURCE = "generated"
KIND_EVENT = {"commitment": "CommitmentRecorded", "disbursement": "DisbursementRecorded",
              "refund": "RefundRecorded"}
#: (ZAR per USD, EUR per USD) for the few lines in rand: IMF annual averages, 2025 repeats 2024
ZAR_RATES = {
    2019: ("14.4484", "0.893276"), 2020: ("16.4591", "0.875506"), 2021: ("14.7787", "0.845494"),
    2022: ("16.3559", "0.949624"), 2023: ("18.4502", "0.924840"), 2024: ("18.3287", "0.923890"),
    2025: ("18.3287", "0.923890"),
}

TRANSACTIONS = table(
    "transactions", column("id"), column("activity_id"), column("kind"), column("date", Date),
    column("amount_minor"), column("currency"), column("amount_eur_minor"), column("source"),
    column("document_number"), column("description"), column("budget_article"), column("import_batch_id"),
    column("recorded_at", DateTime), column("version"))
PROGRAMMES = table("programmes", column("focus_sectors", JSON), *(column(c) for c in (
    "id", "code", "name", "kind", "partner_country", "start_year", "end_year", "policy_area", "description",
    "version")))
BUDGET_LINES = table("budget_lines", *(column(c) for c in (
    "id", "programme_id", "year", "sector", "planned_amount_minor", "currency", "version")))
ACTIVITIES = table("activities", *(column(c) for c in (
    "id", "code", "title", "programme_id", "recipient_code", "purpose_code", "aid_type", "flow_type",
    "finance_type", "channel_code", "bi_multi", "main_objective", "currency", "status", "version")))


@dataclass(frozen=True)
class Target:
    """Where an activity's transactions may fall."""

    activity_id: int
    programme_id: int
    first_year: int
    last_year: int


@dataclass
class Ledger:
    """What the transaction rows are drawn from: the generator and the floor share it."""

    rng: Random
    targets: list[Target]
    rates: dict[int, Decimal]
    first_id: int


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def next_id(session: Session, name: str) -> int:
    return (session.scalar(select(func.max(column("id"))).select_from(table(name))) or 0) + 1


def prepare(session: Session, activities: int = 5000, programmes: int = 100, seed: int = 1) -> Ledger:
    """Rates, programmes with budget lines, and activities (with their events)."""
    if activities < 1 or programmes < 1:
        raise ValueError("activities and programmes must be at least 1")
    rng = Random(seed)
    rates = _ensure_rates(session)
    targets = _add_programmes_and_activities(session, rng, programmes, activities)
    return Ledger(rng, targets, rates, next_id(session, "transactions"))


def generate(session: Session, n: int, activities: int = 5000, programmes: int = 100, seed: int = 1,
             batch: int = 10_000, commit_every: int | None = 100_000) -> dict:
    """Add ``programmes`` programmes, ``activities`` activities and ``n`` transactions; returns counts.

    Commits every ``commit_every`` transactions (never when None: the caller commits).
    """
    if n < 0 or batch < 1:
        raise ValueError("n must be at least 0 and batch at least 1")
    ledger = prepare(session, activities, programmes, seed)
    written = 0
    for rows, events in transaction_batches(ledger, n, batch):
        session.execute(insert(TRANSACTIONS), rows)
        publish_many(session, events)
        written += len(rows)
        if commit_every and written % commit_every < batch:
            _advance_sequences(session)
            session.commit()
    _advance_sequences(session)
    if commit_every:
        session.commit()
    return {"programmes": programmes, "activities": activities, "transactions": written}


def _ensure_rates(session: Session) -> dict[int, Decimal]:
    """EUR and ZAR rates through the rate service (only those missing); returns ZAR per EUR by year."""
    out = {}
    for year, (zar_usd, eur_usd) in ZAR_RATES.items():
        for currency, value in (("EUR", eur_usd), ("ZAR", zar_usd)):
            if get_rate(session, year, currency) is None:
                set_rate(session, year, currency, value, "IMF IFS annual average (benchmark)", RateOrigin.IMF)
        out[year] = get_rate(session, year, "ZAR").units_per_eur
    return out


def _add_programmes_and_activities(session, rng: Random, programmes: int, activities: int) -> list[Target]:
    first_p, first_a, first_b = (next_id(session, t) for t in ("programmes", "activities", "budget_lines"))
    p_rows, lines, p_events = programme_rows(rng, first_p, programmes, first_b)
    session.execute(insert(PROGRAMMES), p_rows)
    session.execute(insert(BUDGET_LINES), lines)
    a_rows, a_events = activity_rows(rng, first_a, activities, p_rows)
    session.execute(insert(ACTIVITIES), a_rows)
    publish_many(session, [dict(e, actor=ACTOR) for e in p_events + a_events])
    periods = {p["id"]: (p["start_year"], min(p["end_year"], 2025)) for p in p_rows}
    return [Target(a["id"], a["programme_id"], *periods[a["programme_id"]]) for a in a_rows]


def transaction_batches(ledger: Ledger, n: int, batch: int) -> Iterator[tuple[list[dict], list[dict]]]:
    """Lists of transaction rows and their events, ``batch`` at a time (ids from ``ledger.first_id``)."""
    recorded_at = utcnow().replace(tzinfo=None)  # what UTCDateTime stores
    first_id = ledger.first_id
    for start in range(0, n, batch):
        rows, events = [], []
        for txn_id in range(first_id + start, first_id + min(start + batch, n)):
            row = _transaction(ledger.rng, ledger.targets, ledger.rates, txn_id, recorded_at)
            rows.append(row)
            events.append(_event(row))
        yield rows, events


def _transaction(rng: Random, targets: list[Target], rates, txn_id: int, recorded_at: datetime) -> dict:
    target = targets[rng.randrange(len(targets))]
    draw = rng.random()
    kind = "commitment" if draw < 0.08 else "refund" if draw < 0.10 else "disbursement"
    when = date(rng.randint(target.first_year, target.last_year), rng.randint(1, 12), rng.randint(1, 28))
    cents = rng.randint(10_000, 50_000_000)
    if rng.random() < 0.05:  # converted exactly as app.rates.services.to_eur does
        currency, eur = "ZAR", int(round_money(Decimal(cents).scaleb(-2) / rates[when.year]).scaleb(2))
    else:
        currency, eur = "EUR", cents
    return {"id": txn_id, "activity_id": target.activity_id, "kind": kind, "date": when, "amount_minor": cents,
            "currency": currency, "amount_eur_minor": eur, "source": SOURCE,
            "document_number": f"GEN-{txn_id:010d}", "description": f"Generated {kind}",
            "budget_article": "QB0-1QEB2AA-WT", "import_batch_id": None, "recorded_at": recorded_at,
            "version": 1, "_programme_id": target.programme_id}


def _event(row: dict) -> dict:
    payload = {"activity_id": row["activity_id"], "kind": row["kind"], "date": row["date"].isoformat(),
               "amount": money(row["amount_minor"]), "currency": row["currency"],
               "amount_eur": money(row["amount_eur_minor"]), "source": SOURCE,
               "document_number": row["document_number"], "description": row["description"],
               "budget_article": row["budget_article"], "import_batch_id": None,
               "programme_id": row.pop("_programme_id")}
    return {"type": KIND_EVENT[row["kind"]], "aggregate_type": "Transaction", "aggregate_id": row["id"],
            "payload": payload, "actor": ACTOR}


def _advance_sequences(session: Session) -> None:
    """Ids were given explicitly; PostgreSQL's sequences must move past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in ("programmes", "budget_lines", "activities", "transactions"):
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                             f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="transactions (default 100,000)")
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--programmes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", required=True, help="created or upgraded with the migrations first")
    args = parser.parse_args(argv)
    from app import migrate

    migrate.upgrade(args.database_url)
    db = Database(args.database_url)
    install_session_hooks(db.Session)
    started = time.perf_counter()
    with db.Session() as session:
        counts = generate(session, args.n, args.activities, args.programmes, args.seed)
    seconds = time.perf_counter() - started
    print(", ".join(f"{k} {v:,}" for k, v in counts.items())
          + f" in {seconds:.1f} s ({counts['transactions'] / max(seconds, 1e-9):,.0f} transactions/s)")
    db.engine.dispose()


if __name__ == "__main__":
    main()
