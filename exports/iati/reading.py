"""Reading an IATI file one activity (or organisation) at a time, with a hardened parser.

The file may come from outside (a partner's file read back by the importer), so the
parser resolves no entities, fetches nothing from the network and keeps libxml2's
limits on huge text nodes and deep nesting; a file that declares a DOCTYPE (the
carrier of entity bombs and external entities) is refused before its root is read.
Each unit is handed over complete and then cleared, so memory stays flat however
many units the file holds.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from app.messages import said

#: root element and unit element of each kind of file
KINDS = {"activities": ("iati-activities", "iati-activity"),
         "organisations": ("iati-organisations", "iati-organisation")}
IDENTIFIER = {"activities": "iati-identifier", "organisations": "organisation-identifier"}


class FileRefused(Exception):
    """The file cannot be read as IATI XML (empty, not XML, a DOCTYPE, over a parser limit);
    ``args[0]`` says why (a said message)."""


UNIT, STRAY, END = "unit", "stray", "end"


class Unit(NamedTuple):
    """One child of the root (an activity or organisation: UNIT, anything else: STRAY), or,
    last, the root itself once the file is read (END)."""

    root: etree._Element
    element: etree._Element
    role: str


def iter_units(path: Path, kind: str) -> Iterator[Unit]:
    """Every child of the root element, complete, in file order, then END; raises FileRefused.

    The caller must finish with a unit before asking for the next: it is cleared then."""
    root_tag, unit_tag = KINDS[kind]
    if path.stat().st_size == 0:
        raise FileRefused(said("the file is empty (0 bytes)"))
    events = etree.iterparse(str(path), events=("start", "end"), resolve_entities=False, no_network=True,
                             huge_tree=False, load_dtd=False, dtd_validation=False, remove_comments=True,
                             remove_pis=True)
    root = None
    depth = 0
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if root is None:
                    root = element
                    _check_root(root, root_tag)
                continue
            depth -= 1
            if depth == 1:
                yield Unit(root, element, UNIT if element.tag == unit_tag else STRAY)
                _forget(root, element)
            elif depth == 0:
                yield Unit(root, root, END)
    except etree.XMLSyntaxError as exc:
        raise FileRefused(said("not well-formed XML: %(error)s", error=str(exc))) from None


def _check_root(root: etree._Element, root_tag: str) -> None:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise FileRefused(said("the file declares a DOCTYPE (a document type with entities): IATI files have "
                               "none, and entities are refused"))
    if root.tag != root_tag:
        raise FileRefused(said("the root element is <%(found)s>, not <%(expected)s>", found=str(root.tag)[:60],
                               expected=root_tag))


def _forget(root: etree._Element, element: etree._Element) -> None:
    """Drop a finished child and everything before it (flat memory)."""
    element.clear(keep_tail=False)
    while element.getprevious() is not None:
        del root[0]


def identifier_of(element: etree._Element, kind: str) -> str | None:
    text = element.findtext(IDENTIFIER[kind])
    return text.strip() or None if text is not None else None


def relative_path(unit: etree._Element, node) -> str:
    """Where ``node`` (an element, or an attribute or text result of an XPath) sits inside
    ``unit``: ``transaction[3]/value``, ``sector[2]/@code``; "" for the unit itself."""
    suffix = ""
    if isinstance(node, etree._ElementUnicodeResult):
        suffix = f"@{_attribute_name(node.attrname)}" if node.is_attribute else "text()"
        node = node.getparent()
    steps = []
    while node is not None and node is not unit:
        steps.append(_step(node))
        node = node.getparent()
    steps.reverse()
    return "/".join(steps + ([suffix] if suffix else []))


def _step(element: etree._Element) -> str:
    tag = element.tag
    before = sum(1 for _ in element.itersiblings(tag, preceding=True))
    if before == 0 and next(element.itersiblings(tag), None) is None:
        return str(tag)
    return f"{tag}[{before + 1}]"


def _attribute_name(name: str) -> str:
    return "xml:lang" if name == "{http://www.w3.org/XML/1998/namespace}lang" else name
