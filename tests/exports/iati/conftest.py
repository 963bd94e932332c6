import pytest

from exports.iati.validation import validate_iati_file
from tests.builders.iati import SCHEMAS, codelist_folder
from tests.builders.oda import load_reference


@pytest.fixture
def codelists(tmp_path):
    """The official IATI code lists (shared folder) with the lists it lacks."""
    return codelist_folder(tmp_path / "codelists")


@pytest.fixture
def validate(session, tmp_path, codelists):
    """``validate(content, kind="activities")``: write the bytes to a file and validate it
    with the official schemas, the curated reference data and the code-list folder."""
    load_reference(session)

    def run(content: bytes, kind: str = "activities", codelist_dir=codelists):
        path = tmp_path / f"{kind}.xml"
        path.write_bytes(content)
        return validate_iati_file(session, path, kind, SCHEMAS, codelist_dir=codelist_dir)

    return run

