"""marshmallow schemas of the grants package: API input/output and HTML form parsing."""
