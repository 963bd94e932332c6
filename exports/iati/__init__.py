"""IATI 2.03 publication: the activity and organisation files written from the ledger the CRS
uses (``activities``, ``organisation``; the service ``exports.services.iati``), and their
checks. ``validation`` checks a file before it is published (``validate_iati_file``): the
official XSD (``schema``), every code against the loaded code lists (``codes``, the official
IATI code-list files read by ``codelists``) and the IATI standard ruleset (``ruleset``, its
rule types in ``rule_types``), one activity or organisation at a time (``reading``);
``findings`` holds what it reports."""
