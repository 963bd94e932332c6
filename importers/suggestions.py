"""'Did you mean …?' for a code the file names but the database does not hold."""
from __future__ import annotations

from difflib import get_close_matches

from app.messages import Said, said

#: at most this many suggestions per unknown code
MAX_SUGGESTIONS = 3
#: how alike (0–1, difflib's ratio) a code must be to be suggested
CUTOFF = 0.6
#: unknown codes looked at per file: a file of nothing but wrong codes does not compare each with every code
MAX_UNKNOWN = 200


def closest_codes(unknown: set[str], known: list[str]) -> dict[str, list[str]]:
    """The existing codes closest to each unknown one (case-insensitive), best first."""
    by_upper: dict[str, str] = {code.upper(): code for code in known}
    suggestions = {}
    for code in sorted(unknown)[:MAX_UNKNOWN]:
        matches = get_close_matches(code.upper(), list(by_upper), n=MAX_SUGGESTIONS, cutoff=CUTOFF)
        if matches:
            suggestions[code] = [by_upper[m] for m in matches]
    return suggestions


def did_you_mean(code: str, suggestions: dict[str, list[str]]) -> Said | str:
    """"; did you mean A or B?" for the row's reason (said in the reader's language), or nothing."""
    found = suggestions.get(code)
    if not found:
        return ""
    listed = found[0] if len(found) == 1 else said("%(some)s or %(last)s", some=", ".join(found[:-1]),
                                                   last=found[-1])
    return said("; did you mean %(codes)s?", codes=listed)
