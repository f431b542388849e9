"""Rendering integration pages and the index from the catalogue."""

import re
from pathlib import Path

import pytest

from caldron.catalogue import CATEGORIES, load_catalogue
from caldron.docs import (
    find_foreign_pages,
    find_stale_pages,
    render_index,
    render_integration_page,
    render_pages,
)

CATALOGUE = load_catalogue()
KEYS = CATALOGUE.key_specs()
REPO_ROOT = Path(__file__).resolve().parents[2]
SECTIONS = [
    "## Overview",
    "## Configuration",
    "## Authentication",
    "## Endpoints and rate limits",
    "## Error handling",
    "## Testing",
    "## Monitoring",
    "## Links",
]


def test_committed_pages_match_the_catalogue():
    pages = render_pages(CATALOGUE)

    folder = REPO_ROOT / "docs" / "integrations"

    assert find_stale_pages(pages, folder) == [], "run `caldron docs` and commit"
    assert find_foreign_pages(pages, folder) == [], "hand-written pages in there"


@pytest.mark.parametrize(
    "integration", CATALOGUE.integrations, ids=lambda item: item.slug
)
def test_page_has_every_section_in_order(integration):
    page = render_integration_page(integration)

    headings = re.findall(r"^## .*$", page, flags=re.MULTILINE)

    assert headings == SECTIONS
    assert page.startswith(f"# {integration.title}\n")
    assert f"`caldron/<env>/{integration.slug}`" in page
    assert integration.docs.rate_limits in page
    for link in integration.docs.links:
        assert f"- [{link.title}]({link.url})" in page


def test_configuration_table_names_secret_required_and_source():
    page = render_integration_page(CATALOGUE.get("ses-smtp"))

    assert (
        "| `SMTP_PASSWORD` | yes | dev, staging, prod | stack output `smtp_password` |"
        in page
    )
    assert "| `MAIL_FROM_ADDRESS` | no | dev, staging, prod | operator |" in page
    assert "- `SMTP_PORT`: SMTP port; 587 and 2587 use STARTTLS" in page


def test_live_and_test_rule_is_documented_for_payment_keys():
    page = render_integration_page(CATALOGUE.get("mollie"))

    assert (
        "A live value (`live_`) is refused outside prod; a test value (`test_`) "
        "is refused in prod." in page
    )


def test_pages_hold_no_example_value_of_a_secret_key():
    pages = render_pages(CATALOGUE)

    for spec in KEYS:
        if spec.secret:
            assert not any(spec.example in page for page in pages.values()), spec.name


def test_index_lists_every_integration_under_its_category():
    index = render_index(CATALOGUE)

    sections = re.split(r"^## ", index, flags=re.MULTILINE)[1:]
    assert [section.splitlines()[0] for section in sections] == list(
        CATEGORIES.values()
    )
    for section, category in zip(sections, CATEGORIES, strict=True):
        listed = re.findall(r"^\| \[.*?\]\((.*?)\.md\)", section, flags=re.MULTILINE)
        assert listed == [item.slug for item in CATALOGUE.in_category(category)]


def test_rendering_is_deterministic():
    first = render_pages(load_catalogue())
    second = render_pages(load_catalogue())

    assert first == second
    assert sorted(first) == sorted(
        ["README.md", *(f"{item.slug}.md" for item in CATALOGUE.integrations)]
    )
