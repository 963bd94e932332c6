"""Scheduled jobs: a registry, a lease-guarded APScheduler process, and recorded runs."""
