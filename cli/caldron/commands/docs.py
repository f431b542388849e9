"""``caldron docs``: generate the integration pages from the catalogue."""

from pathlib import Path

import click

from caldron.errors import CheckFailedError, InvalidInputError


@click.command()
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the pages [default: docs/integrations beside secrets/].",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 10 when the pages differ from the catalogue.",
)
def docs(output: Path | None, check: bool) -> None:
    """Generate the integration pages from the catalogue.

    Writes one Markdown page per integration and an index by category
    (README.md), changing only the pages that differ, and removes generated
    pages the catalogue no longer produces. A page in the folder that the
    catalogue does not generate and that was written by hand is left in
    place and named. With --check nothing is written: the command names the
    stale and the hand-written pages and exits 10.
    """
    from caldron.catalogue import load_catalogue
    from caldron.docs import (
        find_foreign_pages,
        find_stale_pages,
        render_pages,
        write_pages,
    )
    from caldron.project import find_secrets_dir

    secrets_dir = find_secrets_dir()
    folder = output or secrets_dir.parent / "docs" / "integrations"
    pages = render_pages(load_catalogue(secrets_dir))

    if check:
        stale = find_stale_pages(pages, folder)
        foreign = find_foreign_pages(pages, folder)
        if stale or foreign:
            raise CheckFailedError(
                f"{folder}: {_describe_problems(stale, foreign)}",
                hint=_CHECK_HINTS[(bool(stale), bool(foreign))],
            )
        click.echo(f"{folder}: {len(pages)} pages up to date")
        return

    try:
        changed = write_pages(pages, folder)
    except OSError as error:
        raise InvalidInputError(
            f"cannot write the pages to {folder} ({error.strerror})",
            hint="choose a writable folder with --output",
        ) from None
    click.echo(f"{folder}: {len(pages)} pages, {len(changed)} changed")
    for name in changed:
        click.echo(f"  {name}")
    foreign = find_foreign_pages(pages, folder)
    if foreign:
        click.echo(
            f"note: {folder}: {_describe_problems([], foreign)}, left in place "
            f"({_FOREIGN_HINT})",
            err=True,
        )


_STALE_HINT = "run `caldron docs` and commit the result"
_FOREIGN_HINT = (
    "move hand-written pages out of the folder, or add their integration to "
    "the catalogue"
)
_CHECK_HINTS = {
    (True, False): _STALE_HINT,
    (False, True): _FOREIGN_HINT,
    (True, True): f"{_STALE_HINT}; {_FOREIGN_HINT}",
}


def _describe_problems(stale: list[str], foreign: list[str]) -> str:
    parts = []
    if stale:
        parts.append(f"{len(stale)} stale page(s): {', '.join(stale)}")
    if foreign:
        parts.append(
            f"{len(foreign)} page(s) the catalogue does not generate: "
            f"{', '.join(foreign)}"
        )
    return "; ".join(parts)
