"""The CRS mandatory items of an activity: without them a CRS row cannot be written.

One definition for every place that needs it: an override that makes a line (partly)
ODA is refused while one is missing (``oda.services.overrides``), existing overrides
on such activities are flagged for re-confirmation, and the CRS export never writes a
row that lacks one (it becomes a finding on the Needs review sheet instead).

``field`` is the name under which the activity's CRS record exposes the value: the
export's activity rows (``exports.crs.queries.activity_rows``) and
:func:`crs_record_select` use the same names. Bi/multi is not here: it is derived
from the aid type and the channel, never asked for.
"""
from __future__ import annotations

from operator import attrgetter, itemgetter
from typing import NamedTuple, Sequence

from sqlalchemy import func, or_, select

from programmes.models import Activity, Organisation


def N_(message: str) -> str:  # noqa: N802 - gettext's "mark now, translate when shown"
    return message


class MandatoryItem(NamedTuple):
    #: stable key, used in the API's error details
    key: str
    #: what a person reads (translated where it is shown)
    label: str
    #: the CRS sheet's column
    crs_column: str
    #: the value's name in the activity's CRS record
    field: str


CRS_MANDATORY_ITEMS = (
    MandatoryItem("recipient", N_("recipient"), "RecipientCode", "recipient_code"),
    MandatoryItem("channel", N_("channel of delivery (of the activity or its organisation)"), "ChannelCode",
                  "channel"),
    MandatoryItem("aid_type", N_("type of aid"), "Aid_t", "aid_type"),
    MandatoryItem("purpose_code", N_("purpose code"), "PurposeCode", "purpose_code"),
    MandatoryItem("flow_type", N_("type of flow"), "FlowCode", "flow_type"),
    MandatoryItem("finance_type", N_("type of finance"), "Finance_t", "finance_type"),
)


#: the items' values of a record, as a tuple
mandatory_values = attrgetter(*(item.field for item in CRS_MANDATORY_ITEMS))


def missing_items(record) -> tuple[MandatoryItem, ...]:
    """The items ``record`` (any object with the items' ``field`` attributes) lacks."""
    return missing_among(mandatory_values(record))


def missing_among(values: tuple) -> tuple[MandatoryItem, ...]:
    """The items whose value in ``values`` (in the order of ``CRS_MANDATORY_ITEMS``) is empty
    (None or ""; codes are stored stripped)."""
    if all(values):
        return ()
    return tuple(item for item, value in zip(CRS_MANDATORY_ITEMS, values) if not value)


def values_by_position(fields: Sequence[str]) -> itemgetter:
    """The items' values of rows whose columns are named ``fields``, read by position: for
    the CRS export's rows (a SQLAlchemy row reads an item by position 20× faster than by name)."""
    names = list(fields)
    return itemgetter(*(names.index(item.field) for item in CRS_MANDATORY_ITEMS))


def channel_of_activity():
    """The activity's channel of delivery, or else its organisation's (needs the outer join
    to ``Organisation`` that :func:`crs_record_select` makes)."""
    return func.coalesce(Activity.channel_code, Organisation.channel_code)


def _record_columns() -> dict:
    """{field: SQL expression} of the mandatory items."""
    return {"recipient_code": Activity.recipient_code, "channel": channel_of_activity(),
            "aid_type": Activity.aid_type, "purpose_code": Activity.purpose_code,
            "flow_type": Activity.flow_type, "finance_type": Activity.finance_type}


def crs_record_select():
    """The mandatory items of activities, named by their ``field`` (plus ``id`` and ``code``)."""
    columns = _record_columns()
    return (select(Activity.id, Activity.code, *(columns[item.field].label(item.field)
                                                  for item in CRS_MANDATORY_ITEMS))
            .outerjoin(Organisation, Organisation.id == Activity.organisation_id))


def incomplete_activities():
    """The ids of activities that lack a mandatory item (a select, for ``IN``)."""
    columns = _record_columns()
    lacking = or_(*(or_(columns[item.field].is_(None), columns[item.field] == "")
                    for item in CRS_MANDATORY_ITEMS))
    return (select(Activity.id).outerjoin(Organisation, Organisation.id == Activity.organisation_id)
            .where(lacking))
