"""The ledger of everything that happened: an append-only event store."""
from app.events.bus import handlers, publish, publish_many, subscribe  # noqa: F401
