"""Running the rules once per (activity, year, currency) and storing what changed."""
from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from typing import Iterable, Iterator, NamedTuple

from flask import current_app, has_app_context
from sqlalchemy import Text, bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.sql import among, analyze, insert_rows, json_from_text
from oda.models import Evaluation, Explanation
from oda.services import work
from oda.rules import RULES_VERSION, Outcome, evaluate
from oda.rules.base import ActivityFacts, RuleContext
from oda.rules.messages import N_, Message, msg
from oda.rules.reference import ReferenceSnapshot
from programmes.models import Activity

CHUNK = 2000
#: evaluations changed in a run from which PostgreSQL is told their statistics
ANALYZE_AFTER = 1000
#: the columns of an activity the classification loads: the fields of ActivityFacts
FACT_COLUMNS = tuple(f.name for f in fields(ActivityFacts))


def donor_label() -> Message:
    if not has_app_context():
        return msg(N_("the reporting donor"))
    config = current_app.config
    return msg(N_("the reporting donor (DAC donor %(donor)s, agency %(agency)s)"),
               donor=config.get("AIDLEDGER_DONOR_CODE"), agency=config.get("AIDLEDGER_AGENCY_CODE"))


def activity_facts(session: Session, activity_ids: Iterable[int]) -> dict[int, ActivityFacts]:
    ids = sorted(set(activity_ids))
    facts = {}
    columns = [getattr(Activity, name) for name in FACT_COLUMNS]
    for start in range(0, len(ids), CHUNK):
        for row in session.execute(select(*columns).where(Activity.id.in_(ids[start:start + CHUNK]))):
            facts[row.id] = ActivityFacts(**row._asdict())
    return facts


def evaluate_contexts(session: Session, contexts: list[tuple[int, int, str]], snapshot: ReferenceSnapshot,
                      run_id: int) -> int:
    """Evaluate ``contexts`` in chunks; insert or update the evaluations whose inputs
    changed (stamped with ``run_id``). Returns how many changed."""
    changed = 0
    donor = donor_label()
    memo: dict = {}
    for chunk in _chunks(contexts):
        facts = activity_facts(session, {a for a, _, _ in chunk})
        outcomes = {key: evaluate(RuleContext(facts[key[0]], key[1], key[2], snapshot, donor), memo)
                    for key in chunk if key[0] in facts}
        changed += _store(session, outcomes, snapshot.version, run_id)
    if changed >= ANALYZE_AFTER:
        # the planner must know the run's evaluations before the events join them to the
        # ledger: believing there is one, it re-ran a per-evaluation sum per context (minutes)
        analyze(session, Evaluation.__tablename__)
    return changed


def store_line_counts(session: Session, year: int | None) -> int:
    """Each evaluation's ``lines`` (of ``year``, or all) as this run's work counted them, with
    the overridden lines the work leaves out; returns how many counts changed. Reads one row
    per context, writes only the counts that differ."""
    e, w, none = Evaluation.__table__, work.work, work.LineTotals(0, 0)
    found = {(a, y, c): work.LineTotals(n, int(amount)) for a, y, c, n, amount in session.execute(
        select(w.c.activity_id, w.c.year, w.c.currency, w.c.lines, w.c.amount_minor))}
    for key, extra in work.overridden_lines(session, year):
        now = found.get(key, none)
        found[key] = work.LineTotals(now.lines + extra.lines, now.amount_minor + extra.amount_minor)
    evaluated = select(e.c.id, e.c.activity_id, e.c.year, e.c.currency, e.c.lines, e.c.amount_minor)
    if year is not None:
        evaluated = evaluated.where(e.c.year == year)
    changes = [{"evaluation_id": id_, "counted": counted.lines, "amount": counted.amount_minor}
               for id_, a, y, c, lines, amount in session.execute(evaluated)
               if (counted := found.get((a, y, c), none)) != (lines, amount)]
    if changes:
        session.execute(update(e).where(e.c.id == bindparam("evaluation_id"))
                        .values(lines=bindparam("counted"), amount_minor=bindparam("amount")), changes)
    return len(changes)


def _store(session: Session, outcomes: dict[tuple, Outcome], version: int, run_id: int) -> int:
    """Write the evaluations whose inputs changed. Only those whose outcome as the lines
    see it changed (status, share, rate, versions) are stamped with this run and time:
    they are the ones whose lines get an event (a changed marker rewrites only reasons)."""
    e = Evaluation
    activity_ids = sorted({key[0] for key in outcomes})
    existing = {(r.activity_id, r.year, r.currency): r for r in session.execute(
        select(e.id, e.activity_id, e.year, e.currency, e.inputs_hash, *STORED_OUTCOME)
        .where(among(session, e.activity_id, activity_ids)))} if outcomes else {}
    changed = [(key, outcome, existing.get(key)) for key, outcome in outcomes.items()
               if key not in existing or existing[key].inputs_hash != outcome.inputs_hash]
    explanation_ids = _explanations(session, {o.reasons_digest: o.reasons_json for _, o, _ in changed})
    now = utcnow()
    inserts, updates, quiet = [], [], []
    for (activity_id, year, currency), outcome, current in changed:
        seen_by_lines = StoredOutcome(outcome.status, outcome.share, outcome.units_per_eur, version, RULES_VERSION)
        values = {"status": outcome.status, "share_e10": outcome.share, "units_per_eur_e10": outcome.units_per_eur,
                  "explanation_id": explanation_ids[outcome.reasons_digest], "inputs_hash": outcome.inputs_hash,
                  "reference_version": version, "rules_version": RULES_VERSION, "evaluated_at": now,
                  "run_id": run_id}
        if current is None:
            inserts.append({"activity_id": activity_id, "year": year, "currency": currency, **values})
        elif StoredOutcome.of(current) == seen_by_lines:
            quiet.append({"evaluation_id": current.id, "explanation_id": values["explanation_id"],
                          "inputs_hash": values["inputs_hash"]})
        else:
            updates.append({"evaluation_id": current.id, "previous_status": current.status, **values})
    table = Evaluation.__table__
    if inserts:
        insert_rows(session, table, inserts)
    for rows, names in ((updates, VALUE_COLUMNS), (quiet, ("explanation_id", "inputs_hash"))):
        if rows:
            values = {name: bindparam(name) for name in names}
            session.execute(update(table).where(table.c.id == bindparam("evaluation_id")).values(**values), rows)
    return len(changed)


class StoredOutcome(NamedTuple):
    """What a line's classification reads from its evaluation (attributes of Evaluation)."""

    status: str
    share: Decimal | None
    units_per_eur: Decimal | None
    reference_version: int
    rules_version: str

    @classmethod
    def of(cls, row) -> "StoredOutcome":
        """The outcome part of a row selected with ``STORED_OUTCOME``."""
        return cls(*(getattr(row, name) for name in cls._fields))


STORED_OUTCOME = tuple(getattr(Evaluation, name) for name in StoredOutcome._fields)
VALUE_COLUMNS = ("status", "previous_status", "share_e10", "units_per_eur_e10", "explanation_id", "inputs_hash",
                 "reference_version", "rules_version", "evaluated_at", "run_id")


def _explanations(session: Session, reasons: dict[str, str]) -> dict[str, int]:
    """Ids of the explanations with these digests, inserting the missing ones. The
    reasons arrive already serialised (once per distinct outcome, see ``evaluate``)."""
    ids: dict[str, int] = {}
    digests = sorted(reasons)
    for start in range(0, len(digests), CHUNK):
        part = digests[start:start + CHUNK]
        ids.update(_digest_ids(session, part))
    missing = [{"digest": d, "reasons_json": reasons[d], "created_at": utcnow()} for d in digests if d not in ids]
    if missing:
        text = bindparam("reasons_json", type_=Text)
        table = Explanation.__table__
        session.execute(insert(table).values(digest=bindparam("digest"), created_at=bindparam("created_at"),
                                             reasons=json_from_text(session, text)), missing)
        ids.update(_digest_ids(session, [m["digest"] for m in missing]))
    return ids


def _digest_ids(session: Session, digests: list[str]) -> dict[str, int]:
    rows = session.execute(select(Explanation.digest, Explanation.id)
                           .where(among(session, Explanation.digest, digests)))
    return {digest: id_ for digest, id_ in rows}


def _chunks(items: list) -> Iterator[list]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]
