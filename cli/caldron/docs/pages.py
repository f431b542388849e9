"""Write the generated integration pages, or find the committed ones that are stale."""

import logging
from pathlib import Path

from caldron.docs.render import GENERATED_NOTICE

logger = logging.getLogger(__name__)

_NOTICE_START = GENERATED_NOTICE.split("{", 1)[0]


def find_stale_pages(pages: dict[str, str], folder: Path) -> list[str]:
    """The file names in ``folder`` that differ from ``pages``.

    A page is stale when it is missing, when its bytes differ, or when it is a
    generated page that the catalogue no longer produces.
    """
    stale = [name for name, text in pages.items() if _read_page(folder / name) != text]
    stale += [path.name for path in _generated_pages(folder) if path.name not in pages]
    return sorted(stale)


def write_pages(pages: dict[str, str], folder: Path) -> list[str]:
    """Bring ``folder`` in line with ``pages``; return the names that changed.

    Generated pages the catalogue no longer produces are removed; any other
    file in the folder is left alone.
    """
    changed = find_stale_pages(pages, folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in changed:
        path = folder / name
        if name in pages:
            path.write_text(pages[name], encoding="utf-8")
            logger.debug("wrote %s", path)
        else:
            path.unlink()
            logger.debug("removed %s", path)
    return changed


def _read_page(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _generated_pages(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [
        path
        for path in sorted(folder.glob("*.md"))
        if _NOTICE_START in (_read_page(path) or "")
    ]
