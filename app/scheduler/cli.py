from __future__ import annotations

from flask.cli import AppGroup

scheduler_cli = AppGroup("scheduler", help="The scheduler process and its jobs.")
