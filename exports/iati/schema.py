"""The official IATI 2.03 XSD, parsed once per process, and its errors as plain facts.

Each activity (organisation) is validated on its own against the global element the
schema declares for it, so a 50,000-activity file is never held whole; the root's
own attributes are checked once on a copy holding the first unit only.
"""
from __future__ import annotations

import copy
import threading
from pathlib import Path
from typing import NamedTuple

from lxml import etree

SCHEMA_FILES = {"activities": "iati-activities-schema.xsd", "organisations": "iati-organisations-schema.xsd"}
#: every file the two schemas include or import, for the message naming what is missing
REQUIRED_FILES = ("iati-activities-schema.xsd", "iati-organisations-schema.xsd", "iati-common.xsd", "xml.xsd",
                  "ruleset-standard.json")

#: schema file path → (its modification time, the parsed schema)
_cache: dict[str, tuple[float, etree.XMLSchema]] = {}
_lock = threading.Lock()


class SchemaError(NamedTuple):
    message: str
    #: libxml2's path of the element at fault, from the validated element down
    path: str


def load_schema(schema_dir: Path, kind: str) -> etree.XMLSchema:
    """The XSD of ``kind``, cached by file path and modification time.

    The schema files are our own configured files; the parser still fetches nothing
    from the network (xml.xsd is imported from the same folder)."""
    path = (schema_dir / SCHEMA_FILES[kind]).resolve()
    mtime = path.stat().st_mtime
    with _lock:
        cached = _cache.get(str(path))
        if cached is None or cached[0] != mtime:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            cached = _cache[str(path)] = (mtime, etree.XMLSchema(etree.parse(str(path), parser)))
    return cached[1]


def unit_errors(schema: etree.XMLSchema, unit: etree._Element) -> list[SchemaError]:
    """The schema's complaints about one activity (organisation), validated on its own."""
    if schema.validate(unit):
        return []
    return [SchemaError(e.message, _below(e.path, unit.tag)) for e in schema.error_log]


def root_errors(schema: etree.XMLSchema, root: etree._Element, first_unit: etree._Element | None
                ) -> list[SchemaError]:
    """The complaints about the root element itself (its attributes, a missing unit),
    checked on a copy holding at most the first unit: the units are checked one by one."""
    skeleton = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)
    if first_unit is not None:
        skeleton.append(copy.deepcopy(first_unit))
    if schema.validate(skeleton):
        return []
    own = f"/{root.tag}"
    return [SchemaError(e.message, "") for e in schema.error_log if e.path == own]


def _below(path: str | None, unit_tag: str) -> str:
    """``/iati-activity/transaction[3]/value`` → ``transaction[3]/value``."""
    path = path or ""
    prefix = f"/{unit_tag}"
    if path.startswith(prefix):
        path = path[len(prefix):]
    return path.lstrip("/")
