"""Generic secrets, found by detect-secrets' plugins, minus accepted ones.

The plugins run with detect-secrets' default settings over the numbered
lines of each document, through the line-based routine its own file and
diff scans use (a private function: detect-secrets is pinned to 1.5.0). A
baseline file in detect-secrets' format lists accepted findings by file,
type and secret hash.
"""

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

from caldron.errors import InvalidInputError
from caldron.scan.findings import Finding
from caldron.scan.sources import Document

logger = logging.getLogger(__name__)

Acceptance = frozenset[tuple[str, str, str]]


def load_baseline(path: Path) -> Acceptance:
    """Read a detect-secrets baseline: the (file, type, hash) it accepts."""
    try:
        baseline = json.loads(path.read_text(encoding="utf-8"))
        return frozenset(
            (filename, entry["type"], entry["hashed_secret"])
            for filename, entries in baseline["results"].items()
            for entry in entries
        )
    except FileNotFoundError:
        raise InvalidInputError(
            f"baseline file {path} does not exist",
            hint="create it with `detect-secrets scan > .secrets.baseline`",
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InvalidInputError(
            f"baseline file {path} is not a detect-secrets baseline",
            hint="it needs a results object of file to findings",
        ) from None


class GenericDetector:
    """detect-secrets' plugins with its default settings, used in a ``with``.

    A whole file is looked at the way ``detect-secrets scan`` looks at it:
    first as its format's transformer presents it (YAML, for one), then, if
    nothing was found, through the eager transformers (INI-like files). Its
    name is not used to skip it, so a misleading name hides nothing. Added
    lines from a diff are looked at as they are.
    """

    def __init__(self, accepted: Acceptance = frozenset()) -> None:
        self.accepted = accepted
        self._settings = None

    def __enter__(self) -> "GenericDetector":
        from detect_secrets.settings import default_settings

        self._settings = default_settings()
        self._settings.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        self._settings.__exit__(*exc_info)

    def find_in(self, document: Document) -> Iterator[Finding]:
        """Yield the generic secrets in ``document`` that the baseline does not
        accept, one finding per line and kind."""
        from detect_secrets.core.scan import _process_line_based_plugins

        reported = set()
        for lines in _line_views(document):
            candidates = list(_process_line_based_plugins(lines, document.name))
            if candidates:
                break
        for candidate in candidates:
            key = (document.name, candidate.type, candidate.secret_hash)
            finding = Finding(
                document.name, candidate.line_number, candidate.type, document.commit
            )
            if key in self.accepted:
                logger.debug("caldron scan: baseline accepts %s", finding.describe())
            elif finding not in reported:
                reported.add(finding)
                yield finding


class _NamedText(io.StringIO):
    """Text with a file name, as detect-secrets' transformers expect."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.name = name


def _line_views(document: Document) -> Iterator[list[tuple[int, str]]]:
    if not document.whole_file:
        yield list(document.lines)
        return

    from detect_secrets.transformers import get_transformed_file

    text = "".join(f"{line}\n" for _, line in document.lines)
    transformed = get_transformed_file(_NamedText(text, document.name))
    yield list(enumerate(transformed, start=1)) if transformed else list(document.lines)
    eager = get_transformed_file(
        _NamedText(text, document.name), use_eager_transformers=True
    )
    if eager:
        yield list(enumerate(eager, start=1))
