"""Integration docs generated from the catalogue (``caldron docs``)."""

from caldron.docs.pages import find_foreign_pages, find_stale_pages, write_pages
from caldron.docs.render import render_index, render_integration_page, render_pages

__all__ = [
    "find_foreign_pages",
    "find_stale_pages",
    "render_index",
    "render_integration_page",
    "render_pages",
    "write_pages",
]
