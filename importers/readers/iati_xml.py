"""Reading an IATI activity file (``iati-activities``, version 2.0x) one activity at a time.

The file is checked by its bytes before the parser sees it (size, an archive or a legacy
Office file named .xml, any DTD: entity attacks such as XXE or "billion laughs" need one),
and lxml then parses it with entities, DTDs and the network switched off. Each
``iati-activity`` is read into an :class:`IatiActivity` and cleared, so memory stays flat
however many activities the file holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, NamedTuple

from lxml import etree

from app.messages import numeral, said
from importers.errors import ImportRefused
from importers.limits import Limits
from importers.safety import CFB_SIGNATURE, CHUNK, DTD_MARKERS, ZIP_SIGNATURE, check_size

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ACTIVITIES_ROOT, ORGANISATIONS_ROOT, ACTIVITY = "iati-activities", "iati-organisations", "iati-activity"
#: IATI RelatedActivityType 1: the activity named is the parent of this one
PARENT = "1"


class Coded(NamedTuple):
    """An element's code, its vocabulary (None = the default, DAC) and percentage or significance."""

    code: str
    vocabulary: str | None = None
    share: str | None = None


class Organisation(NamedTuple):
    """A participating organisation: its role, identifier, names by language and CRS channel code."""

    role: str
    ref: str | None
    names: dict
    channel_code: str | None


@dataclass
class IatiActivity:
    """What Aidledger reads of one ``iati-activity``; codes are as written in the file."""

    position: int
    line: int
    identifier: str | None = None
    reporting_org: str | None = None
    language: str | None = None
    titles: dict = field(default_factory=dict)
    descriptions: dict = field(default_factory=dict)
    status: str | None = None
    dates: dict = field(default_factory=dict)
    countries: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    defaults: dict = field(default_factory=dict)
    markers: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    #: identifiers of the activities this one names as its parent (related-activity type 1)
    parents: list = field(default_factory=list)
    transactions: int = 0


def check_xml_upload(path: str, limits: Limits) -> None:
    """Refuse what is not a plain XML file before any parser reads it."""
    head = check_size(path, limits)
    if head.startswith(ZIP_SIGNATURE) or head.startswith(CFB_SIGNATURE):
        raise ImportRefused("not_xml", said("The file is a workbook or an archive, not an IATI XML file. For a "
                                            "spreadsheet of activities choose the kind “Activities (CRS attributes)”."))
    _refuse_dtd(path)


def _refuse_dtd(path: str) -> None:
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            if any(marker in tail + chunk for marker in DTD_MARKERS):
                raise ImportRefused("xml_entities", said("The file contains an XML document type declaration "
                                                         "(DOCTYPE or ENTITY, as XML attacks do); IATI files have "
                                                         "none. Refused."))
            tail = chunk[-32:]


def read_activities(path: str, limits: Limits) -> Iterator[IatiActivity]:
    """Every ``iati-activity`` of the file, in order; raises ImportRefused for a file that is
    not an IATI 2.0x activity file or is not well-formed."""
    parser = etree.iterparse(path, events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    root, position = None, 0
    try:
        for event, element in parser:
            if root is None:
                root = element
                _check_root(root)
            elif event == "end" and element.tag == ACTIVITY and element.getparent() is root:
                position += 1
                if position > limits.max_rows:
                    raise ImportRefused("too_many_rows", said("The file has more than %(n)s activities; split "
                                                              "it into smaller files.", n=numeral(limits.max_rows)))
                yield _activity(element, position)
                element.clear()
                while element.getprevious() is not None:
                    del root[0]
    except etree.XMLSyntaxError as exc:
        raise ImportRefused("corrupt_xml", said("The file is not well-formed XML (line %(line)s): %(error)s",
                                                line=exc.lineno or "?", error=str(exc.msg or exc)[:200])) from None
    if root is None:
        raise ImportRefused("corrupt_xml", said("The file holds no XML element."))


def _check_root(root) -> None:
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == ORGANISATIONS_ROOT:
        raise ImportRefused("iati_organisations", said(
            "This is an IATI organisation file (iati-organisations): it holds an organisation's budgets and "
            "expenditure, not activities. Upload the organisation's activity file (iati-activities)."))
    if tag != ACTIVITIES_ROOT:
        raise ImportRefused("not_iati", said("This XML file is not an IATI activity file: its root element is "
                                             "<%(tag)s>, not <iati-activities>.", tag=tag[:60]))
    version = (root.get("version") or "").strip()
    if not version.startswith("2."):
        raise ImportRefused("iati_version", said("IATI version %(version)s is not read: Aidledger reads IATI 2.01 "
                                                 "to 2.03 activity files.", version=version or "?"))


def _activity(element, position: int) -> IatiActivity:
    activity = IatiActivity(position, element.sourceline or 0, language=element.get(XML_LANG))
    for child in element:
        reader = _READERS.get(child.tag)
        if reader is not None:
            reader(activity, child)
    return activity


def _text(element) -> str | None:
    text = (element.text or "").strip() if element is not None else ""
    return text or None


def _narratives(element, default_language: str | None) -> dict:
    """Narratives by language (lower case); one without xml:lang is in the activity's language."""
    found = {}
    for narrative in element.iterfind("narrative"):
        text = _text(narrative)
        if text:
            found.setdefault((narrative.get(XML_LANG) or default_language or "").lower(), text)
    return found


def _coded(element, share: str = "percentage") -> Coded | None:
    code = (element.get("code") or "").strip()
    return Coded(code, (element.get("vocabulary") or "").strip() or None, element.get(share)) if code else None


def _set_identifier(activity: IatiActivity, element) -> None:
    activity.identifier = _text(element)


def _set_reporting_org(activity: IatiActivity, element) -> None:
    activity.reporting_org = (element.get("ref") or "").strip() or None


def _set_title(activity: IatiActivity, element) -> None:
    activity.titles = _narratives(element, activity.language)


def _add_description(activity: IatiActivity, element) -> None:
    if (element.get("type") or "1").strip() == "1" and not activity.descriptions:
        activity.descriptions = _narratives(element, activity.language)


def _set_status(activity: IatiActivity, element) -> None:
    activity.status = (element.get("code") or "").strip() or None


def _add_date(activity: IatiActivity, element) -> None:
    kind, when = (element.get("type") or "").strip(), (element.get("iso-date") or "").strip()
    if kind and when:
        activity.dates.setdefault(kind, when)


def _adder(name: str, share: str = "percentage"):
    def add(activity: IatiActivity, element) -> None:
        coded = _coded(element, share)
        if coded is not None:
            getattr(activity, name).append(coded)
    return add


def _default(name: str):
    def set_default(activity: IatiActivity, element) -> None:
        coded = _coded(element)
        if coded is not None:
            activity.defaults.setdefault(name, coded)
    return set_default


def _add_organisation(activity: IatiActivity, element) -> None:
    activity.organisations.append(Organisation(
        (element.get("role") or "").strip(), (element.get("ref") or "").strip() or None,
        _narratives(element, activity.language), (element.get("crs-channel-code") or "").strip() or None))


def _add_crs_flags(activity: IatiActivity, element) -> None:
    activity.flags += [flag.get("code", "").strip() for flag in element.iterfind("other-flags")
                       if (flag.get("significance") or "1").strip() == "1"]


def _add_related(activity: IatiActivity, element) -> None:
    ref = (element.get("ref") or "").strip()
    if ref and (element.get("type") or "").strip() == PARENT:
        activity.parents.append(ref)


def _count_transaction(activity: IatiActivity, element) -> None:
    activity.transactions += 1


_READERS = {
    "iati-identifier": _set_identifier, "reporting-org": _set_reporting_org, "title": _set_title,
    "description": _add_description, "activity-status": _set_status, "activity-date": _add_date,
    "recipient-country": _adder("countries"), "recipient-region": _adder("regions"), "sector": _adder("sectors"),
    "policy-marker": _adder("markers", "significance"), "participating-org": _add_organisation,
    "collaboration-type": _default("collaboration_type"), "default-flow-type": _default("flow_type"),
    "default-finance-type": _default("finance_type"), "default-aid-type": _default("aid_type"),
    "default-tied-status": _default("tied_status"), "crs-add": _add_crs_flags, "transaction": _count_transaction,
    "related-activity": _add_related,
}
