"""Where the official reference files are: ../shared/reference-data beside the repository,
or the directory AIDLEDGER_REFERENCE_DATA names (one definition for every test)."""
import os
from pathlib import Path

import pytest

from app import REPO_ROOT

SHARED = Path(os.environ.get("AIDLEDGER_REFERENCE_DATA") or REPO_ROOT.parent / "shared" / "reference-data")
needs_shared = pytest.mark.skipif(not SHARED.is_dir(),
                                  reason="the official reference files are not beside the repository")
