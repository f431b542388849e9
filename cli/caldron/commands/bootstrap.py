"""``caldron vault bootstrap``: provision one environment in Vault."""

from pathlib import Path

import click

from caldron.commands._options import environment_option, mount_option
from caldron.errors import CaldronError


@click.command("bootstrap")
@environment_option
@mount_option
@click.option(
    "--jwt-pubkey-file",
    "pubkey_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="CALDRON_JWT_PUBKEY_FILE",
    help="PEM public key that signs CI identity tokens (repeatable).",
)
@click.option(
    "--jwt-jwks-url",
    envvar="CALDRON_JWT_JWKS_URL",
    metavar="URL",
    help="JWKS URL of the CI provider's signing keys.",
)
@click.option(
    "--jwt-oidc-discovery-url",
    envvar="CALDRON_JWT_OIDC_DISCOVERY_URL",
    metavar="URL",
    help="OIDC discovery URL of the CI provider, e.g. "
    "https://token.actions.githubusercontent.com.",
)
@click.option(
    "--jwt-bound-issuer",
    envvar="CALDRON_JWT_BOUND_ISSUER",
    metavar="ISSUER",
    help="Issuer (iss claim) that identity tokens must carry.",
)
@click.option(
    "--jwt-audience",
    envvar="CALDRON_JWT_AUDIENCE",
    default="caldron",
    show_default=True,
    help="Audience (aud claim) that identity tokens must carry.",
)
@click.option(
    "--jwt-environment-claim",
    envvar="CALDRON_JWT_ENVIRONMENT_CLAIM",
    default="environment",
    show_default=True,
    help="Claim that must name the environment.",
)
def bootstrap(
    environment,
    mount,
    pubkey_files,
    jwt_jwks_url,
    jwt_oidc_discovery_url,
    jwt_bound_issuer,
    jwt_audience,
    jwt_environment_claim,
) -> None:
    """Provision ENV in Vault: the KV v2 mount, the read and write policies,
    the userpass, approle and jwt auth methods and their roles.

    Safe to run again: it changes only what differs, and says so. Each change
    is printed as it is made, so a run that fails part-way has said what it
    changed; run it again once the error is fixed. Key files and URLs are
    checked before anything is sent: a private key is refused.
    """
    from caldron.provisioning import BootstrapOptions, JwtOptions, bootstrap_environment
    from caldron.provisioning.jwt_keys import check_key_url, read_public_keys
    from caldron.vault.connection import open_client
    from caldron.vault.settings import VaultSettings

    jwt = JwtOptions(
        pubkeys=tuple(key for path in pubkey_files for key in read_public_keys(path)),
        jwks_url=check_key_url(jwt_jwks_url, "--jwt-jwks-url"),
        oidc_discovery_url=check_key_url(
            jwt_oidc_discovery_url, "--jwt-oidc-discovery-url"
        ),
        bound_issuer=jwt_bound_issuer,
        audience=jwt_audience,
        environment_claim=jwt_environment_claim,
    )
    settings = VaultSettings.from_environment(mount=mount)
    options = BootstrapOptions(mount=settings.mount, jwt=jwt)
    made = []

    def report(change) -> None:
        if change.changed:
            made.append(change)
        if change.changed or change.action == "skipped":
            click.echo(change.describe())

    try:
        bootstrap_environment(open_client(settings), environment, options, report)
    except CaldronError:
        if made:
            click.echo(
                f"bootstrap of {environment} stopped after the {len(made)} "
                "change(s) above; run it again once the error is fixed",
                err=True,
            )
        raise

    if made:
        click.echo(f"bootstrapped {environment}: {len(made)} change(s)")
    else:
        click.echo(f"nothing changed: {environment} is already bootstrapped")
