"""A cache of parsed catalogue files, so commands skip re-parsing YAML.

Parsing the catalogue's YAML is most of the time ``env pull`` spends outside
Vault. Each parsed file is kept as JSON under caldron's cache folder, named
by the SHA-256 of the file's bytes, so an edited file never meets a stale
entry. The cache is best effort: a folder that cannot be written, or an entry
that cannot be read, only means parsing the YAML again.
"""

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

CACHE_FORMAT = "1"


def cache_folder() -> Path:
    """``$CALDRON_HOME/cache``, else ``$XDG_CACHE_HOME/caldron``, else
    ``~/.cache/caldron``."""
    caldron_home = os.environ.get("CALDRON_HOME")
    if caldron_home:
        return Path(caldron_home) / "cache"
    xdg_cache = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg_cache) if xdg_cache else Path.home() / ".cache"
    return base / "caldron"


def load_parsed(text: str, parse: Callable[[str], Any]) -> Any:
    """Return ``parse(text)``, from the cache when this exact text was seen."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{text}".encode()).hexdigest()
    entry = cache_folder() / "catalogue" / f"{digest}.json"
    try:
        return json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass

    document = parse(text)
    _store(entry, document)
    return document


def _store(entry: Path, document: Any) -> None:
    try:
        encoded = json.dumps(document)
        if json.loads(encoded) != document:
            return
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(encoded)
        os.replace(temporary, entry)
    except (OSError, TypeError, ValueError) as error:
        logger.debug("not caching a parsed catalogue file: %s", error)
