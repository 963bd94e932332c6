"""``flask scheduler run | list | run-once JOB_ID``."""
from __future__ import annotations

import json
import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from app.db import get_session, utcnow
from app.scheduler.lease import current_lease
from app.scheduler.overview import job_overview
from app.scheduler.registry import get_job, load_jobs

scheduler_cli = AppGroup("scheduler", help="The scheduler process and its jobs.")


@scheduler_cli.command("run")
def run_cmd():
    """Run the scheduler in this process until SIGTERM or Ctrl-C.

    A second process started by mistake waits until the first one's lease expires.
    """
    from app.scheduler.runner import SchedulerRunner

    runner = SchedulerRunner(current_app._get_current_object())
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: runner.stop())
    click.echo(f"scheduler {runner.holder}: jobs {', '.join(runner.jobs)}; "
               f"lease {runner.lease.seconds} s (Ctrl-C stops)")
    runner.run()


@scheduler_cli.command("list")
def list_cmd():
    """Each job: trigger, last run (outcome) and next run; and who holds the lease."""
    registered = {job_id: spec.describe_trigger() for job_id, spec in load_jobs().items()}
    session = get_session()
    rows = [("JOB", "TRIGGER", "LAST RUN", "OUTCOME", "NEXT RUN")]
    for job in job_overview(session, registered):
        last = job.last_run
        rows.append((
            job.job_id if job.job_id in registered else f"{job.job_id} (no longer registered)",
            job.trigger,
            _when(last.started_at) if last else "never",
            last.outcome if last else "-",
            _when(job.next_run_at) if job.next_run_at else "-",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    lease = current_lease(session)
    if lease is None:
        click.echo("lease: free (no scheduler process is running jobs)")
    elif lease.expires_at <= utcnow():
        click.echo(f"lease: expired at {_when(lease.expires_at)}, last held by {lease.holder} "
                   "(no scheduler process is running jobs)")
    else:
        click.echo(f"lease: held by {lease.holder} until {_when(lease.expires_at)}")


@scheduler_cli.command("run-once")
@click.argument("job_id")
def run_once_cmd(job_id):
    """Run one job now, recorded as a job run like a scheduled one."""
    from app.scheduler.execution import execute_job

    try:
        spec = get_job(job_id)
    except KeyError as exc:
        raise click.ClickException(exc.args[0]) from None
    result = execute_job(current_app._get_current_object(), spec, host="cli")
    click.echo(f"{job_id}: {result.outcome} (run {result.run_id}) {json.dumps(result.counts)}")
    if not result.ok:
        raise click.ClickException(result.error or "failed")


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "-"
