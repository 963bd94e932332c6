"""The README's table of page timings, regenerated from benchmark runs.

    python -m benchmarks --only pages --n 1000000 --out benchmarks/out/pages-sqlite.json
    python -m benchmarks --only pages --n 1000000 --database-url postgresql://…/aidledger_bench \\
        --out benchmarks/out/pages-postgresql.json
    python -m benchmarks.pages_table benchmarks/out/pages-sqlite.json benchmarks/out/pages-postgresql.json \\
        [--readme README.md]

One row per page: p50 / p95 / max in ms with 2 and with 8 clients on each engine and the
verdict against the goal. With ``--readme`` the table between the README's two markers is
replaced (the run's date goes with it); otherwise it is printed.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

START, END = "<!-- pages-table:start -->", "<!-- pages-table:end -->"
ENGINES = ("sqlite", "postgresql")
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _rows(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        rows += [r for r in json.loads(path.read_text()) if r.get("benchmark") == "pages" and "p95_ms" in r]
    return rows


def _clients(row: dict) -> int:
    return int(str(row["load"]).split()[0])


def _cell(rows: list[dict]) -> str:
    """"2: p50 / p95 / max ms; 8: …" for one page on one engine, SLOW where the goal is missed."""
    parts = []
    for row in sorted(rows, key=_clients):
        slow = " SLOW" if row.get("verdict") == "SLOW" else ""
        parts.append(f"{_clients(row)}: {row['p50_ms']:.0f} / {row['p95_ms']:.0f} / {row['max_ms']:.0f}{slow}")
    return "; ".join(parts) or "not measured"


def table(rows: list[dict], measured: str) -> str:
    pages = list(dict.fromkeys((r["name"].removeprefix("GET "), r["path"]) for r in rows))
    n = max((int(r["n"]) for r in rows), default=0)
    goals = sorted({(_clients(r), int(r["goal_p95_ms"])) for r in rows})
    goal = ", ".join(f"< {ms} ms ({clients} clients)" for clients, ms in goals)
    lines = [f"Pages at {n:,} transactions, gunicorn with 2 workers, p50 / p95 / max in ms with 2 and 8 "
             f"clients (measured {measured}; goal p95 {goal}; the floor is a static file in the same run):", "",
             "| page | " + " | ".join(ENGINE_NAMES[e] for e in ENGINES) + " |",
             "|---|" + "---|" * len(ENGINES)]
    for label, path in pages:
        cells = [_cell([r for r in rows if r["path"] == path and r.get("engine") == e]) for e in ENGINES]
        lines.append(f"| {label} (`{path}`) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def replace_in(readme: Path, text: str) -> None:
    content = readme.read_text()
    if START not in content or END not in content:
        raise SystemExit(f"{readme} has no {START} … {END} markers")
    head, rest = content.split(START, 1)
    _old, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{text}\n{END}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pages_table")
    parser.add_argument("results", nargs="+", type=Path, help="results files of pages runs (one per engine)")
    parser.add_argument("--readme", type=Path, help="replace the table between the markers of this file")
    parser.add_argument("--measured", default=None, help="when the runs were made (default: the files' date)")
    args = parser.parse_args(argv)
    rows = _rows(args.results)
    if not rows:
        print("no pages rows in " + ", ".join(map(str, args.results)), file=sys.stderr)
        return 1
    newest = max(p.stat().st_mtime for p in args.results)
    measured = args.measured or datetime.fromtimestamp(newest, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = table(rows, measured)
    if args.readme:
        replace_in(args.readme, text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
