"""``caldron run``: run a command with an environment's variables, no file."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import click

from caldron.commands._options import environment_option, mount_option, open_store
from caldron.errors import CommandNotFoundError


@click.command(
    "run",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@environment_option
@click.option(
    "--template",
    "template_path",
    type=click.Path(path_type=Path),
    help="Template whose variables to set (default: the application's).",
)
@click.option(
    "--mask",
    is_flag=True,
    help="Replace every secret value in the command's output with ***.",
)
@mount_option
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def run(environment, template_path, mask, mount, command) -> None:
    """Run COMMAND with the rendered variables in its environment.

    Nothing is written to disk. While the command runs, a renewable Vault
    token is renewed before it expires. The command's exit code is passed
    through; 127 means it could not be started.
    """
    from caldron.masking import build_masker, in_github_actions, register_github_masks
    from caldron.rendering import resolve_environment
    from caldron.token_renewal import TokenRenewer

    store = open_store(mount)
    _, resolution = resolve_environment(store, environment, template_path)
    for warning in resolution.warnings:
        click.echo(f"warning: {warning}", err=True)
    child_env = dict(os.environ)
    child_env.update(resolution.entries)

    masker = None
    if mask:
        secrets = resolution.secret_entries
        masker = build_masker(secrets)
        if in_github_actions():
            register_github_masks(secrets.values(), sys.stdout)
    with TokenRenewer(store.client):
        status = run_child(list(command), child_env, masker)
    sys.exit(status)


def run_child(command: list[str], child_env: dict[str, str], masker=None) -> int:
    """Start the child, forward SIGINT/SIGTERM to it, return its exit status.

    With a ``masker``, the child's stdout and stderr pass through it line by
    line on their way to ours.
    """
    pipe = subprocess.PIPE if masker is not None else None
    try:
        child = subprocess.Popen(command, env=child_env, stdout=pipe, stderr=pipe)
    except FileNotFoundError:
        raise CommandNotFoundError(f"command not found: {command[0]}") from None
    except PermissionError:
        raise CommandNotFoundError(f"command is not executable: {command[0]}") from None

    copiers = []
    if masker is not None:
        for source, sink in ((child.stdout, sys.stdout), (child.stderr, sys.stderr)):
            copier = threading.Thread(
                target=masker.mask_stream, args=(source, _binary(sink)), daemon=True
            )
            copier.start()
            copiers.append(copier)

    def forward(signum, _frame):
        child.send_signal(signum)

    handled = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, forward) for sig in handled}
    try:
        status = child.wait()
        for copier in copiers:
            copier.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 - status if status < 0 else status


def _binary(stream):
    stream.flush()
    return getattr(stream, "buffer", stream)
