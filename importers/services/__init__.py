"""Import services: parse a file, resolve and write its rows, record every row's result."""
from importers.services.run import import_file  # noqa: F401
