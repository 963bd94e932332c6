"""The domain packages, in the order their handlers, jobs and blueprints register."""
DOMAIN_PACKAGES = ("programmes", "oda", "importers", "exports", "grants")
