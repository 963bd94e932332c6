"""Is a CRS code in the official lists? Used to warn (never to refuse) on activity rows.

The ODA package owns the official, versioned code lists and answers through
``oda.reference.services.code_status``. When no reference data has been loaded
yet (or the ODA package is absent), a small curated subset of the Flemish
portfolio's codes (shared/domain/oda-reference.md) answers instead, and a code
outside it is reported as "not in the curated list", not as certainly wrong.
"""
from __future__ import annotations

from typing import Callable

from flask_babel import gettext as _

ACTIVE, WITHDRAWN, UNKNOWN = "active", "withdrawn", "unknown"
LISTS = ("recipient_code", "purpose_code", "aid_type", "channel_code", "flow_type", "finance_type", "bi_multi")

_RECIPIENTS = (
    "253 259 218 136 235 266 228 285 238 282 288 265 249 280 275 227 252 269 287 255 260 248 349 625 666 660 "
    "630 645 769 85 550 573 740 428 454 431 730 55 845 366 446 "
    "1029 1027 1030 289 298 189 689 798 889 998"
)
_PURPOSES = (
    "31110 31120 31130 31140 31150 31161 31163 31166 31181 31182 31191 31193 31194 43071 43072 43073 43040 "
    "43042 43060 43082 52010 12110 12181 12182 12191 12220 12230 12240 12250 12261 12262 12263 12264 12281 "
    "13010 13020 13030 13040 13081 14010 14015 14020 14021 14022 14030 14031 14032 14040 14081 15170 15180 "
    "16020 16061 16062 16064 16065 16066 25030 32130 32161 33110 33120 23210 23230 23231 41010 41020 41030 "
    "41081 41082 72010 72011 72040 72050 73010 74020 91010 93010 93011 93012 93013 93014 93015 93016 93017 "
    "93018 99810 99820"
)
_WITHDRAWN_PURPOSES = "41050 74010 15120 15140 15161 15162 15163 15164 11321 11322"
_AID_TYPES = ("A01 A02 B01 B02 B021 B022 B03 B031 B032 B033 B04 C01 D01 D02 E01 E02 F01 G01 H01 H02 H03 H04 "
              "H05 H06")
_CHANNELS = ("41147 41304 41122 41307 41143 41702 41301 41140 41110 41302 41144 41114 41116 41119 41146 41316 "
             "45001 41319 47080 47081 47138 46024 61000 11000 12000 13000 20000 21000 22000 23000 51000 90000")

CURATED: dict[str, frozenset[str]] = {
    "recipient_code": frozenset(_RECIPIENTS.split()),
    "purpose_code": frozenset(_PURPOSES.split()),
    "aid_type": frozenset(_AID_TYPES.split()),
    "channel_code": frozenset(_CHANNELS.split()),
    "flow_type": frozenset("10 21 22 30 36 37 40 50".split()),
    "finance_type": frozenset("110 210 310 311 421 422 423 424 425 431 432 433 451 452 453 510 511 512 520 530 "
                              "610 611 612 613 614 615 616 617 618 620 621 622 623 624 625 626 627 630 631 632 "
                              "633 634 635 1100".split()),
    "bi_multi": frozenset("1 2 3 4 6 7 8".split()),
}
CURATED_WITHDRAWN: dict[str, frozenset[str]] = {
    "purpose_code": frozenset(_WITHDRAWN_PURPOSES.split()),
    "flow_type": frozenset({"20", "35"}),
}


def curated_code_status(_session, list_name: str, code: str) -> str:
    if code in CURATED_WITHDRAWN.get(list_name, ()):
        return WITHDRAWN
    return ACTIVE if code in CURATED.get(list_name, ()) else UNKNOWN


#: our column names -> the list names of oda.reference.services
ODA_LIST_NAMES = {"recipient_code": "recipient", "channel_code": "channel"}
ODA_STATUSES = {"valid": ACTIVE, "active": ACTIVE, "withdrawn": WITHDRAWN}


class CodeLookup:
    """``status(list_name, code)`` for one import, official when ODA reference data is loaded."""

    def __init__(self, session, year: int):
        self.session, self.year = session, year
        self._official = _official_lookup(session)
        self.official = self._official is not None

    def status(self, list_name: str, code: str) -> str:
        if self._official is not None:
            try:
                answer = self._official(self.session, ODA_LIST_NAMES.get(list_name, list_name), code, self.year)
                return ODA_STATUSES.get(answer, UNKNOWN)
            except (KeyError, ValueError, LookupError):
                pass
        return curated_code_status(self.session, list_name, code)


def _official_lookup(session) -> Callable | None:
    try:
        from oda.reference.services import code_status, reference_version
    except ImportError:
        return None
    try:
        loaded = reference_version(session) > 0
    except Exception:  # the ODA tables may not exist in an older schema
        return None
    return code_status if loaded else None


def code_warning(list_name: str, code: str, status: str, official: bool) -> str | None:
    """The warning for a code that is not active, or None."""
    if status == ACTIVE:
        return None
    if status == WITHDRAWN:
        return _("%(list)s %(code)s is withdrawn from the CRS code list: imported as given; its spending will need "
                 "review in the ODA classification", list=list_name, code=code)
    if official:
        return _("%(list)s %(code)s is not in the official CRS code list: imported as given; its spending will "
                 "need review in the ODA classification", list=list_name, code=code)
    return _("%(list)s %(code)s is not in the curated CRS code list (official lists not loaded): imported as "
             "given; its spending will need review in the ODA classification", list=list_name, code=code)
