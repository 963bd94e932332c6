"""What the programme pages show from other packages, asked through hooks (app.hooks).

A package that knows the answer (the oda package: classifications, code names, reviews)
registers it in its ``init_app``; programmes never imports that package. Unanswered, a
hook gives its default: no classification, codes shown as bare codes, no review alerts.
"""
from __future__ import annotations

from app.hooks import Hook

#: (session, activity_id, transaction_ids) → the results of those transactions and the
#: evaluations of the activity (``.results`` by transaction id, ``.evaluations``), or None
activity_classification = Hook("activity classification")

#: (session, list_name, code, year) → an object with ``name`` (or None) and ``status``
#: ("valid", "withdrawn" or "unknown") of a CRS code in that year; None when nobody knows
code_check = Hook("CRS code check")

#: (session, year, programme_ids) → {programme id: lines of ``year`` waiting for review}
open_reviews = Hook("open classification reviews", default={})

#: (session, list_name, years) → the codes a form may offer (``name``, ``code``, withdrawn or
#: not; a NamedTuple with ``_replace``), or none while nobody answers
code_choices = Hook("CRS code choices", default=[])
