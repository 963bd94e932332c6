"""Declaring jobs: stable ids, explicit misfire grace time, triggers checked at import."""
from __future__ import annotations

import pytest

from app.scheduler import registry
from app.scheduler.registry import get_job, load_jobs, scheduled_job


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(registry, "jobs", dict(registry.jobs))


def test_every_package_job_module_is_loaded_with_the_foundation_jobs():
    jobs = load_jobs()
    assert {"dispatch_events", "budget_check"} <= set(jobs)
    assert jobs["dispatch_events"].describe_trigger() == "interval[0:00:10]"
    assert jobs["budget_check"].describe_trigger() == "cron[hour='5', minute='0']"
    assert all(spec.misfire_grace_time >= 1 for spec in jobs.values())


def test_a_decorated_function_is_registered_under_its_id(clean_registry):
    @scheduled_job(id="reminder_probe", trigger="cron", day_of_week="mon", hour=7, misfire_grace_time=600)
    def reminder(session):
        """Remind grant managers of reports due this week."""
        return {"reminded": 0}

    spec = registry.jobs["reminder_probe"]
    assert spec.func is reminder
    assert (spec.trigger, spec.misfire_grace_time) == ("cron", 600)
    assert spec.description == "Remind grant managers of reports due this week."


@pytest.mark.parametrize("kwargs, message", [
    (dict(id="Bad Id", trigger="interval", seconds=5, misfire_grace_time=5), "lower_snake_case"),
    (dict(id="x" * 81, trigger="interval", seconds=5, misfire_grace_time=5), "lower_snake_case"),
    (dict(id="probe", trigger="date", misfire_grace_time=5), "trigger must be"),
    (dict(id="probe", trigger="interval", seconds=5, misfire_grace_time=0), "misfire_grace_time"),
    (dict(id="probe", trigger="interval", seconds=5, misfire_grace_time=2.5), "misfire_grace_time"),
    (dict(id="probe", trigger="cron", hour=25, misfire_grace_time=5), "hour"),
    (dict(id="probe", trigger="interval", fortnights=1, misfire_grace_time=5), "fortnights"),
])
def test_a_badly_declared_job_fails_at_import(clean_registry, kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        scheduled_job(**kwargs)(lambda session: {})
    assert "probe" not in registry.jobs


def test_misfire_grace_time_must_be_given():
    with pytest.raises(TypeError):
        scheduled_job(id="probe", trigger="interval", seconds=5)


def test_two_functions_cannot_share_an_id(clean_registry):
    @scheduled_job(id="twice", trigger="interval", seconds=5, misfire_grace_time=5)
    def first(session):
        return {}

    with pytest.raises(ValueError, match="already used"):
        @scheduled_job(id="twice", trigger="interval", seconds=5, misfire_grace_time=5)
        def second(session):
            return {}


def test_an_unknown_job_names_the_known_ones():
    with pytest.raises(KeyError, match="dispatch_events"):
        get_job("no_such_job")
