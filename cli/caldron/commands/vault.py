"""``caldron vault``: the Vault caldron talks to, and the local OpenBao."""

import click

from caldron.commands.bootstrap import bootstrap
from caldron.vault.settings import configured_mount


@click.group()
def vault() -> None:
    """Work with the Vault that holds the integration secrets."""


@vault.group(name="local")
def local_group() -> None:
    """Run a real OpenBao on this machine (used while VAULT_ADDR is unset)."""


@local_group.command()
def start() -> None:
    """Start the local OpenBao, initialised, unsealed and with its KV v2 mount.

    The first start initialises it; later starts unseal it with the key kept
    in its 0700 state folder. Starting a running server changes nothing.
    """
    mount = configured_mount()
    from caldron.vault import local

    status, started = local.start_local_server(mount)
    verb = "Started" if started else "Already running:"
    click.echo(f"{verb} the local OpenBao at {status.address} (pid {status.pid}).")
    click.echo(f"KV v2 mount '{mount}' is ready; state folder: {status.folder}")
    click.echo("caldron commands use it while VAULT_ADDR is unset.")


@local_group.command()
def stop() -> None:
    """Stop the local OpenBao; its data stays for the next start."""
    from caldron.vault import local

    pid = local.stop_local_server()
    if pid is None:
        click.echo("The local OpenBao is not running.")
    else:
        click.echo(f"Stopped the local OpenBao (pid {pid}); its data is kept.")


@local_group.command()
def status() -> None:
    """Show whether the local OpenBao runs, where, and whether it is sealed."""
    from caldron.vault import local

    report = local.read_local_status()
    click.echo(f"state:   {describe_state(report)}")
    click.echo(f"address: {report.address}")
    click.echo(f"pid:     {report.pid if report.running else '-'}")
    click.echo(f"folder:  {report.folder}")


def describe_state(report) -> str:
    """Return the one-word state of the server, with its seal when it runs."""
    if not report.running:
        return "stopped"
    if report.initialised is False:
        return "running, not initialised"
    if report.sealed is None:
        return "running, not answering"
    return "running, sealed" if report.sealed else "running, unsealed"


vault.add_command(bootstrap)
