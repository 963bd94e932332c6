"""HTML forms of the ODA pages (WTForms, like the programme pages)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, Form, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class OverrideForm(Form):
    action = RadioField(choices=[SelectChoice("accept", _l("Accept: ODA at the computed share")),
                                 SelectChoice("reject", _l("Reject: not ODA")),
                                 SelectChoice("set_share", _l("Set the eligible share"))],
                        validators=[InputRequired(message=_l("Choose accept, reject or a share."))])
    share = StringField(filters=[_strip], validators=[
        Optional(), Length(max=12),
        Regexp(r"^\d{1,3}([.,]\d{1,8})?$", message=_l("Give a percentage such as 75 or 58.33."))])
    reason = TextAreaField(filters=[_strip], validators=[
        InputRequired(message=_l("Say why: a reason is required.")),
        Length(max=2000, message=_l("At most 2000 characters."))])


class DeadlineForm(Form):
    year = IntegerField(validators=[InputRequired(), NumberRange(1990, 2100)])
    deadline = DateField(validators=[InputRequired(message=_l("Give the deadline as a date."))])
    remind_days = IntegerField(default=30, validators=[Optional(), NumberRange(1, 365)])


class UndoDecisionForm(Form):
    reason = TextAreaField(filters=[_strip], validators=[
        InputRequired(message=_l("Say why: a reason is required.")),
        Length(max=2000, message=_l("At most 2000 characters."))])


class GroupFilterForm(Form):
    """The review queue's filters (GET); nonsense is ignored, never an error page."""

    year = IntegerField(validators=[Optional(), NumberRange(1990, 2100)])
    programme = IntegerField(validators=[Optional(), NumberRange(1, 2**31)])
    rule = StringField(filters=[_strip], validators=[Optional(), Length(max=40)])
    reason = StringField(filters=[_strip], validators=[Optional(), Length(max=200)])
    min_amount = DecimalField(places=2, validators=[Optional(), NumberRange(0, 10**13)])


class ActivityCodesForm(Form):
    """The codes a review group misses, fixed from the queue (checked by the service)."""

    main_objective = StringField(filters=[_strip], validators=[Optional(), Length(max=30)])
    recipient_code = StringField(filters=[_strip], validators=[Optional(), Length(max=5)])
    purpose_code = StringField(filters=[_strip], validators=[Optional(), Length(max=5)])
    aid_type = StringField(filters=[_strip], validators=[Optional(), Length(max=4)])
    channel_code = StringField(filters=[_strip], validators=[Optional(), Length(max=5)])
