"""The scheduled-job registry: packages declare jobs, the runner schedules them.

A job is ``func(session) -> dict of counts``. It is declared next to the feature, in
``<package>/jobs.py``::

    @scheduled_job(id="budget_check", trigger="cron", hour=5, minute=0, misfire_grace_time=6 * 3600)
    def budget_check(session):
        return check_budget_overruns(session)

Ids are stable: the runner reconciles ``scheduled_jobs`` rows against them at start.
Importing this module does not import APScheduler's scheduler, so web workers can
import job modules without any risk of starting one.
"""
from __future__ import annotations

import importlib
import importlib.util
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Callable
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_time, gettext, ngettext
from sqlalchemy.orm import Session

from app.auth.roles import Permission, Role
from app.packages import DOMAIN_PACKAGES

JobFunc = Callable[[Session], dict | None]
TRIGGERS = ("interval", "cron")
JOB_ID = re.compile(r"^[a-z][a-z0-9_]{1,79}$")
#: modules holding the shared kernel's own jobs (dispatching events)
KERNEL_JOB_MODULES = ("app.scheduler.jobs",)


def stop_requested() -> bool:
    """True once the scheduler process running this job is shutting down (SIGTERM); jobs
    that loop ask it between units of work. Elsewhere (``run-once``, tests) never."""
    from flask import g, has_app_context

    stopping = g.get("scheduler_stopping") if has_app_context() else None
    return bool(stopping and stopping())


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: JobFunc
    trigger: str
    trigger_args: dict = field(default_factory=dict)
    misfire_grace_time: int = 60
    description: str = ""
    #: the permissions of the people the job concerns (they see it on the Job runs page);
    #: empty: a technical job that only administrators see
    concerns: tuple[Permission, ...] = ()

    def build_trigger(self, timezone: str = "UTC"):
        """The APScheduler trigger for this job (imported lazily: see module docstring)."""
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        cls = IntervalTrigger if self.trigger == "interval" else CronTrigger
        return cls(timezone=timezone, **self.trigger_args)

    def describe_trigger(self) -> str:
        return str(self.build_trigger())

    def schedule_in_words(self, on: date | None = None) -> str:
        """"every 5 minutes", "every day at 07:15" (the reader's time zone, as the other times of the
        pages: the job runs in the scheduler's, AIDLEDGER_SCHEDULER_TIMEZONE; the hour is the one of
        ``on``, today by default, since summer time moves it), "on day 1 of every month at 07:45"; the
        trigger itself for anything else."""
        args = self.trigger_args
        if self.trigger == "interval" and len(args) == 1 and next(iter(args)) in INTERVAL_WORDS:
            unit, number = next(iter(args.items()))
            return INTERVAL_WORDS[unit](number)
        daily = set(args) == {"hour", "minute"} and all(isinstance(v, int) for v in args.values())
        if self.trigger == "cron" and daily:
            return gettext("every day at %(time)s", time=format_time(_daily_at(args, on), "HH:mm"))
        monthly = set(args) == {"day", "hour", "minute"} and all(isinstance(v, int) for v in args.values())
        if self.trigger == "cron" and monthly:
            return gettext("on day %(day)s of every month at %(time)s", day=args["day"],
                           time=format_time(_daily_at(args, on), "HH:mm"))
        return self.describe_trigger()

    def concerns_user(self, user) -> bool:
        """Administrators see every job; others the jobs that concern one of their permissions."""
        return user.has_role(Role.ADMIN) or any(user.can(permission) for permission in self.concerns)


def _daily_at(args: dict, on: date | None) -> datetime:
    """The moment a daily job runs on ``on`` (an aware datetime in the scheduler's time zone)."""
    zone = ZoneInfo(current_app.config.get("AIDLEDGER_SCHEDULER_TIMEZONE", "UTC"))
    day = on or datetime.now(zone).date()
    return datetime.combine(day, time(args["hour"], args["minute"]), tzinfo=zone)


#: an interval in words, per APScheduler unit
INTERVAL_WORDS = {
    "seconds": lambda n: ngettext("every %(num)d second", "every %(num)d seconds", n),
    "minutes": lambda n: ngettext("every %(num)d minute", "every %(num)d minutes", n),
    "hours": lambda n: ngettext("every %(num)d hour", "every %(num)d hours", n),
    "days": lambda n: ngettext("every %(num)d day", "every %(num)d days", n),
    "weeks": lambda n: ngettext("every %(num)d week", "every %(num)d weeks", n),
}

jobs: dict[str, JobSpec] = {}


def scheduled_job(id: str, trigger: str, *, misfire_grace_time: int, concerns: tuple[Permission, ...] = (),
                  **trigger_args):
    """Register ``func(session) -> counts`` under a stable id.

    ``concerns``: the permissions of the people who see the job (administrators see all).

    ``misfire_grace_time`` is required: APScheduler's default of one second silently
    drops runs whenever the process is a little busy.
    """
    if not JOB_ID.match(id):
        raise ValueError(f"job id {id!r}: use lower_snake_case, at most 80 characters")
    if trigger not in TRIGGERS:
        raise ValueError(f"job {id}: trigger must be one of {TRIGGERS}, not {trigger!r}")
    if not isinstance(misfire_grace_time, int) or misfire_grace_time < 1:
        raise ValueError(f"job {id}: misfire_grace_time must be a positive number of seconds")

    def decorator(func: JobFunc) -> JobFunc:
        summary = (func.__doc__ or "").strip().split("\n", 1)[0]
        spec = JobSpec(id, func, trigger, dict(trigger_args), misfire_grace_time, summary, tuple(concerns))
        try:
            spec.build_trigger()  # a bad cron field fails at import, not at 3 a.m.
        except (TypeError, ValueError) as exc:
            raise ValueError(f"job {id}: bad {trigger} trigger {trigger_args}: {exc}") from None
        register(spec)
        return func

    return decorator


def register(spec: JobSpec) -> None:
    existing = jobs.get(spec.id)
    if existing is not None and _qualname(existing.func) != _qualname(spec.func):
        raise ValueError(f"job id {spec.id!r} is already used by {_qualname(existing.func)}")
    jobs[spec.id] = spec


def _qualname(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def job_modules() -> list[str]:
    """The kernel's job module and ``<package>.jobs`` of each domain package that has one."""
    modules = list(KERNEL_JOB_MODULES)
    for package in DOMAIN_PACKAGES:
        if importlib.util.find_spec(f"{package}.jobs") is not None:
            modules.append(f"{package}.jobs")
    return modules


def load_jobs() -> dict[str, JobSpec]:
    """Import every job module (which registers its jobs) and return the registry."""
    for name in job_modules():
        importlib.import_module(name)
    return dict(sorted(jobs.items()))


def get_job(job_id: str) -> JobSpec:
    load_jobs()
    try:
        return jobs[job_id]
    except KeyError:
        known = ", ".join(sorted(jobs)) or "none"
        raise KeyError(f"no scheduled job {job_id!r} (known: {known})") from None
