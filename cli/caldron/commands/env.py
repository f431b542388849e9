"""``caldron env``: render an application's environment file from Vault."""

import os
from pathlib import Path

import click

from caldron.commands._options import environment_option, mount_option, open_store
from caldron.consumers import CONSUMERS

DEFAULT_OUTPUT = ".env"


@click.group("env")
def env_group() -> None:
    """Render environment files from the templates and Vault."""


@env_group.command("pull")
@environment_option
@click.option(
    "--template",
    "template_path",
    type=click.Path(path_type=Path),
    help="Template to render (default: secrets/templates/app.env.example).",
)
@click.option(
    "--output",
    default=DEFAULT_OUTPUT,
    show_default=True,
    metavar="PATH|-",
    help="File to write ('-' for standard output).",
)
@click.option(
    "--for",
    "consumer",
    type=click.Choice(CONSUMERS),
    help="Parser the file is for (default: what the template declares).",
)
@mount_option
def pull(environment, template_path, output, consumer, mount) -> None:
    """Render the template with values from Vault into a 0600 file.

    The file is written atomically, and refused where git tracks the path or
    would not ignore it. A missing required value fails, names the keys, and
    leaves any existing file untouched.
    """
    from caldron.rendering import render_environment

    rendered = render_environment(
        open_store(mount), environment, template_path, consumer
    )
    for warning in rendered.resolution.warnings:
        click.echo(f"warning: {warning}", err=True)
    _warn_about(rendered.resolution.entries)

    if output == "-":
        click.echo(rendered.text, nl=False)
        return
    rendered.write(Path(output))
    click.echo(
        f"Wrote {output} for {rendered.consumer}: "
        f"{len(rendered.resolution.entries)} variables from "
        f"{len(rendered.resolution.sources)} Vault secrets in {environment}.",
        err=True,
    )


def _warn_about(entries) -> None:
    from caldron.render import find_shadowed_keys, keys_with_outer_blanks

    for key in keys_with_outer_blanks(entries):
        click.echo(
            f"warning: {key} has leading or trailing whitespace (kept as is)",
            err=True,
        )
    for key in find_shadowed_keys(dict(entries), os.environ):
        click.echo(
            f"warning: {key} is already set in this shell to a different value; "
            "a loader that does not override will keep that one",
            err=True,
        )
