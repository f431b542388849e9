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
    (README.md), changing only the pages that differ. With --check nothing is
    written: the command names the stale pages and exits 10.
    """
    from caldron.catalogue import load_catalogue
    from caldron.docs import find_stale_pages, render_pages, write_pages
    from caldron.project import find_secrets_dir

    secrets_dir = find_secrets_dir()
    folder = output or secrets_dir.parent / "docs" / "integrations"
    pages = render_pages(load_catalogue(secrets_dir))

    if check:
        stale = find_stale_pages(pages, folder)
        if stale:
            raise CheckFailedError(
                f"{folder}: {len(stale)} stale page(s): {', '.join(stale)}",
                hint="run `caldron docs` and commit the result",
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
