"""Bi/multi (CRS item 10), derived from the type of aid as the DAC directives say.

- core contributions to multilateral institutions (B02, B021, B022) are multilateral: 2;
- core support to NGOs, PPPs, networks and research institutes (B01): 3;
- everything else is bilateral: 1, unless the activity states one of the other codes of
  the bi/multi list (oda/reference/data/bi_multi.csv): 4 multilateral outflows,
  6 private-sector outflows, 7 ex-post reporting on NGOs' activities funded through core
  contributions, 8 triangular co-operation.

A stated value that is not what the type of aid gives (bi/multi 1 on a B02, 2 on a
project) is a conflict: the multilateral rule sends the line to review with a reason, and
the CRS writes the derived value (the directives' one) if an officer accepts the line.

One definition for the rules (``derive``) and the CRS export (``bi_multi_sql``, the same
mapping as a CASE, so the export stays set-based).
"""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import case, func

#: type of aid → the bi/multi the directives give it
BY_AID_TYPE = {"B02": "2", "B021": "2", "B022": "2", "B01": "3"}
BILATERAL = "1"
#: codes an activity may state for any other type of aid
STATED_CODES = ("4", "6", "7", "8")


class BiMulti(NamedTuple):
    #: what the CRS reports
    value: str
    #: what the activity states (None: derived only)
    stated: str | None

    @property
    def conflict(self) -> bool:
        """The activity states a value the type of aid does not allow."""
        return self.stated is not None and self.stated != self.value


def derive(aid_type: str | None, stated: str | None) -> BiMulti:
    aid = (aid_type or "").strip().upper()
    stated = (stated or "").strip() or None
    if aid in BY_AID_TYPE:
        return BiMulti(BY_AID_TYPE[aid], stated)
    return BiMulti(stated if stated in STATED_CODES else BILATERAL, stated)


def bi_multi_sql(aid_type, stated):
    """``derive(aid_type, stated).value`` as an SQL expression over two columns."""
    aid = func.upper(func.trim(aid_type))
    return case(*((aid == code, value) for code, value in BY_AID_TYPE.items()),
                (func.trim(stated).in_(STATED_CODES), func.trim(stated)), else_=BILATERAL)
