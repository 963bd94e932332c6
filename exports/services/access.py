"""Who may ask for, see and download which export.

The CRS workbook and the ODA reports cover every programme: they need the
``export_reports`` permission. A budget-execution report holds only the programmes
its requester could see when it was made, so others may read it only when they see
every programme themselves. Everyone sees the exports they asked for.
"""
from __future__ import annotations

from sqlalchemy import false, or_

from app.auth.roles import Permission
from app.web import LANGUAGES
from exports.models import ExportKind, ExportRun

ODA_KINDS = (ExportKind.CRS, ExportKind.ODA_SUMMARY)


def may_request(user, kind: str) -> bool:
    if kind in ODA_KINDS:
        return user.can(Permission.EXPORT_REPORTS)
    if kind == ExportKind.BUDGET_EXECUTION:
        return user.can(Permission.VIEW_PORTFOLIO)
    return False


def may_see(user, run: ExportRun) -> bool:
    if run.requested_by == user.email:
        return True
    if run.kind in ODA_KINDS:
        return user.can(Permission.EXPORT_REPORTS)
    return run.kind == ExportKind.BUDGET_EXECUTION and _sees_every_programme(user)


def visible_runs(user):
    """The SQL condition matching the runs ``user`` may see."""
    conditions = [ExportRun.requested_by == user.email]
    if user.can(Permission.EXPORT_REPORTS):
        conditions.append(ExportRun.kind.in_(ODA_KINDS))
    if _sees_every_programme(user):
        conditions.append(ExportRun.kind == ExportKind.BUDGET_EXECUTION)
    return or_(false(), *conditions)


def _sees_every_programme(user) -> bool:
    return user.sees_all_programmes() and user.can(Permission.VIEW_PORTFOLIO)


def budget_scope(user) -> list[int] | None:
    """The programmes a budget report made for ``user`` may contain (None: all)."""
    if user.sees_all_programmes():
        return None
    return sorted(user.programme_scope())


class NotAllowed(Exception):
    """The user's roles do not allow this export."""


def request_export(session, user, kind: str, *, trigger: str, year: int | None = None,
                   year_from: int | None = None, year_to: int | None = None, final: bool = False):
    """Queue an export for the background job, written in ``user``'s language; (run, created).
    The same export still queued or running for the same user is returned instead of queueing
    it twice.

    Raises NotAllowed, ExportError (bad parameters) or FinalRefused.
    """
    from exports.services import runs
    from exports.services.crs import check_final

    if kind not in ExportKind.ALL or not may_request(user, kind):
        if kind not in ExportKind.ALL:
            raise runs.ExportError(f"unknown export {kind!r}", "kind")
        raise NotAllowed(kind)
    params = {}
    if kind != ExportKind.CRS:
        params = {"year_from": year_from if year_from is not None else year,
                  "year_to": year_to if year_to is not None else (year if year is not None else year_from)}
        if kind == ExportKind.BUDGET_EXECUTION:
            params["programme_ids"] = budget_scope(user)
    year, params = runs.normalised_params(kind, year, params, final)
    if final:
        check_final(session, year)
    language = user.locale if user.locale in LANGUAGES else "en"
    existing = runs.open_run_like(session, kind, year, final, params, user.email, language)
    if existing is not None:
        return existing, False
    return runs.new_run(session, kind, year, requested_by=user.email, trigger=trigger, final=final,
                        params=params, language=language), True
