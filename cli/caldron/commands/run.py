"""``caldron run``: run a command with an environment's variables, no file."""

import os
import signal
import subprocess
import sys
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
@mount_option
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def run(environment, template_path, mount, command) -> None:
    """Run COMMAND with the rendered variables in its environment.

    Nothing is written to disk. The command's exit code is passed through;
    127 means it could not be started.
    """
    from caldron.rendering import resolve_environment

    _, resolution = resolve_environment(open_store(mount), environment, template_path)
    child_env = dict(os.environ)
    child_env.update(resolution.entries)
    sys.exit(run_child(list(command), child_env))


def run_child(command: list[str], child_env: dict[str, str]) -> int:
    """Start the child, forward SIGINT/SIGTERM to it, return its exit status."""
    try:
        child = subprocess.Popen(command, env=child_env)
    except FileNotFoundError:
        raise CommandNotFoundError(f"command not found: {command[0]}") from None
    except PermissionError:
        raise CommandNotFoundError(f"command is not executable: {command[0]}") from None

    def forward(signum, _frame):
        child.send_signal(signum)

    previous = {
        sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        status = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 - status if status < 0 else status
