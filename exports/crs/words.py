"""The words of the CRS workbook's sheets for the officer, in the language of the export run.

The words are said as every workbook says its words (``exports.words``), in the requester's
language: sheet names, headers, statuses, the rules' reasons and
notes of Not ODA, Needs review, Summary, Metadata and Changes. The CRS sheet is not worded
here: its name, headers and values are the OECD's, the same in every language.

English keeps what the English workbook always said, stored codes included: an ODA status,
a rule and an override's action appear as the API names them (``not_eligible``,
``recipient``, ``set_share``); another language says them in words. Amounts inside a text
are written with two decimals in the reader's notation (``exports.words.amount_text``).
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext

from app.messages import N_
from exports.crs.lines import ON_THE_ACTIVITY
from exports.words import share_text, stored_code
from oda.rules.messages import RULE_LABELS, reason_text
from programmes.models.enums import TransactionKind

#: the sheets for the officer (the CRS sheet keeps its name: a revision reads it by name)
#: (the sheet Changes is worded with its columns, in ``exports.crs.diff``)
NOT_ODA, NEEDS_REVIEW, SUMMARY, METADATA = N_("Not ODA"), N_("Needs review"), N_("Summary"), N_("Metadata")
#: an ODA status and an override's action, in words (English shows the stored code)
STATUS_WORDS = {"eligible": N_("eligible"), "not_eligible": N_("not eligible"), "needs_review": N_("needs review")}
ACTION_WORDS = {"accept": N_("accept"), "reject": N_("reject"), "set_share": N_("set share")}
#: how the reconciliation counts a line of the Needs review sheet
OPEN = N_("open")


def rule_reason(reason: dict) -> str:
    """"recipient: Chile (434) is not on …", "Ontvanger: Chili (434) staat niet op …"."""
    return f"{stored_code(reason.get('rule', '?'), RULE_LABELS)}: {reason_text(reason, gettext)}"


class LineWords:
    """The words the lines of the Not ODA and Needs review sheets repeat, said once per sheet
    (a transaction's kind, an ODA status, the remainder of a partly ODA line)."""

    def __init__(self):
        self.kinds = {kind.value: gettext(kind.value) for kind in TransactionKind}
        self.statuses = {status: stored_code(status, STATUS_WORDS) for status in STATUS_WORDS}
        self.on_the_activity = gettext(ON_THE_ACTIVITY)
        self.remainders: dict[tuple, str] = {}

    def kind(self, kind: str) -> str:
        return self.kinds.get(kind, kind)

    def status(self, status: str | None) -> str | None:
        return self.statuses.get(status, status)

    def document(self, number: str | None) -> str | None:
        """A line's document number; the commitment entered on an activity has none: it says so."""
        return self.on_the_activity if number == ON_THE_ACTIVITY else number

    def remainder(self, share: Decimal, project: str) -> str:
        """The note of a partly ODA line's Not ODA row (the same for every line of the activity)."""
        key = (share, project)
        if key not in self.remainders:
            self.remainders[key] = gettext(
                "partly ODA: %(share)s counted in the CRS row of %(project)s; this is the remaining %(rest)s",
                share=share_text(share), project=project, rest=share_text(1 - share))
        return self.remainders[key]
