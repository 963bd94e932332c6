"""Synthetic programmes, budget lines and activities for the generator, with their events.

Rows are dicts for bulk Core inserts; the events carry the same payloads the
services publish (``ProgrammeCreated``, ``BudgetLineChanged``, ``ActivityCreated``).
"""
from __future__ import annotations

from random import Random

from programmes.services.activities import ACTIVITY_FIELDS
from programmes.services.programmes import PROGRAMME_FIELDS

COUNTRIES = ("253", "259", "218", "136")
PURPOSES = ("31120", "31166", "31191", "12110", "12220", "13020", "14015", "16020", "41010", "72010")
CHANNELS = ("12001", "22000", "23000", "41119", "41140", "41301", "51000", "62000")
KINDS = ("country_programme", "multilateral_portfolio", "grant_scheme", "humanitarian")


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def programme_rows(rng: Random, first_id: int, count: int, first_line_id: int):
    """(programme rows, budget-line rows, events): one budget line per programme year."""
    programmes, lines, events = [], [], []
    line_id = first_line_id
    for offset in range(count):
        pid, kind = first_id + offset, KINDS[offset % len(KINDS)]
        start = 2019 + offset // len(KINDS) % 3 if kind == "country_programme" else 2019
        row = {"id": pid, "code": f"GEN-P{pid:05d}", "name": f"Generated {kind.replace('_', ' ')} {pid}",
               "kind": kind, "partner_country": rng.choice(COUNTRIES) if kind == "country_programme" else None,
               "start_year": start, "end_year": start + 4 if kind == "country_programme" else 2025,
               "focus_sectors": [rng.choice(PURPOSES)[:3]], "policy_area": "development_cooperation",
               "description": None, "version": 1}
        programmes.append(row)
        events.append(_event("ProgrammeCreated", "Programme", pid, {f: row[f] for f in PROGRAMME_FIELDS}))
        for year in range(row["start_year"], row["end_year"] + 1):
            cents = rng.randint(1_000_000, 6_000_000) * 100
            lines.append({"id": line_id, "programme_id": pid, "year": year, "sector": "",
                          "planned_amount_minor": cents, "currency": "EUR", "version": 1})
            events.append(_event("BudgetLineChanged", "BudgetLine", line_id, {
                "programme_id": pid, "year": year, "sector": "", "currency": "EUR",
                "planned_amount": {"before": "0", "after": _money(cents)}}))
            line_id += 1
    return programmes, lines, events


def activity_rows(rng: Random, first_id: int, count: int, programmes: list[dict]):
    """(activity rows, events), spread evenly over the programmes."""
    rows, events = [], []
    for offset in range(count):
        aid = first_id + offset
        programme = programmes[offset % len(programmes)]
        row = {"id": aid, "code": f"GEN-A{aid:07d}", "title": f"Generated activity {aid}",
               "programme_id": programme["id"], "recipient_code": programme["partner_country"] or "998",
               "purpose_code": rng.choice(PURPOSES), "aid_type": "C01", "flow_type": "10", "finance_type": "110",
               "channel_code": rng.choice(CHANNELS), "bi_multi": "1", "main_objective": "development",
               "currency": "EUR", "status": "active", "version": 1}
        rows.append(row)
        events.append(_event("ActivityCreated", "Activity", aid, {f: row.get(f) for f in ACTIVITY_FIELDS}))
    return rows, events


def _event(type_: str, aggregate_type: str, aggregate_id: int, payload: dict) -> dict:
    return {"type": type_, "aggregate_type": aggregate_type, "aggregate_id": aggregate_id, "payload": payload}
