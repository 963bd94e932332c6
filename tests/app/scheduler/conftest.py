"""Fixtures for the scheduler: throw-away jobs and a database with real commits."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import sessionmaker

from app.db import make_engine
from app.scheduler import registry
from app.scheduler.models import JobRun, ScheduledJob, SchedulerLease
from app.scheduler.registry import JobSpec


def probe_spec(func, trigger: str = "interval", misfire_grace_time: int = 30, **trigger_args) -> JobSpec:
    """A job under a fresh id, not registered anywhere."""
    trigger_args = trigger_args or {"seconds": 60}
    return JobSpec(f"probe_{uuid.uuid4().hex[:10]}", func, trigger, trigger_args, misfire_grace_time)


@pytest.fixture
def registered_job():
    """``registered_job(func) -> JobSpec`` in the global registry for one test."""
    added: list[str] = []

    def add(func, **kwargs) -> JobSpec:
        spec = probe_spec(func, **kwargs)
        registry.register(spec)
        added.append(spec.id)
        return spec

    yield add
    for job_id in added:
        registry.jobs.pop(job_id, None)


@dataclass
class Committed:
    """A session factory whose commits are real, and what to delete afterwards."""

    factory: sessionmaker
    lease_name: str
    job_ids: list[str]


@pytest.fixture
def committed(database_url):
    """Its own engine on the test database (SQLite file or PostgreSQL): other
    connections, threads and processes see what it commits. Rows are removed after."""
    engine = make_engine(database_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    state = Committed(factory, f"test-{uuid.uuid4().hex[:12]}", [])
    yield state
    with factory() as session:
        session.execute(delete(SchedulerLease).where(SchedulerLease.name == state.lease_name))
        session.execute(delete(JobRun).where(JobRun.job_id.in_(state.job_ids)))
        session.execute(delete(ScheduledJob).where(ScheduledJob.job_id.in_(state.job_ids)))
        session.commit()
    engine.dispose()
