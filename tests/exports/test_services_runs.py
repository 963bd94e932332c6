"""Export runs end to end: drafts kept with hashes, the final guard, the proof event, the jobs."""
import hashlib
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.auth.roles import Role
from app.db import utcnow
from app.events.models import Event
from exports import jobs
from exports.models import ExportFile, ExportKind, ExportRun, RunStatus
from exports.services import access, runs
from exports.services.annual import draft_day, produce_annual_draft
from exports.services.crs import FinalRefused, check_final
from exports.services.execute import execute_run, process_queued
from oda.services.classify import classify
from programmes.services.activities import update_activity
from tests.builders.users import user_with_role


def events(session, type_):
    return session.scalars(select(Event).where(Event.type == type_).order_by(Event.id)).all()


def running_run(session, year=2024, final=False, kind=ExportKind.CRS, params=None):
    run = runs.new_run(session, kind, year, requested_by="oda.officer@vlaanderen.test", trigger="cli",
                       final=final, params=params, status=RunStatus.RUNNING)
    session.flush()
    return run.id


def resolve_open_review(session, portfolio):
    update_activity(session, portfolio["activities"]["norecipient"], recipient_code="253")
    classify(session, everything=True)


def stored(session, run_id) -> tuple[ExportRun, bytes | None]:
    session.expire_all()
    run = session.get(ExportRun, run_id)
    file = session.get(ExportFile, run_id)
    return run, (file.content if file else None)


def test_a_draft_is_always_possible_and_kept_with_its_hash(session, portfolio, factory, tmp_path):
    out = tmp_path / "draft.xlsx"
    run = execute_run(factory, running_run(session), out_path=str(out))
    run, content = stored(session, run.id)
    assert run.status == RunStatus.DONE and run.progress == 100
    assert run.sha256 == hashlib.sha256(content).hexdigest() == hashlib.sha256(out.read_bytes()).hexdigest()
    assert run.counts["crs_rows"] == 6 and run.counts["needs_review"] == 1
    assert [d.id for d in runs.crs_drafts(session, 2024)] == [run.id]
    event = events(session, "ExportGenerated")[-1]
    assert event.payload["sha256"] == run.sha256 and event.payload["final"] is False
    assert event.payload["year"] == 2024


def test_final_is_refused_while_reviews_are_open(session, portfolio, factory, tmp_path):
    with pytest.raises(FinalRefused) as refused:
        check_final(session, 2024)
    assert "1 transaction(s) still need review" in refused.value.message
    out = tmp_path / "final.xlsx"
    run_id = running_run(session, final=True)
    assert execute_run(factory, run_id, out_path=str(out)) is None
    run, content = stored(session, run_id)
    assert run.status == RunStatus.FAILED and "need review" in run.error
    assert content is None and not out.exists()
    assert events(session, "ExportGenerated") == []


def test_final_refused_when_a_review_opened_after_the_check(session, portfolio, factory):
    resolve_open_review(session, portfolio)
    with pytest.raises(FinalRefused):
        check_final(session, 2024, {"needs_review": 2, "not_classified": 0})


def test_final_refused_without_the_years_rate(session, portfolio):
    resolve_open_review(session, portfolio)
    assert "rate of 2026 is missing" in str(pytest.raises(FinalRefused, check_final, session, 2026).value)


def test_final_records_export_generated_with_the_files_sha256(session, portfolio, factory, tmp_path):
    resolve_open_review(session, portfolio)
    out = tmp_path / "crs-2024-final.xlsx"
    run = execute_run(factory, running_run(session, final=True), out_path=str(out), raise_errors=True)
    run, content = stored(session, run.id)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert run.final and run.status == RunStatus.DONE and run.sha256 == digest
    assert content == out.read_bytes()
    generated = events(session, "ExportGenerated")
    assert len(generated) == 1
    payload = generated[0].payload
    assert (payload["sha256"], payload["final"], payload["year"], payload["kind"]) == (digest, True, 2024, "crs")
    assert generated[0].aggregate_id == str(run.id)
    assert run not in runs.crs_drafts(session, 2024)


def test_queue_reuses_the_same_open_export_and_the_job_produces_it(session, portfolio, factory):
    officer = user_with_role(session, Role.ODA_OFFICER)
    first, created = access.request_export(session, officer, "crs", trigger="api", year=2024)
    again, created_again = access.request_export(session, officer, "crs", trigger="api", year=2024)
    summary, _ = access.request_export(session, officer, "oda_summary", trigger="browser",
                                       year_from=2023, year_to=2024)
    assert created and not created_again and again.id == first.id
    session.flush()
    counts = jobs.process_queued_exports(session)
    assert counts["done"] == 2 and counts["failed"] == 0
    for run_id in (first.id, summary.id):
        run, content = stored(session, run_id)
        assert run.status == RunStatus.DONE and run.progress == 100 and content.startswith(b"PK")
    ready = events(session, "ExportReady")
    assert {e.payload["kind"] for e in ready} == {"crs", "oda_summary"}
    assert runs.unseen_ready(session, officer.email)
    assert process_queued(factory)["done"] == 0, "nothing left to do"


def test_a_failing_export_is_recorded_and_the_next_one_still_runs(session, portfolio, factory, monkeypatch):
    officer = user_with_role(session, Role.ODA_OFFICER)
    bad, _ = access.request_export(session, officer, "crs", trigger="browser", year=2024)
    good, _ = access.request_export(session, officer, "oda_summary", trigger="browser", year_from=2024,
                                    year_to=2024)
    session.flush()

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full; password=hunter2")

    monkeypatch.setattr("exports.reports.builders.build_crs_workbook", broken)
    counts = process_queued(factory)
    assert (counts["done"], counts["failed"]) == (1, 1)
    failed, _ = stored(session, bad.id)
    assert failed.status == RunStatus.FAILED and "disk full" in failed.error and "hunter2" not in failed.error
    assert stored(session, good.id)[0].status == RunStatus.DONE


def test_abandoned_runs_are_marked_failed(session, portfolio, factory):
    run_id = running_run(session)
    session.get(ExportRun, run_id).updated_at = utcnow() - timedelta(hours=2)
    session.flush()
    assert process_queued(factory)["interrupted"] == 1
    run, _ = stored(session, run_id)
    assert run.status == RunStatus.FAILED and "interrupted" in run.error


def test_progress_is_written_while_the_file_is_made(session, portfolio, factory, monkeypatch):
    seen = []
    original = runs.set_progress

    def spy(s, run_id, fraction, stage):
        seen.append((round(fraction, 2), stage))
        original(s, run_id, fraction, stage)

    monkeypatch.setattr(runs, "set_progress", spy)
    monkeypatch.setattr("exports.services.execute.PROGRESS_SECONDS", 0)  # every change, not once a second
    execute_run(factory, running_run(session))
    stages = [stage for _f, stage in seen]
    assert "CRS" in stages and "Summary" in stages
    assert [f for f, _s in seen] == sorted(f for f, _s in seen), "progress only moves forward"


def test_annual_job_makes_last_years_draft_on_the_configured_date(session, portfolio, factory, app):
    app.config["AIDLEDGER_CRS_DRAFT_DATE"] = "03-15"
    try:
        assert produce_annual_draft(factory, today=date(2025, 3, 14))["made"] == 0
        made = produce_annual_draft(factory, today=date(2025, 3, 15))
        assert made["year"] == 2024 and made["made"] == 1 and made["crs_rows"] == 6
        again = produce_annual_draft(factory, today=date(2025, 3, 16))
        assert again["made"] == 0 and again["already_made"] == 1
    finally:
        app.config["AIDLEDGER_CRS_DRAFT_DATE"] = "03-01"
    run, content = stored(session, made["run_id"])
    assert (run.trigger, run.final, run.year, run.requested_by) == ("schedule", False, 2024, "scheduler")
    assert run.sha256 == hashlib.sha256(content).hexdigest()
    notice = [e for e in events(session, "ExportReady") if e.aggregate_id == str(run.id)]
    assert notice and notice[0].payload["notify_role"] == "oda_officer"


def test_draft_date_setting_is_checked():
    assert draft_day(2025, "03-01") == date(2025, 3, 1)
    assert draft_day(2025, None) == date(2025, 3, 1)
    with pytest.raises(ValueError, match="MM-DD"):
        draft_day(2025, "first of March")
    with pytest.raises(ValueError):
        draft_day(2025, "02-30")


@pytest.mark.parametrize("kind, kwargs, message", [
    ("crs", {"year": 1800}, "between"),
    ("crs", {"year": None}, "not a year"),
    ("oda_summary", {"year_from": 2024, "year_to": 2019}, "before the first"),
    ("oda_summary", {"year_from": 1990, "year_to": 2100}, "at most"),
    ("oda_summary", {"year_from": 2023, "year_to": 2024, "final": True}, "only the CRS"),
    ("everything", {"year": 2024}, "unknown export"),
])
def test_bad_requests_are_refused_and_nothing_is_queued(session, kind, kwargs, message):
    officer = user_with_role(session, Role.ODA_OFFICER)
    with pytest.raises(runs.ExportError, match=message):
        access.request_export(session, officer, kind, trigger="api", **kwargs)
    assert session.scalars(select(ExportRun)).all() == []


def test_roles_decide_who_may_ask_and_see(session, portfolio):
    officer = user_with_role(session, Role.ODA_OFFICER)
    viewer = user_with_role(session, Role.VIEWER)
    manager = user_with_role(session, Role.PROGRAMME_MANAGER, portfolio["programmes"]["mwi"].id)
    with pytest.raises(access.NotAllowed):
        access.request_export(session, viewer, "crs", trigger="api", year=2024)
    crs, _ = access.request_export(session, officer, "crs", trigger="api", year=2024)
    budget, _ = access.request_export(session, manager, "budget_execution", trigger="api", year=2024)
    assert budget.params["programme_ids"] == [portfolio["programmes"]["mwi"].id]
    assert access.may_see(officer, crs) and not access.may_see(viewer, crs)
    assert access.may_see(manager, budget) and not access.may_see(manager, crs)
    assert access.may_see(officer, ExportRun(kind="budget_execution", requested_by="x@y.test")), "sees all"
    visible = session.scalars(select(ExportRun).where(access.visible_runs(viewer))).all()
    assert visible == [budget], "a viewer sees every programme, so every budget report"
