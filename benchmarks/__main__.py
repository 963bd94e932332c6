"""Run every benchmarks/bench_*.py and print one table (``make bench``).

    python -m benchmarks [--only NAME] [--n N] [--database-url URL] [--out FILE]

Without --database-url each benchmark works on fresh SQLite files under
benchmarks/out/ (git-ignored). A given URL must name a scratch database with
"bench" in its name: it is wiped. Results are also written to
benchmarks/out/results.json.
"""
from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import traceback
from pathlib import Path

import benchmarks
from benchmarks import OUT_DIR

COLUMNS = ("name", "n", "seconds", "floor_seconds", "ratio", "peak_mb")


def discover() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Aidledger benchmarks")
    parser.add_argument("--only", metavar="NAME", help="one benchmark, e.g. foundation (bench_foundation.py)")
    parser.add_argument("--n", type=int, default=100_000, help="rows per benchmark (default 100,000)")
    parser.add_argument("--database-url", help="scratch database (name must contain 'bench'; it is wiped)")
    parser.add_argument("--out", help="write the results here (default benchmarks/out/results.json)")
    return parser.parse_args(argv)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render(rows: list[dict]) -> str:
    """A plain-text table: the common columns, then every other key as ``key=value``."""
    cells = [[_cell(row.get(c, "")) for c in COLUMNS]
             + ["; ".join(f"{k}={v}" for k, v in row.items() if k not in COLUMNS)] for row in rows]
    header = list(COLUMNS) + ["notes"]
    widths = [max(len(header[i]), *(len(r[i]) for r in cells)) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.rjust(w) if 0 < i < len(COLUMNS) else c.ljust(w)
                        for i, (c, w) in enumerate(zip(r, widths))) for r in cells]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    names = discover()
    if args.only:
        names = [n for n in names if n in (args.only, f"bench_{args.only}")]
        if not names:
            print(f"no benchmark called {args.only}; have: {', '.join(discover())}", file=sys.stderr)
            return 2
    rows, failed = [], False
    for name in names:
        print(f"running {name} (n={args.n:,}) …", file=sys.stderr, flush=True)
        try:
            for row in importlib.import_module(f"benchmarks.{name}").run(args):
                rows.append({"benchmark": name.removeprefix("bench_"), **row})
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            rows.append({"benchmark": name.removeprefix("bench_"), "name": "FAILED", "n": args.n})
            failed = True
    print(render(rows))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = Path(args.out) if args.out else OUT_DIR / "results.json"
    out.write_text(json.dumps(rows, indent=2, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
