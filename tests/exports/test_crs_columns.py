"""One CRS column specification: the header, the cell type and the value's name are one
entry, so a value cannot drift under another column's header."""
from exports.crs import queries
from exports.crs.columns import (
    CRS_COLUMNS,
    CRS_HEADERS,
    FLAG_COLUMNS,
    LOAN_HEADERS,
    MARKER_COLUMNS,
    TIED_COLUMNS,
    CrsRow,
)
from exports.crs.rows import tied_cells
from exports.xlsx import ALL_KINDS


def test_a_row_is_named_by_the_specification():
    assert CrsRow._fields == CRS_HEADERS == tuple(c.header for c in CRS_COLUMNS)
    assert len(set(CRS_HEADERS)) == len(CRS_HEADERS) and all(c.kind in ALL_KINDS for c in CRS_COLUMNS)
    for header, _field in MARKER_COLUMNS + FLAG_COLUMNS:
        assert header in CRS_HEADERS
    assert set(LOAN_HEADERS) | {h for h, _ in TIED_COLUMNS} <= set(CRS_HEADERS)


def test_the_query_selects_markers_and_flags_in_the_order_of_their_columns():
    selected = list(queries._activity_select(queries.YearScan(queries.in_year(2000), queries.T.c.activity_id, 2000))
                    .selected_columns.keys())
    assert tuple(selected[queries.MARKERS]) == tuple(field for _, field in MARKER_COLUMNS)
    assert tuple(selected[queries.FLAGS]) == tuple(field for _, field in FLAG_COLUMNS)


def test_the_commitment_sits_in_the_column_of_its_tied_status():
    assert tied_cells(150000, "4") == {"Untied_National": None, "PartiallyUntied_National": None,
                                       "Tied_National": 1500.0}
    assert set(tied_cells(0, "5").values()) == {None}
