"""Options and helpers that several command groups share."""

import click

from caldron.environments import (
    DEPLOYED_ENVIRONMENTS,
    ENVIRONMENTS,
    check_environment,
)


def _check_environment_option(ctx, param, value):
    if value is None:
        return None
    try:
        return check_environment(value)
    except Exception as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


environment_option = click.option(
    "--env",
    "environment",
    required=True,
    metavar="ENV",
    callback=_check_environment_option,
    help=f"Environment: {', '.join(ENVIRONMENTS)}.",
)

stack_option = click.option(
    "--stack",
    required=True,
    type=click.Choice(DEPLOYED_ENVIRONMENTS),
    help="The Pulumi stack, named after its environment.",
)

mount_option = click.option(
    "--mount",
    default=None,
    metavar="NAME",
    help="KV v2 mount (default: $CALDRON_VAULT_MOUNT, else 'caldron').",
)


def open_store(mount: str | None):
    """Connect to Vault as configured by the environment and return its store."""
    from caldron.vault import open_store as open_vault_store
    from caldron.vault.settings import VaultSettings

    return open_vault_store(VaultSettings.from_environment(mount=mount))


def echo_lines(lines, err: bool = False) -> None:
    for line in lines:
        click.echo(line, err=err)
