import pytest

from tests.builders.oda import load_reference, oda_programmes


@pytest.fixture
def reference(session):
    """The curated reference subset, loaded inside the test's transaction."""
    return load_reference(session)


@pytest.fixture
def programmes(session):
    return oda_programmes(session)
