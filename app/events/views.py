"""The audit trail: every event, newest first, filtered and paged.

Access: ``Permission.VIEW_AUDIT`` as in app/auth/roles.py. Users whose roles are
scoped to programmes (programme managers) see the events of their programmes and
the events they caused themselves, nothing of other programmes (see
app/events/scope.py); everybody else sees the whole trail.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import Length, Optional, ValidationError

from app.auth.guards import require, visible_programme_ids
from app.auth.models import User
from app.auth.roles import Permission
from app.db import get_session
from app.cli import programme_id_of_code
from app.events.labels import event_label
from app.events.models import Event
from app.events.names import event_types, names_of
from app.events.queries import filter_events
from app.events.scope import about_programmes, visible_to
from app.web.forms import DayField, LocalizedForm
from app.web.pagination import page_args, paginate
from app.web.reads import render_after_reads

bp = Blueprint("events", __name__, template_folder="templates")

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
FILTERS = ("type", "actor", "aggregate_type", "aggregate_id", "programme", "since", "until")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class AuditFilterForm(LocalizedForm):
    type = StringField(filters=[_strip], validators=[Optional(), Length(max=80)])
    actor = StringField(filters=[_strip], validators=[Optional(), Length(max=120)])
    aggregate_type = StringField(filters=[_strip], validators=[Optional(), Length(max=40)])
    aggregate_id = StringField(filters=[_strip], validators=[Optional(), Length(max=64)])
    programme = StringField(filters=[_strip], validators=[Optional(), Length(max=30)])
    since = DayField(validators=[Optional()])
    until = DayField(validators=[Optional()])

    def validate_programme(self, field):
        """A programme code (MWI-CSP3); the number of older links still finds its programme."""
        if not field.data:
            return
        found = programme_id_of_code(get_session(), field.data)
        if found is None and field.data.isdigit():
            found = int(field.data)
        if found is None:
            raise ValidationError(_l("No programme has the code %(code)s.", code=field.data))
        self.programme_id = found

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))


@bp.route("/audit")
@require(Permission.VIEW_AUDIT)
def audit():
    form = AuditFilterForm(request.args)
    page, per_page = page_args(request.args, DEFAULT_PER_PAGE, MAX_PER_PAGE)
    session = get_session()
    valid = form.validate()
    events, names = None, {}
    if valid:
        stmt = filter_events(select(Event), **_filter_values(form)).order_by(Event.id.desc())
        stmt = _narrow(session, stmt, form)
        events = paginate(session, stmt, page, per_page, count=False)
        names = names_of(session, events.items)
    params = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    if per_page != DEFAULT_PER_PAGE:
        params["per_page"] = per_page
    scoped = visible_programme_ids() is not None
    return render_after_reads(
        "events/audit.html", form=form, events=events, params=params, scoped=scoped, names=names,
        kinds=_kinds(session, scoped, events, form.type.data),
        actors=[] if scoped else session.scalars(select(User.email).order_by(User.email)).all(),
    ), 200 if valid else 400


def _kinds(session, scoped: bool, events, chosen: str | None) -> list[tuple[str, str]]:
    """The kinds of event to filter by, in words: every type in the trail; for a reader scoped to
    programmes only those on the page (the others' events are not theirs to learn of)."""
    types = set(event_types(session)) if not scoped else {e.type for e in (events.items if events else [])}
    return sorted(((t, event_label(t)) for t in types | ({chosen} if chosen else set())), key=lambda k: k[1])


def _narrow(session, stmt, form: AuditFilterForm):
    """The programme filter, and the programme scope of the reader."""
    if form.programme.data:
        stmt = stmt.where(about_programmes(session, {form.programme_id}))
    scope = visible_to(session, visible_programme_ids(), g.user.email)
    return stmt if scope is None else stmt.where(scope)


def _filter_values(form: AuditFilterForm) -> dict:
    """Dates are whole local days (the pages' time zone): ``until`` includes its whole day."""
    values = {name: getattr(form, name).data or None for name in ("type", "actor", "aggregate_type", "aggregate_id")}
    local = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    if form.since.data:
        values["since"] = datetime.combine(form.since.data, time.min, tzinfo=local)
    if form.until.data:
        values["until"] = datetime.combine(form.until.data + timedelta(days=1), time.min,
                                           tzinfo=local) - timedelta(microseconds=1)
    return values


def describe_payload(payload) -> tuple[list[tuple[str, object, object]], list[tuple[str, object]]]:
    """Split a payload into (field, before, after) changes and the remaining plain facts.

    Changes are found under ``changes`` ({field: {before, after}}) and as top-level
    values shaped {before, after} (a budget line's planned amount, a rate).
    """
    if not isinstance(payload, dict):
        return [], [("payload", payload)]
    changes, facts = [], []
    nested = payload.get("changes")
    if isinstance(nested, dict):
        changes += [(k, v.get("before"), v.get("after")) for k, v in nested.items() if _is_change(v)]
    for key, value in payload.items():
        if key == "changes" and isinstance(nested, dict):
            continue
        if _is_change(value):
            changes.append((key, value.get("before"), value.get("after")))
        else:
            facts.append((key, value))
    return changes, facts


def _is_change(value) -> bool:
    return isinstance(value, dict) and set(value) == {"before", "after"}
