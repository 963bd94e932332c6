"""Pages under load: the portfolio overview and a programme page, served by gunicorn,
against a ledger of N transactions (``--n 1000000`` for the issue's figure).

1. A scratch database is filled by ``benchmarks.generate`` (100 programmes, 5,000
   activities, N transactions and their events). The two projections the pages
   read are then built in bulk SQL with the same figures replaying the events
   gives (bench_foundation checks that equality for ``budget_totals``; the
   ``activity_totals`` handler is tested in tests/programmes), and the handlers'
   checkpoints are moved to the end of the event store. The ledger is classified first
   (curated reference data; one activity in 25 without a recipient, so its lines need
   review) so the ODA counts and the review queue read real outcomes. The database is kept
   under benchmarks/out/ and reused while it holds N generated transactions.
2. gunicorn serves the app (2 sync workers, like ``make demo``). A small load
   tool (threads + http.client on 127.0.0.1, a bounded number of requests) signs
   in through the login form and times each page; the floor is a static file
   served by the same gunicorn in the same run.

Every page is measured with 2 and with 8 clients (``LOADS``, each with its p95 goal); rows:
p95 in seconds (``seconds``) against the floor's p95 at the same load, plus p50/p95/max in ms,
the engine and the verdict. ``--database-url`` (a PostgreSQL scratch database) for PostgreSQL.
"""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import case, column, func, insert, select, table, text, update
from sqlalchemy.orm import Session

from app import migrate
from benchmarks import open_database, scratch_url, settle, wipe

REPO = Path(__file__).resolve().parent.parent
WORKERS = 2
CONCURRENCY = 2
#: {client threads: the p95 each page must stay under}
LOADS = {2: 0.200, 8: 0.500}
REQUESTS = 200
WARMUP = 10
FLOOR_PATH = "/static/favicon.svg"
USER, PASSWORD = "bench@aidledger.bench", "bench-password-1234"
PROGRAMME = "GEN-P00001"
#: one activity in this many has no recipient (its lines need review)
UNCLEAR_EVERY = 25

TXN = table("transactions", column("activity_id"), column("kind"), column("date"), column("amount_eur_minor"),
            column("source"))
ACT = table("activities", column("id"), column("programme_id"), column("recipient_code"))
LINES = table("budget_lines", column("programme_id"), column("year"), column("planned_amount_minor"))
AYT = table("activity_year_totals", column("activity_id"), column("year"), column("committed_minor"),
            column("disbursed_minor"), column("unconverted"))
PYT = table("programme_year_totals", column("programme_id"), column("year"), column("planned_minor"),
            column("committed_minor"), column("disbursed_minor"))


def run(args) -> list[dict]:
    n = args.n
    url = scratch_url(args.database_url, f"bench-pages-{n}")
    prepared = _prepare(url, n)
    settle(url)
    server = Gunicorn(url)
    try:
        server.start()
        pages = _pages(url)
        warm_up(server.port, [path for _label, path in pages])
        rows = []
        for clients in LOADS:
            floor = measure_path(server.port, FLOOR_PATH, signed_in=False, concurrency=clients)
            for label, path in pages:
                timing = measure_path(server.port, path, concurrency=clients)
                rows.append(_row(label, path, n, timing, floor, server.peak_mb(), clients))
            rows.append(_row("floor: static file", FLOOR_PATH, n, floor, floor, server.peak_mb(), clients))
    finally:
        server.stop()
    engine = "postgresql" if url.startswith("postgresql") else "sqlite"
    for row in rows:
        row.update(database=prepared, engine=engine)
    return rows


# --- the database -----------------------------------------------------------------------------


def _prepare(url: str, n: int) -> str:
    """Reuse a database holding N generated transactions; otherwise build one."""
    if _holds(url, n):
        return "reused"
    from benchmarks.generate import generate

    wipe(url)
    migrate.upgrade(url)
    db = open_database(url)
    with db.Session() as session:
        generate(session, n)
    with db.Session() as session:
        classify_ledger(session)
        session.commit()
    with db.Session() as session:
        build_projections(session)
        _add_user(session)
        session.commit()
    db.engine.dispose()
    return "generated"


def _holds(url: str, n: int) -> bool:
    try:
        migrate.upgrade(url)
        db = open_database(url)
        with db.Session() as session:
            count = session.scalar(select(func.count()).select_from(TXN).where(TXN.c.source == "generated"))
            built = session.scalar(text("SELECT count(*) FROM activity_year_totals"))
            user = session.scalar(text("SELECT count(*) FROM users WHERE email = :e"), {"e": USER})
            classified = session.scalar(text("SELECT count(*) FROM oda_evaluations"))
        db.engine.dispose()
        return count == n and built > 0 and user == 1 and classified > 0
    except Exception:  # no database yet, or another schema: build a fresh one
        return False


def classify_ledger(session: Session) -> None:
    """The curated reference data and one classification run, so the ODA counts, the review
    queue and the activity page's outcomes read a classified ledger, as in production. One
    activity in ``UNCLEAR_EVERY`` has no recipient: its lines wait for an ODA officer."""
    from oda.reference.services import load_curated
    from oda.services.classify import classify

    load_curated(session)
    session.execute(update(ACT).where(ACT.c.id % UNCLEAR_EVERY == 0).values(recipient_code=None))
    classify(session)


def build_projections(session: Session) -> None:
    """``activity_year_totals`` and ``programme_year_totals`` from the ledger in bulk SQL, and the
    handlers' checkpoints at the end of the event store (as if the dispatcher had caught up)."""
    year = func.extract("year", TXN.c.date)
    eur = func.coalesce(TXN.c.amount_eur_minor, 0)
    session.execute(text("DELETE FROM activity_year_totals"))
    session.execute(text("DELETE FROM programme_year_totals"))
    session.execute(insert(AYT).from_select(
        ["activity_id", "year", "committed_minor", "disbursed_minor", "unconverted"],
        select(TXN.c.activity_id, year,
               func.sum(case((TXN.c.kind == "commitment", eur), else_=0)),
               func.sum(case((TXN.c.kind == "disbursement", eur), (TXN.c.kind == "refund", -eur), else_=0)),
               func.sum(case((TXN.c.amount_eur_minor.is_(None), 1), else_=0)))
        .group_by(TXN.c.activity_id, year)))
    spent = (select(ACT.c.programme_id.label("programme_id"), AYT.c.year.label("year"),
                    func.sum(AYT.c.committed_minor).label("committed"),
                    func.sum(AYT.c.disbursed_minor).label("disbursed"))
             .join(ACT, ACT.c.id == AYT.c.activity_id).group_by(ACT.c.programme_id, AYT.c.year).subquery())
    planned = (select(LINES.c.programme_id.label("programme_id"), LINES.c.year.label("year"),
                      func.sum(LINES.c.planned_amount_minor).label("planned"))
               .group_by(LINES.c.programme_id, LINES.c.year).subquery())
    keys = select(spent.c.programme_id, spent.c.year).union(select(planned.c.programme_id, planned.c.year)).subquery()
    session.execute(insert(PYT).from_select(
        ["programme_id", "year", "planned_minor", "committed_minor", "disbursed_minor"],
        select(keys.c.programme_id, keys.c.year, func.coalesce(planned.c.planned, 0),
               func.coalesce(spent.c.committed, 0), func.coalesce(spent.c.disbursed, 0))
        .select_from(keys)
        .outerjoin(planned, (planned.c.programme_id == keys.c.programme_id) & (planned.c.year == keys.c.year))
        .outerjoin(spent, (spent.c.programme_id == keys.c.programme_id) & (spent.c.year == keys.c.year))))
    last = session.scalar(text("SELECT max(id) FROM events")) or 0
    for name in ("budget_totals", "activity_totals"):
        session.execute(text("DELETE FROM event_handler_checkpoints WHERE handler = :h"), {"h": name})
        session.execute(text("INSERT INTO event_handler_checkpoints (handler, last_event_id) VALUES (:h, :l)"),
                        {"h": name, "l": last})


def _add_user(session: Session) -> None:
    from werkzeug.security import generate_password_hash

    from app.auth.models import RoleAssignment, User

    user = User(email=USER, name="Benchmark", password_hash=generate_password_hash(PASSWORD), locale="en",
                active=True)
    user.roles = [RoleAssignment(role="admin")]
    session.add(user)


def _pages(url: str) -> list[tuple[str, str]]:
    db = open_database(url)
    with db.Session() as session:
        activity = session.scalar(text(
            "SELECT a.code FROM activities a JOIN programmes p ON p.id = a.programme_id "
            "WHERE p.code = :c ORDER BY a.id LIMIT 1"), {"c": PROGRAMME})
    db.engine.dispose()
    return [
        ("overview, this year", "/"),
        ("overview, 2023", "/?year=2023"),
        ("overview, filtered", "/?year=2023&kind=country_programme"),
        ("programme page", f"/programmes/{PROGRAMME}"),
        ("programme page, by sector, sorted", f"/programmes/{PROGRAMME}?stack=sector&sort=disbursed&dir=desc"),
        ("activity page", f"/activities/{activity}"),
        ("activity page, disbursements, page 2", f"/activities/{activity}?kind=disbursement&page=2"),
        ("ODA review queue", "/oda/reviews"),
        ("ODA review queue, 2023", "/oda/reviews?year=2023"),
        ("ODA review queue, page 3", "/oda/reviews?page=3"),
        ("year close, 2023", "/oda/year-close?year=2023"),
        ("year close, current year", "/oda/year-close"),
    ]


# --- gunicorn -----------------------------------------------------------------------------------

class Gunicorn:
    def __init__(self, url: str):
        self.url = url
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = dict(os.environ, DATABASE_URL=self.url, SECRET_KEY=uuid.uuid4().hex, PYTHONPATH=str(REPO))
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS), "--log-level", "warning",
             "wsgi:app"], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn stopped: " + self.process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start within 60 s")

    def peak_mb(self) -> float:
        """The largest peak resident memory among the workers (VmHWM)."""
        if self.process is None:
            return 0.0
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return 0.0
        peaks = []
        for pid in children:
            status = Path(f"/proc/{pid}/status")
            if status.exists():
                match = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
                if match:
                    peaks.append(int(match.group(1)) / 1024)
        return max(peaks, default=0.0)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the load tool ------------------------------------------------------------------------------

@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0

    def quantile(self, q: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


class Client:
    """One keep-alive-less HTTP client with the session cookie of a signed-in user."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, dict]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, data, dict(response.getheaders())

    def sign_in(self) -> None:
        _status, page, _headers = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        status, _body, _headers = self.request("POST", "/login", urlencode(
            {"csrf_token": token, "email": USER, "password": PASSWORD}))
        if status != 302:
            raise RuntimeError(f"the benchmark user could not sign in ({status})")


def warm_up(port: int, paths: list[str], rounds: int = 3 * WORKERS) -> None:
    """Every page a few times first, so each worker has compiled its templates and loaded its caches."""
    client = Client(port)
    client.sign_in()
    for _ in range(rounds):
        for path in paths:
            client.request("GET", path)


def measure_path(port: int, path: str, signed_in: bool = True, requests: int = REQUESTS,
                 concurrency: int = CONCURRENCY) -> Timing:
    """``requests`` GETs of ``path`` from ``concurrency`` threads after a warm-up; bounded in count."""
    clients = [Client(port) for _ in range(concurrency)]
    for client in clients:
        if signed_in:
            client.sign_in()
        for _ in range(WARMUP // concurrency):
            client.request("GET", path)
    timing, lock = Timing(), threading.Lock()
    share = [requests // concurrency + (1 if i < requests % concurrency else 0) for i in range(concurrency)]

    def work(client: Client, count: int) -> None:
        for _ in range(count):
            started = time.perf_counter()
            status, _body, _headers = client.request("GET", path)
            elapsed = time.perf_counter() - started
            with lock:
                timing.seconds.append(elapsed)
                timing.errors += status != 200

    threads = [threading.Thread(target=work, args=(c, k)) for c, k in zip(clients, share)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    timing.wall = time.perf_counter() - started
    return timing


def _row(label: str, path: str, n: int, timing: Timing, floor: Timing, peak_mb: float, clients: int) -> dict:
    p95, floor_p95 = timing.quantile(0.95), floor.quantile(0.95)
    return {
        "name": f"GET {label}", "n": n, "seconds": p95, "floor_seconds": floor_p95, "ratio": p95 / floor_p95,
        "peak_mb": peak_mb, "path": path, "requests": len(timing.seconds), "errors": timing.errors,
        "p50_ms": round(timing.quantile(0.5) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(max(timing.seconds) * 1000, 1), "mean_ms": round(statistics.fmean(timing.seconds) * 1000, 1),
        "per_second": round(len(timing.seconds) / timing.wall, 1),
        "verdict": ("ok" if p95 < LOADS[clients] else "SLOW") if path != FLOOR_PATH else "floor",
        "load": f"{clients} clients, gunicorn {WORKERS} workers", "goal_p95_ms": round(LOADS[clients] * 1000),
    }
