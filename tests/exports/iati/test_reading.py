"""Reading one unit at a time: earlier units are gone when the next is read (flat memory),
and places inside a unit are written the way findings show them."""
from lxml import etree

from exports.iati.reading import END, UNIT, iter_units, relative_path
from tests.builders.iati import MALAWI_AGRICULTURE, activities_file, activity, transaction


def test_earlier_activities_are_dropped_as_the_file_is_read(tmp_path):
    path = tmp_path / "activities.xml"
    path.write_bytes(activities_file(*(activity(f"{MALAWI_AGRICULTURE}-{n}") for n in range(300))))
    count = 0
    for unit in iter_units(path, "activities"):
        if unit.role == UNIT:
            count += 1
            assert unit.element.findtext("iati-identifier") == f"{MALAWI_AGRICULTURE}-{count - 1}"
            # before the current activity only the previous one is kept, emptied (after it:
            # only what the parser read ahead)
            previous = unit.element.getprevious()
            assert previous is None or (len(previous) == 0 and previous.getprevious() is None)
    assert count == 300 and unit.role == END and len(unit.root) <= 1


def test_places_inside_an_activity():
    unit = etree.fromstring(activity(transactions=transaction() * 3))
    third_value = unit.findall("transaction")[2].find("value")
    assert relative_path(unit, third_value) == "transaction[3]/value"
    assert relative_path(unit, unit.xpath("sector[2]/@code")[0]) == "sector[2]/@code"
    assert relative_path(unit, unit.xpath("recipient-country/@code")[0]) == "recipient-country/@code"
    assert relative_path(unit, unit.xpath("@xml:lang")[0]) == "@xml:lang"
    assert relative_path(unit, unit) == ""
