"""What a scan reports: where a secret is and what kind it is, never what."""

import json
import re
from dataclasses import dataclass

# Characters that would break the one-line report format or make it
# ambiguous: control characters (C0, DEL, C1), Unicode line and paragraph
# separators, lone surrogates from undecodable names, the ':' that ends the
# place, and the quote and backslash that quoting itself uses.
_NEEDS_QUOTING = re.compile(r'[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff:"\\]')


def quote_path(path: str) -> str:
    """Return ``path`` as a report shows it: as it is when it is plain, else as
    a double-quoted string with JSON escapes (``"we:ird\\nname.py"``)."""
    if _NEEDS_QUOTING.search(path) is None:
        return path
    return json.dumps(path)


@dataclass(frozen=True, order=True)
class Finding:
    """A secret found at ``path`` (and ``line``, when it has one).

    ``commit`` names the commit for findings in the history. ``kind`` says
    what was recognised, e.g. ``Private Key`` or ``known dev value
    (stripe: STRIPE_SECRET_KEY)``.
    """

    path: str
    line: int | None
    kind: str
    commit: str | None = None

    def describe(self) -> str:
        """Return the report line: ``[commit ]path[:line]: kind``, the path
        quoted when it holds a ':' or a character that would break the line."""
        place = quote_path(self.path)
        if self.line is not None:
            place = f"{place}:{self.line}"
        if self.commit:
            place = f"{self.commit[:12]} {place}"
        return f"{place}: {self.kind}"
