"""Files that are not IATI XML, or are built to hurt the reader, give one clear "file"
finding and no exception; nothing is read from outside the file."""
import pytest

from tests.builders.iati import activities_file, activity, only
from tests.builders.reference import needs_shared

pytestmark = needs_shared

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol9;</iati-identifier></iati-activity>
</iati-activities>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&passwd;</iati-identifier></iati-activity>
</iati-activities>"""


def refused(report) -> str:
    failed = only(report, "file")
    assert failed.severity == "error" and failed.identifier is None and not report.ok
    return failed.message


@pytest.mark.parametrize("content", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe-etc-passwd"])
def test_entities_are_refused_before_anything_is_expanded(validate, content):
    report = validate(content)
    assert "declares a DOCTYPE" in refused(report)
    assert report.checked == 0
    assert "root:" not in repr(report)  # nothing of /etc/passwd anywhere


def test_a_plain_doctype_is_refused(validate):
    content = activities_file(activity()).replace(b"\n<iati-activities", b"\n<!DOCTYPE iati-activities>\n"
                                                                          b"<iati-activities", 1)
    assert "DOCTYPE" in refused(validate(content))


def test_an_undeclared_entity_is_not_well_formed(validate):
    content = activities_file(activity()).replace(b"Vlaamse overheid</narrative></provider-org>",
                                                  b"&x;</narrative></provider-org>", 1)
    assert refused(validate(content)).startswith("the file was refused: not well-formed XML")


def test_a_spreadsheet_is_not_xml(validate):
    assert "not well-formed XML" in refused(validate(b"PK\x03\x04\x14\x00\x06\x00 Uitgaven 2024.xlsx"))


def test_an_empty_file(validate):
    assert refused(validate(b"")) == "the file was refused: the file is empty (0 bytes)"


def test_a_truncated_file_keeps_what_was_checked(validate):
    whole = activities_file(activity(), activity("XM-DAC-2-70-MWI-CSP3-HLT"))
    report = validate(whole[: len(whole) - 300])
    assert "not well-formed XML" in refused(report)
    assert report.checked == 1


def test_the_wrong_kind_of_file(validate):
    assert "root element is <iati-activities>, not <iati-organisations>" in refused(
        validate(activities_file(activity()), "organisations"))


def test_a_huge_text_node_is_refused(validate):
    """libxml2's limit without huge_tree: one text node of 10 MB."""
    huge = activity(title=f"<title><narrative>{'Landbouw ' * 1_300_000}</narrative></title>")
    assert "not well-formed XML" in refused(validate(activities_file(huge)))


def test_deep_nesting_is_refused(validate):
    deep = activity(after_transactions="<conditions attached='1'>" + "<x>" * 100_000 + "</x>" * 100_000
                    + "</conditions>")
    assert "not well-formed XML" in refused(validate(activities_file(deep)))
