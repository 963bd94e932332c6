"""The scheduler runs only in its own process: never inside create_app or a web worker;
``flask scheduler run`` stops cleanly on SIGTERM and lets go of the lease."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from app import migrate

REPO = Path(__file__).resolve().parents[3]

PROBE = """
import sys, threading
import wsgi  # what gunicorn imports in every worker
assert wsgi.app.extensions["aidledger.db"] is not None
loaded = sorted(m for m in sys.modules if m.startswith("apscheduler.schedulers") or m == "app.scheduler.runner")
threads = sorted(t.name for t in threading.enumerate())
print(loaded, threads)
"""


def _env(url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(REPO), "AIDLEDGER_SCHEDULER_LEASE_SECONDS": "3"}
    env.pop("AIDLEDGER_ENV", None)
    return env


def test_creating_the_web_app_starts_no_scheduler_and_no_thread(tmp_path):
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=_env(f"sqlite:///{tmp_path / 'web.db'}"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[] ['MainThread']"


def test_scheduler_run_runs_jobs_then_stops_on_sigterm_releasing_the_lease(tmp_path):
    url = f"sqlite:///{tmp_path / 'scheduler.db'}"
    migrate.upgrade(url)
    engine = create_engine(url)

    def scalar(sql: str):
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()

    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"], cwd=REPO,
                               env=_env(url), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if scalar("SELECT count(*) FROM job_runs WHERE job_id = 'dispatch_events' AND outcome = 'ok'"):
                break
            time.sleep(0.1)
        assert scalar("SELECT holder FROM scheduler_leases").split(":")[1] == str(process.pid)
        assert scalar("SELECT count(*) FROM scheduled_jobs WHERE job_id IN ('dispatch_events', 'budget_check')") == 2
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output[-2000:]
    assert scalar("SELECT count(*) FROM scheduler_leases") == 0
    assert scalar("SELECT count(*) FROM job_runs WHERE outcome = 'running'") == 0
    engine.dispose()
