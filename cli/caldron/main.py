"""The ``caldron`` command: a root group whose sub-commands load on demand.

Each command group lives in its own module under ``caldron.commands`` and is
imported only when it is called (or when ``--help`` lists it), so start-up
never pays for pulumi or boto3.
"""

import importlib
import importlib.util
import logging
import traceback

import click

from caldron import __version__
from caldron.errors import CaldronError

COMMANDS = {
    "vault": "caldron.commands.vault:vault",
    "secrets": "caldron.commands.secrets:secrets_group",
    "env": "caldron.commands.env:env_group",
    "run": "caldron.commands.run:run",
    "login": "caldron.commands.login:login",
    "whoami": "caldron.commands.login:whoami",
    "scan": "caldron.commands.scan:scan",
    "infra": "caldron.commands.infra:infra",
    "verify": "caldron.commands.verify:verify",
    "docs": "caldron.commands.docs:docs",
}

OPTIONAL_PACKAGES = {
    "pulumi": "infra",
    "pulumi_aws": "infra",
    "pulumi_policy": "infra",
    "boto3": "aws",
    "botocore": "aws",
    "detect_secrets": "scan",
}


class LazyGroup(click.Group):
    """A group that imports a sub-command's module only when it is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._is_available(name))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                return None
            raise
        return getattr(module, attribute)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CaldronError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except ModuleNotFoundError as error:
            extra = OPTIONAL_PACKAGES.get((error.name or "").split(".")[0])
            if extra is None:
                raise
            click.echo(
                f"Error: this command needs the optional package {error.name}; "
                f"install caldron with its '{extra}' extra "
                f"(in a checkout: .venv/bin/pip install -e '.[{extra}]')",
                err=True,
            )
            ctx.exit(2)
        except (click.exceptions.ClickException, click.exceptions.Exit):
            raise
        except click.exceptions.Abort:
            raise
        except Exception as error:
            if logging.getLogger().isEnabledFor(logging.DEBUG):
                traceback.print_exc()
            click.echo(
                f"Error: unexpected failure ({type(error).__name__}); "
                "rerun with --debug for a traceback",
                err=True,
            )
            ctx.exit(1)

    @staticmethod
    def _is_available(name: str) -> bool:
        module_name = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(module_name) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="caldron")
@click.option(
    "--debug",
    is_flag=True,
    help="Log what caldron does to stderr (never a secret value).",
)
def cli(debug: bool) -> None:
    """Provision CaldronFlex infrastructure and keep its secrets in Vault."""
    if debug:
        logging.basicConfig(
            level=logging.DEBUG,
            format="caldron: %(levelname)s %(name)s: %(message)s",
        )
        for noisy in ("urllib3", "botocore", "boto3", "s3transfer"):
            # At DEBUG these log request headers and bodies, tokens included.
            logging.getLogger(noisy).setLevel(logging.INFO)


def main() -> None:
    """Entry point of the ``caldron`` console script."""
    cli(prog_name="caldron")
