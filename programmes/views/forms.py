"""Forms of the programme pages: what a user may type, and the messages next to each field."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from app.web.forms import AmountField, DayField, LocalizedForm
from programmes.models.enums import (CRS_FLAG_FIELDS, CRS_RECORD_FIELDS, MAX_KEYWORDS_CHARS, MAX_REPAYMENTS_PER_YEAR,
                                     MAX_SDG_FOCUS, POLICY_MARKERS, ActivityStatus, MainObjective)
from programmes.services.crs_record import SDG_CODE, SDG_SEPARATORS
from programmes.views.labels import (MAIN_OBJECTIVE_LABELS, REPAYMENT_FREQUENCY_LABELS, REPAYMENT_TYPE_LABELS,
                                     STATUS_LABELS, TIED_STATUS_LABELS)



def strip(value):
    return value.strip() if isinstance(value, str) else value


def empty_to_none(value):
    value = strip(value)
    return value or None


class BudgetLineForm(LocalizedForm):
    """The plan of one year (and optionally one DAC sector) of a programme."""

    year = IntegerField(validators=[InputRequired(message=_l("Choose a year."))])
    sector = StringField(filters=[strip], validators=[
        Optional(), Regexp(r"^\d{3}(\d{2})?$", message=_l("A DAC sector code has 3 or 5 digits, e.g. 311 or 31120."))])
    planned_amount = AmountField(validators=[InputRequired(message=_l("Enter the planned amount."))])
    #: the version of the line the user saw; empty when the user saw no line
    version = HiddenField(filters=[strip])
    #: the budget lines the page showed, as year/sector/version;… (a new line for a shown year replaces it)
    seen = HiddenField(filters=[strip])


def _code(pattern: str, message) -> list:
    return [Optional(), Regexp(pattern, message=message)]


NOT_A_CHOICE = _l("Not a valid choice.")
STATUS_CHOICES = [(s.value, STATUS_LABELS[s.value]) for s in ActivityStatus]
OBJECTIVE_CHOICES = [(o.value, MAIN_OBJECTIVE_LABELS[o.value]) for o in MainObjective]
TIED_STATUS_CHOICES = [(code, f"{code} – {label}") for code, label in TIED_STATUS_LABELS.items()]
REPAYMENT_TYPE_CHOICES = [(str(code), f"{code} – {label}") for code, label in REPAYMENT_TYPE_LABELS.items()]
REPAYMENT_FREQUENCY_CHOICES = [
    (str(n), f"{n} – {REPAYMENT_FREQUENCY_LABELS[n]}" if n in REPAYMENT_FREQUENCY_LABELS else str(n))
    for n in range(1, MAX_REPAYMENTS_PER_YEAR + 1)]
#: percent a year, a point or a comma before at most four decimals
INTEREST_RATE = r"^\d{1,3}([.,]\d{1,4})?$"
RATE_MESSAGE = _l("Enter the rate in percent a year, from 0 to 100, e.g. 0.75.")


def _choice(choices) -> StringField:
    """A value from a fixed list; the template renders the list as a select."""
    return StringField(filters=[strip], validators=[
        InputRequired(message=NOT_A_CHOICE), AnyOf([value for value, _label in choices], message=NOT_A_CHOICE)])


def _optional_choice(choices) -> StringField:
    """A value from a fixed list, or empty."""
    return StringField(filters=[empty_to_none], validators=[
        Optional(), AnyOf([value for value, _label in choices], message=NOT_A_CHOICE)])


def _interest_rate() -> StringField:
    return StringField(filters=[empty_to_none], validators=[Optional(), Regexp(INTEREST_RATE, message=RATE_MESSAGE)])


def _marker_field(highest: int) -> StringField:
    return StringField(filters=[empty_to_none], validators=[
        Optional(), AnyOf([str(s) for s in range(highest + 1)], message=NOT_A_CHOICE)])


class ActivityForm(LocalizedForm):
    """The attributes of an activity a programme manager may change (code and programme stay)."""

    title = StringField(filters=[strip], validators=[
        DataRequired(message=_l("Give the activity a title.")),
        Length(max=300, message=_l("At most %(max)d characters.", max=300))])
    description = TextAreaField(filters=[empty_to_none], validators=[
        Optional(), Length(max=5000, message=_l("At most %(max)d characters.", max=5000))])
    status = _choice(STATUS_CHOICES)
    main_objective = _choice(OBJECTIVE_CHOICES)
    start_date = DayField(validators=[Optional()])
    end_date = DayField(validators=[Optional()])
    recipient_code = StringField(filters=[empty_to_none], validators=_code(
        r"^\d{3,4}$", _l("A DAC recipient code has 3 or 4 digits, e.g. 253 for Malawi.")))
    purpose_code = StringField(filters=[empty_to_none], validators=_code(
        r"^\d{5}$", _l("A DAC purpose code has 5 digits, e.g. 31120.")))
    aid_type = StringField(filters=[empty_to_none], validators=_code(
        r"^[A-H]\d{2}\d?$", _l("A type of aid looks like C01 or B02.")))
    channel_code = StringField(filters=[empty_to_none], validators=_code(
        r"^\d{5,6}$", _l("A channel code has 5 or 6 digits, e.g. 41147.")))
    flow_type = StringField(filters=[strip], validators=[
        InputRequired(message=_l("Enter the type of flow (10 for ODA).")),
        Regexp(r"^\d{2}$", message=_l("A type of flow has 2 digits, e.g. 10."))])
    finance_type = StringField(filters=[strip], validators=[
        InputRequired(message=_l("Enter the type of finance (110 for a standard grant).")),
        Regexp(r"^\d{3,4}$", message=_l("A type of finance has 3 or 4 digits, e.g. 110."))])
    bi_multi = StringField(filters=[empty_to_none], validators=_code(
        r"^[1-8]$", _l("Bi/multi is one digit from 1 to 8.")))
    geography = StringField(filters=[empty_to_none], validators=[
        Optional(), Length(max=120, message=_l("At most %(max)d characters.", max=120))])
    commitment_date = DayField(validators=[Optional()])
    commitment_amount = AmountField(validators=[Optional()])
    tied_status = _optional_choice(TIED_STATUS_CHOICES)
    loan_repayment_type = _optional_choice(REPAYMENT_TYPE_CHOICES)
    loan_repayments_per_year = _optional_choice(REPAYMENT_FREQUENCY_CHOICES)
    loan_interest_rate_1 = _interest_rate()
    loan_interest_rate_2 = _interest_rate()
    loan_interest_rate_2_date = DayField(validators=[Optional()])
    loan_first_repayment_date = DayField(validators=[Optional()])
    loan_final_repayment_date = DayField(validators=[Optional()])
    sdg_focus = StringField(filters=[empty_to_none], validators=[
        Optional(), Length(max=120, message=_l("At most %(max)d characters.", max=120))])
    keywords = StringField(filters=[empty_to_none], validators=[
        Optional(), Length(max=MAX_KEYWORDS_CHARS, message=_l("At most %(max)d characters.", max=MAX_KEYWORDS_CHARS)),
        Regexp(r"^[^\x00-\x1f\x7f]*$", message=_l("One line of text, without control characters."))])
    version = HiddenField(filters=[strip])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date is before the start date."))

    def validate_loan_first_repayment_date(self, field):
        if field.data and self.commitment_date.data and field.data <= self.commitment_date.data:
            raise ValidationError(_l("The first repayment must come after the commitment date."))

    def validate_loan_final_repayment_date(self, field):
        if field.data and self.loan_first_repayment_date.data and field.data < self.loan_first_repayment_date.data:
            raise ValidationError(_l("The final repayment comes before the first repayment."))

    def validate_loan_interest_rate_1(self, field):
        _check_rate(field)

    def validate_loan_interest_rate_2(self, field):
        _check_rate(field)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        rate, since = self.loan_interest_rate_2, self.loan_interest_rate_2_date
        if not rate.errors and not since.errors and (rate.data is None) != (since.data is None):
            since.errors = list(since.errors) + [_l("A second interest rate needs the date from which it applies, "
                                                    "and that date a rate.")]
            return False
        return valid

    def validate_sdg_focus(self, field):
        codes = [c for c in SDG_SEPARATORS.split(field.data or "") if c]
        wrong = [c for c in codes if not SDG_CODE.match(c.lower())]
        if wrong:
            # gettext, not _l: a lazy string is trusted as HTML, and the code is what the user typed
            raise ValidationError(gettext("%(code)s is not an SDG goal or target: write goals 1 to 17 or targets "
                                          "such as 4.1 or 5.a, separated by ';'.", code=wrong[0][:20]))
        if len({c.lower() for c in codes}) > MAX_SDG_FOCUS:
            raise ValidationError(_l("At most %(max)d SDG goals or targets.", max=MAX_SDG_FOCUS))


def _check_rate(field) -> None:
    if field.data and not field.errors and Decimal(field.data.replace(",", ".")) > 100:
        raise ValidationError(RATE_MESSAGE)


for _name, _highest in POLICY_MARKERS.items():
    setattr(ActivityForm, f"marker_{_name}", _marker_field(_highest))

for _flag in CRS_FLAG_FIELDS:  # a checkbox sends "y" when ticked; "0" or "no" from a script also mean no
    setattr(ActivityForm, _flag, BooleanField(false_values=("", "0", "false", "no", "n", "off")))

MARKER_FIELDS = tuple(f"marker_{m}" for m in POLICY_MARKERS)
ACTIVITY_FORM_FIELDS = ("title", "description", "status", "main_objective", "start_date", "end_date",
                        "recipient_code", "purpose_code", "aid_type", "channel_code", "flow_type",
                        "finance_type", "bi_multi", "geography", "commitment_date",
                        "commitment_amount") + MARKER_FIELDS + CRS_FLAG_FIELDS + CRS_RECORD_FIELDS
