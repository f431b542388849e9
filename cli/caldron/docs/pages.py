"""Write the generated integration pages, or find the committed ones that are
stale, and the hand-written pages the catalogue does not generate."""

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
    stale += [
        path.name
        for path in _markdown_pages(folder)
        if path.name not in pages and _is_generated(path)
    ]
    return sorted(stale)


def find_foreign_pages(pages: dict[str, str], folder: Path) -> list[str]:
    """The Markdown pages in ``folder`` that the catalogue does not generate and
    that do not carry the generated notice: written by hand, so never removed
    by caldron, but out of place among the generated pages."""
    return [
        path.name
        for path in _markdown_pages(folder)
        if path.name not in pages and not _is_generated(path)
    ]


def write_pages(pages: dict[str, str], folder: Path) -> list[str]:
    """Bring ``folder`` in line with ``pages``; return the names that changed.

    Generated pages the catalogue no longer produces are removed; any other
    file in the folder is left alone (``find_foreign_pages`` names them).
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


def _is_generated(path: Path) -> bool:
    return _NOTICE_START in (_read_page(path) or "")


def _markdown_pages(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [path for path in sorted(folder.glob("*.md")) if path.is_file()]
