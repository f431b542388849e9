"""Known secret values, held only as keyed hashes, looked for in text.

``KnownValues`` keeps, for every value it was given, a keyed BLAKE2b hash of
each line of the value (and of the value with escaped newlines) with the
label to report (environment, integration and key; never the value), plus a
hash of each piece's first ``MINIMUM_LENGTH`` characters as an anchor. To
look at a line it hashes the window of that width at each position; only
where an anchor matches does it hash the longer candidates. The key is
random per process, so the hashes are useless outside it.
"""

import hashlib
import secrets as random_source
from collections import defaultdict
from collections.abc import Iterator

from caldron.scan.findings import Finding
from caldron.scan.sources import Document

MINIMUM_LENGTH = 8
_ARMOUR_PREFIXES = ("-----BEGIN ", "-----END ")


class KnownValues:
    """A set of secret values reduced to hashes, with a label for each."""

    def __init__(self) -> None:
        self._keyed = hashlib.blake2b(key=random_source.token_bytes(32), digest_size=16)
        self._labels: dict[bytes, str] = {}
        self._anchors: dict[bytes, set[int]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self._labels)

    def add(self, value: str, label: str) -> None:
        """Remember the hashes of ``value``'s pieces under ``label``."""
        for piece in _searchable_pieces(value):
            self._labels.setdefault(self._digest(piece), label)
            self._anchors[self._digest(piece[:MINIMUM_LENGTH])].add(len(piece))

    def find_in(self, document: Document) -> Iterator[Finding]:
        """Yield one finding per line of ``document`` holding a known value."""
        for number, line in document.lines:
            label = self._label_in_line(line)
            if label is not None:
                yield Finding(document.name, number, label, document.commit)

    def _label_in_line(self, line: str) -> str | None:
        for start in range(len(line) - MINIMUM_LENGTH + 1):
            anchor = self._digest(line[start : start + MINIMUM_LENGTH])
            for length in sorted(self._anchors.get(anchor, ()), reverse=True):
                label = self._labels.get(self._digest(line[start : start + length]))
                if label is not None:
                    return label
        return None

    def _digest(self, text: str) -> bytes:
        digest = self._keyed.copy()
        digest.update(text.encode("utf-8", errors="surrogatepass"))
        return digest.digest()


def _searchable_pieces(value: str) -> set[str]:
    lines = [line.strip() for line in value.splitlines()]
    pieces = {
        line
        for line in lines
        if len(line) >= MINIMUM_LENGTH and not line.startswith(_ARMOUR_PREFIXES)
    }
    if len(lines) > 1:
        pieces.add(value.strip("\n").replace("\n", "\\n"))
    return pieces
