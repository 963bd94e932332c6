"""What every rule receives and returns.

A rule is a module with ``NAME``, ``READS`` (the attributes of :class:`ActivityFacts` it
reads; a rule that reads more for some activities, such as a loan's terms, adds
``inputs(activity) -> tuple``) and a function ``check(ctx) -> RuleResult``: pass, fail or
unknown, with a sentence a person can read in the review queue, and the reference facts
it used (those facts feed the inputs hash that decides whether an override still holds).
Two contexts that agree on what every rule reads share one outcome (``oda.rules.rule_inputs``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from app.messages import render
from oda.rules.messages import N_, Message, Percent, msg

if TYPE_CHECKING:
    from oda.rules.reference import ReferenceSnapshot

PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"

#: the command that loads official reference files; messages about missing reference data name it
LOAD_COMMAND = "flask --app wsgi reference load"

#: aid types of money spent in the donor country (recipient 998 or the country of origin)
IN_DONOR_AID_TYPES = frozenset({"G01", "H01", "H02", "H03", "H04", "H05", "E01", "E02"})


@dataclass(frozen=True)
class ActivityFacts:
    """An activity as the classification loads it (these columns of programmes.models.Activity,
    ``oda.services.evaluations.FACT_COLUMNS``); every attribute a rule ``READS`` is one of them."""

    id: int
    code: str
    title: str = ""
    description: str | None = None
    organisation_id: int | None = None
    recipient_code: str | None = None
    purpose_code: str | None = None
    aid_type: str | None = None
    flow_type: str | None = "10"
    finance_type: str | None = "110"
    channel_code: str | None = None
    bi_multi: str | None = None
    geography: str | None = None
    main_objective: str | None = "development"
    commitment_date: date | None = None
    # a loan's terms (CRS items 44–49; see oda.loans), read by the concessional rule
    loan_repayment_type: int | None = None
    loan_repayments_per_year: int | None = None
    loan_interest_rate_1: Decimal | None = None
    loan_interest_rate_2: Decimal | None = None
    loan_interest_rate_2_date: date | None = None
    loan_first_repayment_date: date | None = None
    loan_final_repayment_date: date | None = None

    @property
    def in_donor(self) -> bool:
        """Money spent in the donor country (read through ``aid_type``)."""
        return (self.aid_type or "") in IN_DONOR_AID_TYPES


@dataclass(frozen=True)
class RuleContext:
    activity: ActivityFacts
    year: int
    currency: str
    ref: "ReferenceSnapshot"
    #: "DAC donor 2, agency 70": who reports (the donor whose public budget pays)
    donor: Message | str = msg(N_("the reporting donor"))


@dataclass(frozen=True)
class RuleResult:
    rule: str
    result: str
    #: the reason, said in the reader's language when shown (``oda.rules.messages``)
    message: Message
    #: the share of the amount that counts as ODA, when this rule decides it
    share: Decimal | None = None
    facts: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The reason in English: what is digested, and what the API and the OECD file say."""
        return self.message.english()

    def as_json(self) -> dict:
        data = {"rule": self.rule, "result": self.result, "reason": self.reason,
                "message": self.message.as_json(), "facts": self.facts}
        if self.share is not None:
            data["share"] = str(self.share)
        return data


def percent(share: Decimal | None) -> str:
    """0.6 → "60 %", 0.5833333333 → "58.33 %" (the workbooks' English texts)."""
    return str(render(percent_param(share).as_json() if share is None else {"percent": _hundredths(share)}))


def percent_param(share: Decimal | None) -> Percent | Message:
    """A share in a reason: 58.33 %, or 58,33 % for a Dutch reader."""
    if share is None:
        return msg(N_("unknown"))
    return Percent(_hundredths(share))


def _hundredths(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.01')).normalize():f}"
