"""The rest of an activity's CRS record: tied status (items 36–38), a loan's terms (44–49),
SDG focus and keywords. Checked here, whatever the way in (form, import, API), so that a
value the CRS cannot take is never stored; normalised to the form the CRS writes."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from app.errors import ValidationError
from programmes.models.enums import (HIGHEST_RATE, LOAN_REPAYMENT_TYPES, MAX_KEYWORDS_CHARS,
                                     MAX_REPAYMENTS_PER_YEAR, MAX_SDG_FOCUS, RATE_PLACES, TIED_STATUSES)

#: an SDG goal (1–17) or target (4.1, 17.19, 5.a)
SDG_CODE = re.compile(r"^(?:1[0-7]|[1-9])(?:\.(?:1[0-9]|[1-9]|[a-d]))?$")
SDG_SEPARATORS = re.compile(r"[;,\s]+")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def validate_crs_record(activity) -> None:
    """Check and normalise the activity's CRS record attributes, or raise ValidationError."""
    activity.tied_status = tied_status_value(activity.tied_status)
    activity.loan_repayment_type = _whole(activity.loan_repayment_type, "loan_repayment_type", "the repayment type")
    if activity.loan_repayment_type is not None and activity.loan_repayment_type not in LOAN_REPAYMENT_TYPES:
        raise ValidationError("the repayment type is 1 (equal principal), 2 (annuity), 3 (lump sum) or 5 (other)",
                              "loan_repayment_type")
    per_year = _whole(activity.loan_repayments_per_year, "loan_repayments_per_year", "the repayments per year")
    if per_year is not None and not 1 <= per_year <= MAX_REPAYMENTS_PER_YEAR:
        raise ValidationError(f"repayments per year: 1 to {MAX_REPAYMENTS_PER_YEAR}", "loan_repayments_per_year")
    activity.loan_repayments_per_year = per_year
    for name in ("loan_interest_rate_1", "loan_interest_rate_2"):
        setattr(activity, name, interest_rate_value(getattr(activity, name), name))
    _check_loan_dates(activity)
    activity.sdg_focus = sdg_focus_value(activity.sdg_focus)
    activity.keywords = keywords_value(activity.keywords)


def tied_status_value(value) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in TIED_STATUSES:
        raise ValidationError("the tied status is 3 (partially untied), 4 (tied), 5 (untied) or blank",
                              "tied_status")
    return value


def _whole(value, field: str, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{what} is a whole number", field)
    return value


def interest_rate_value(value, field: str) -> Decimal | None:
    """A rate in percent a year, 0–100, at most four decimals (0.75 for 0.75 %)."""
    if value is None:
        return None
    if isinstance(value, (float, bool)):
        raise ValidationError("an interest rate must be an exact decimal such as 0.75, not a floating-point "
                              "number", field)
    try:
        rate = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(f"not an interest rate: {str(value)[:20]!r}", field) from None
    if not rate.is_finite() or not 0 <= rate <= HIGHEST_RATE:
        raise ValidationError("an interest rate lies between 0 and 100 (percent a year)", field)
    if rate != round(rate, RATE_PLACES):
        raise ValidationError(f"an interest rate has at most {RATE_PLACES} decimals", field)
    return rate


def _check_loan_dates(activity) -> None:
    first, final = activity.loan_first_repayment_date, activity.loan_final_repayment_date
    for name in ("loan_interest_rate_2_date", "loan_first_repayment_date", "loan_final_repayment_date"):
        if getattr(activity, name) is not None and not isinstance(getattr(activity, name), date):
            raise ValidationError("not a date", name)
    if first and final and final < first:
        raise ValidationError("the final repayment comes before the first repayment", "loan_final_repayment_date")
    if first and activity.commitment_date and first <= activity.commitment_date:
        raise ValidationError("the first repayment must come after the commitment date", "loan_first_repayment_date")
    if (activity.loan_interest_rate_2 is None) != (activity.loan_interest_rate_2_date is None):
        raise ValidationError("a second interest rate needs the date from which it applies, and that date a rate",
                              "loan_interest_rate_2_date")


def sdg_focus_value(value) -> str | None:
    """Goals and targets separated by ';' (',' and spaces are read as separators too), without
    repeats, at most ten: "4.1; 5" → "4.1;5"."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("the SDG focus is text such as 4.1;5", "sdg_focus")
    codes = list(dict.fromkeys(code.lower() for code in SDG_SEPARATORS.split(value) if code))
    wrong = [code for code in codes if not SDG_CODE.match(code)]
    if wrong:
        raise ValidationError(f"not an SDG goal or target: {wrong[0][:20]!r} (goals 1 to 17, targets such as "
                              "4.1 or 5.a)", "sdg_focus")
    if len(codes) > MAX_SDG_FOCUS:
        raise ValidationError(f"at most {MAX_SDG_FOCUS} SDG goals or targets, not {len(codes)}", "sdg_focus")
    return ";".join(codes) or None


def keywords_value(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("keywords are text", "keywords")
    text = value.strip()
    if CONTROL_CHARACTERS.search(text):
        raise ValidationError("keywords are one line of text without control characters", "keywords")
    if len(text) > MAX_KEYWORDS_CHARS:
        raise ValidationError(f"keywords: at most {MAX_KEYWORDS_CHARS} characters", "keywords")
    return text or None
