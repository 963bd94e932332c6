"""IATI 2.03 publication: the activity and organisation files and their checks.

``validation`` checks a written file before it is published (``validate_iati_file``): the
official XSD (``schema``), every code against the loaded code lists (``codes``, with the
official IATI code-list files read by ``codelists``) and the IATI standard ruleset
(``ruleset``, rule types in ``rule_types``), streaming one activity or organisation at a
time (``reading``).
"""
