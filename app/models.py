"""Imports every model so that Base.metadata is complete (Alembic, tests)."""
import importlib

from app.auth import models as _auth  # noqa: F401
from app.events import models as _events  # noqa: F401
from app.packages import DOMAIN_PACKAGES
from app.rates import models as _rates  # noqa: F401
from app.scheduler import models as _scheduler  # noqa: F401


def load_all_models() -> None:
    for name in DOMAIN_PACKAGES:
        try:
            importlib.import_module(f"{name}.models")
        except ModuleNotFoundError as exc:
            if exc.name != f"{name}.models":
                raise


load_all_models()
