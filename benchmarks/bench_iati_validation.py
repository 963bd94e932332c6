"""Validating an IATI activity file before publication, against lxml's bare XSD validation.

1. A file of N minimal valid activities (Flemish, two transactions each) is written
   under benchmarks/out/; a scratch database holds the curated reference data.
2. The floor: ``XMLSchema.validate(etree.parse(file))``, the whole file parsed into
   memory and checked against the official schema (the schema parsed beforehand).
3. ``validate_iati_file``: the same schema per activity, every code against oda's lists
   and the official code-list files, every rule of ruleset-standard.json, streaming.
The row says whether the file came out with zero errors (it must). On a loaded machine
the wall-clock ratio swings widely; ``cpu_ratio`` (process time of each side) is steadier.

The official files are taken from AIDLEDGER_REFERENCE_DATA or ../shared/reference-data.
``--n`` is the number of activities (``make bench`` passes 100,000; the issue's figure is
50,000: ``python -m benchmarks --only iati_validation --n 50000``).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from lxml import etree

from app import REPO_ROOT
from app.db import Database
from benchmarks import OUT_DIR, fresh_scratch, isolated

REFERENCE = Path(os.environ.get("AIDLEDGER_REFERENCE_DATA") or REPO_ROOT.parent / "shared" / "reference-data")
SCHEMAS, CODELISTS = REFERENCE / "iati-schemas", REFERENCE / "iati-codelists"
FLANDERS = "XM-DAC-2-70"


def run(args) -> list[dict]:
    n = args.n
    url = fresh_scratch(args.database_url, f"bench-iati-{n}")
    isolated(_prepare, url)
    path = OUT_DIR / f"iati-activities-{n}.xml"
    _write_file(path, n)
    floor, (floor_valid, floor_cpu) = isolated(_floor, path)
    ours, (checked, errors, warnings, cpu) = isolated(_validate, url, path)
    return [{"name": "validate an IATI activity file (XSD, codes, ruleset)", "n": n, "seconds": ours.seconds,
             "floor_seconds": floor.seconds, "ratio": ours.seconds / floor.seconds, "peak_mb": ours.peak_mb,
             "cpu_seconds": f"{cpu:.2f}/{floor_cpu:.2f}", "cpu_ratio": round(cpu / floor_cpu, 2),
             "floor_peak_mb": round(floor.peak_mb, 1), "file_mb": round(path.stat().st_size / 2**20, 1),
             "floor": "lxml XMLSchema.validate(etree.parse(file))",
             "check": (f"{checked} activities, 0 errors, {warnings} warnings" if errors == 0 and floor_valid
                       and checked == n else f"{errors} ERRORS (floor valid: {floor_valid})")}]


def _prepare(url: str) -> None:
    from oda.reference.services import load_curated

    db = Database(url)
    with db.Session() as session:
        load_curated(session)
        session.commit()
    db.engine.dispose()


def _activity(number: int) -> str:
    identifier = f"{FLANDERS}-MWI-{number:06d}"
    transactions = "".join(
        f'<transaction><transaction-type code="{kind}"/><transaction-date iso-date="{day}"/>'
        f'<value value-date="{day}">{amount}</value><receiver-org type="10"><narrative>Ministry of Agriculture, '
        'Malawi</narrative></receiver-org></transaction>'
        for kind, day, amount in (("2", "2024-01-20", "150000.00"), ("3", "2024-03-15", "75000.00")))
    return (f'<iati-activity last-updated-datetime="2025-01-15T10:00:00Z" xml:lang="en" default-currency="EUR">'
            f'<iati-identifier>{identifier}</iati-identifier><reporting-org ref="{FLANDERS}" type="10"><narrative>'
            'Vlaamse overheid</narrative></reporting-org><title><narrative>Smallholder agriculture, Malawi '
            f'{number}</narrative></title><description><narrative>Support to farmers.</narrative></description>'
            f'<participating-org ref="{FLANDERS}" role="1" type="10"/><activity-status code="2"/>'
            '<activity-date iso-date="2023-01-01" type="2"/><recipient-country code="MW"/>'
            '<sector vocabulary="1" code="31120"/><default-flow-type code="10"/><default-finance-type code="110"/>'
            f'<default-aid-type code="C01"/>{transactions}</iati-activity>\n')


def _write_file(path: Path, n: int) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        for number in range(n):
            out.write(_activity(number))
        out.write("</iati-activities>\n")


def _floor(path: Path) -> tuple[bool, float]:
    started = time.process_time()
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "iati-activities-schema.xsd")))
    valid = schema.validate(etree.parse(str(path)))
    return valid, time.process_time() - started


def _validate(url: str, path: Path) -> tuple[int, int, int, float]:
    from exports.iati.validation import validate_iati_file

    db = Database(url)
    started = time.process_time()
    with db.Session() as session:
        report = validate_iati_file(session, path, "activities", SCHEMAS, codelist_dir=CODELISTS)
    cpu = time.process_time() - started
    db.engine.dispose()
    return report.checked, len(report.errors), len(report.warnings), cpu
