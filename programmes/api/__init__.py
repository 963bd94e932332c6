"""/api/v1 endpoints of the programme domain (one blueprint, tagged per resource)."""
from programmes.api import activities, programmes, transactions  # noqa: F401 - registers the routes
from programmes.api.common import blp

__all__ = ["blp"]
