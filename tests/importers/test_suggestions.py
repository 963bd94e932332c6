"""'Did you mean': the closest existing codes, best first, case-insensitive, bounded."""
from importers.suggestions import MAX_UNKNOWN, closest_codes, did_you_mean

KNOWN = ["MOZ-CSP4-A01", "MOZ-CSP4-A02", "MWI-CSP3-A01", "ZAF-CSP3-B07"]


def test_a_typo_finds_the_code_and_its_neighbours_best_first():
    found = closest_codes({"moz-csp4-a1"}, KNOWN)
    assert found["moz-csp4-a1"][0] == "MOZ-CSP4-A01" and len(found["moz-csp4-a1"]) <= 3
    assert did_you_mean("X", {"X": ["A"]}) == "; did you mean A?"
    assert did_you_mean("X", {"X": ["A", "B", "C"]}) == "; did you mean A, B or C?"
    assert did_you_mean("Y", {"X": ["A"]}) == ""


def test_nothing_alike_and_huge_files_of_wrong_codes_stay_bounded():
    assert closest_codes({"QQQQQQQQQQQQ"}, KNOWN) == {}
    many = {f"MOZ-CSP4-X{i:05d}" for i in range(MAX_UNKNOWN * 5)}
    assert len(closest_codes(many, KNOWN)) <= MAX_UNKNOWN
