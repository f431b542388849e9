"""``caldron login`` and ``caldron whoami``: get a Vault token, describe it."""

import os
import sys
from pathlib import Path

import click

from caldron.auth import METHODS
from caldron.errors import InvalidInputError, UsageError

JWT_VARIABLE = "CALDRON_JWT"


@click.command("login")
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="token",
    show_default=True,
    help="How to log in.",
)
@click.option(
    "--no-store", is_flag=True, help="Check the login but do not store the token."
)
@click.option(
    "--path",
    "auth_path",
    metavar="MOUNT",
    help="Where the auth method is mounted (default: its name).",
)
@click.option(
    "--username",
    envvar="CALDRON_VAULT_USERNAME",
    help="userpass: the user (prompted when missing).",
)
@click.option(
    "--role-id-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="approle: file holding the role id (default: $VAULT_ROLE_ID).",
)
@click.option(
    "--secret-id-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="approle: file holding the secret id (default: $VAULT_SECRET_ID).",
)
@click.option(
    "--jwt-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=f"jwt: file holding the identity token (default: ${JWT_VARIABLE}).",
)
@click.option(
    "--jwt-variable",
    default=JWT_VARIABLE,
    show_default=True,
    metavar="NAME",
    help="jwt: environment variable holding the identity token.",
)
@click.option(
    "--env",
    "environment",
    metavar="ENV",
    help="jwt: the environment to log in to (role caldron-ENV).",
)
@click.option("--role", metavar="ROLE", help="jwt: the role, instead of --env.")
@click.option(
    "--jwt-environment-claim",
    "environment_claim",
    envvar="CALDRON_JWT_ENVIRONMENT_CLAIM",
    default="environment",
    show_default=True,
    metavar="CLAIM",
    help="jwt: the claim naming the environment, checked against --env.",
)
def login(
    method,
    no_store,
    auth_path,
    username,
    role_id_file,
    secret_id_file,
    jwt_file,
    jwt_variable,
    environment,
    role,
    environment_claim,
) -> None:
    """Log in to Vault and store the token in ~/.vault-token (mode 0600).

    \b
    token     a token from the prompt or standard input (default)
    userpass  a user and password (prompted, or the password on stdin)
    approle   VAULT_ROLE_ID and VAULT_SECRET_ID, or --role-id-file and
              --secret-id-file (for CI)
    jwt       a CI provider's identity token from --jwt-file or $CALDRON_JWT,
              exchanged for a token of one environment's role

    The token is stored before anything is reported; a token file that
    cannot be written fails the login (exit 3) and names the file.
    """
    from dataclasses import replace

    from caldron.auth import methods
    from caldron.auth.token_store import check_token_file_writable, store_token
    from caldron.vault.connection import open_client
    from caldron.vault.settings import VaultSettings

    if not no_store:
        check_token_file_writable()
    settings = replace(VaultSettings.from_environment(), token=None)
    client = open_client(settings, require_token=False)
    mount = auth_path or method

    if method == "token":
        result = methods.login_with_token(client, _read_secret_input("Token"))
    elif method == "userpass":
        name = username or click.prompt("Username")
        password = _read_secret_input("Password")
        result = methods.login_with_userpass(client, name, password, mount=mount)
    elif method == "approle":
        role_id, secret_id = _read_approle_credentials(role_id_file, secret_id_file)
        result = methods.login_with_approle(client, role_id, secret_id, mount=mount)
    else:
        role_name = _jwt_role(role, environment)
        jwt = _read_identity_token(jwt_file, jwt_variable)
        if environment is not None:
            jwt.check_environment(environment, environment_claim)
        result = methods.login_with_jwt(client, role_name, jwt.text, mount=mount)

    stored = None if no_store else store_token(result.token)
    click.echo(f"Logged in to {settings.address} with {method}.")
    click.echo(_describe_lifetime(result.info))
    if stored is None:
        click.echo("The token was not stored (--no-store).")
        return
    click.echo(f"Token stored in {stored}.")
    if os.environ.get("VAULT_TOKEN"):
        click.echo(
            "Note: VAULT_TOKEN is set in this shell and takes precedence over "
            "the stored token; unset it to use the new one.",
            err=True,
        )


@click.command("whoami")
def whoami() -> None:
    """Show the current token's policies and remaining lifetime (never the token)."""
    from caldron.auth.whoami import describe_token
    from caldron.vault.connection import open_client
    from caldron.vault.settings import VaultSettings

    settings = VaultSettings.from_environment()
    info = describe_token(open_client(settings))
    click.echo(f"address:   {settings.address}")
    click.echo(f"identity:  {info.display_name or '-'}")
    click.echo(f"policies:  {', '.join(info.policies) or '-'}")
    click.echo(f"lifetime:  {_describe_ttl(info)}")
    click.echo(f"renewable: {'yes' if info.renewable else 'no'}")


def _describe_lifetime(info) -> str:
    policies = ", ".join(info.policies) or "none"
    renewable = "renewable" if info.renewable else "not renewable"
    return f"Policies: {policies}. Lifetime: {_describe_ttl(info)}, {renewable}."


def _describe_ttl(info) -> str:
    from caldron.auth.whoami import format_duration

    if not info.expires:
        return "never expires"
    return f"{format_duration(info.ttl)} remaining"


def _read_secret_input(label: str) -> str:
    """Read a secret from a hidden prompt, or the first line of piped stdin."""
    if sys.stdin.isatty():
        return click.prompt(label, hide_input=True)
    line = sys.stdin.readline().strip()
    if not line:
        raise UsageError(
            f"no {label.lower()} on standard input",
            hint=f"pipe the {label.lower()} in, or run in a terminal to be prompted",
        )
    return line


def _read_approle_credentials(
    role_id_file: Path | None, secret_id_file: Path | None
) -> tuple[str, str]:
    role_id = _read_credential(role_id_file, "VAULT_ROLE_ID", "--role-id-file")
    secret_id = _read_credential(secret_id_file, "VAULT_SECRET_ID", "--secret-id-file")
    if not role_id:
        raise UsageError(
            "approle login needs a role id",
            hint="set VAULT_ROLE_ID or pass --role-id-file",
        )
    if not secret_id:
        raise UsageError(
            "approle login has a role id but no secret id",
            hint="set VAULT_SECRET_ID or pass --secret-id-file",
        )
    return role_id, secret_id


def _read_credential(path: Path | None, variable: str, option: str) -> str:
    if path is None:
        return os.environ.get(variable, "").strip()
    text = _read_text(path, option).strip()
    if not text:
        raise UsageError(
            f"{option} {path} is empty", hint="write the credential into it"
        )
    return text


def _read_text(path: Path, option: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise InvalidInputError(
            f"cannot read {option} {path} ({reason})",
            hint="give a readable text file",
        ) from None


def _read_identity_token(jwt_file: Path | None, variable: str):
    from caldron.auth.identity_token import read_identity_token

    if jwt_file is not None:
        return read_identity_token(_read_text(jwt_file, "--jwt-file"), str(jwt_file))
    text = os.environ.get(variable, "")
    if not text.strip():
        raise UsageError(
            f"jwt login needs an identity token and ${variable} is empty",
            hint=f"pass --jwt-file or set {variable}",
        )
    return read_identity_token(text, f"${variable}")


def _jwt_role(role: str | None, environment: str | None) -> str:
    from caldron.environments import check_environment
    from caldron.provisioning.bootstrap import jwt_role_name

    if role and environment:
        raise UsageError("give --role or --env, not both")
    if role:
        return role
    if environment:
        return jwt_role_name(check_environment(environment))
    raise UsageError(
        "jwt login needs the environment to log in to",
        hint="pass --env ENV (role caldron-ENV) or --role ROLE",
    )
