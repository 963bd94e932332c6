"""Workbooks written part by part, XML as any writer may put it: what openpyxl and xlsxwriter
never write (rows or cells without a reference, inline strings, rich text with phonetic runs,
error cells, ISO dates, another namespace) and what hostile files hold.

Every file is generated in the test's temporary folder: nothing binary is checked in.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCTYPE = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
           '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
#: the row attributes LibreOffice writes
LIBREOFFICE_ROW = ('customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" '
                   'collapsed="false"')


def raw_workbook(path: Path, sheet_data: str, *, shared_strings: str | None = None, styles: str | None = None,
                 date1904: bool = False, dimension: str | None = None, namespace: str = MAIN, prefix: str = "",
                 doctype_in: str | None = None) -> Path:
    """An xlsx whose first sheet's ``<sheetData>`` is ``sheet_data`` (written with ``prefix``,
    e.g. ``x:``, for every element), with the shared strings (``<si>`` elements), styles
    (``numFmts``/``cellXfs``) and date system given. ``doctype_in``: "sheet" or
    "sharedStrings" puts a billion-laughs DTD there."""
    declaration = f'xmlns{":" + prefix[:-1] if prefix else ""}="{namespace}"'
    p = prefix

    def part(name: str, body: str) -> str:
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        return head + (DOCTYPE if doctype_in == name else "") + body

    workbook_properties = f'<{p}workbookPr date1904="1"/>' if date1904 else ""
    dimension_element = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sheet.main+xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship '
            f'Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship '
            f'Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/workbook.xml": part("workbook", (
            f'<{p}workbook {declaration} xmlns:r="{RELATIONSHIPS}">{workbook_properties}<{p}sheets><{p}sheet '
            f'name="Boekingen" sheetId="1" r:id="rId1"/></{p}sheets></{p}workbook>')),
        "xl/worksheets/sheet1.xml": part("sheet", (
            f'<{p}worksheet {declaration}>{dimension_element}<{p}sheetData>{sheet_data}</{p}sheetData>'
            f'</{p}worksheet>')),
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = part("sharedStrings", f'<{p}sst {declaration}>{shared_strings}</{p}sst>')
    if styles is not None:
        parts["xl/styles.xml"] = part("styles", f'<{p}styleSheet {declaration}>{styles}</{p}styleSheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return path


def number_styles(formats: list[str], builtin_ids: tuple[int, ...] = ()) -> str:
    """Styles with one cell style per custom format (ids 164, 165 …, styles 0, 1 …), then one
    per built-in format id."""
    from xml.sax.saxutils import quoteattr

    custom = "".join(f'<numFmt numFmtId="{164 + i}" formatCode={quoteattr(code)}/>' for i, code in enumerate(formats))
    xfs = [f'<xf numFmtId="{164 + i}"/>' for i in range(len(formats))] + [f'<xf numFmtId="{i}"/>' for i in builtin_ids]
    return f'<numFmts count="{len(formats)}">{custom}</numFmts><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
