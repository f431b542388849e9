"""Vault's refusals of what bootstrap writes, in caldron's words.

Vault says why it refused a configuration (an unreachable discovery URL, an
unreadable key). Its text is read only to pick one of the explanations
below, never shown as it is, and the generic advice for refused data ("a map
of strings") is not given where it would mislead.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import hvac.exceptions

from caldron.errors import InvalidInputError

ROLE_REFUSAL = (
    "Vault does not accept the declared role",
    "check --jwt-audience and --jwt-environment-claim",
)
_JWT_CONFIG_REFUSALS = (
    (
        "oidc discovery",
        "Vault could not use --jwt-oidc-discovery-url",
        "check that Vault can reach the URL and that it serves "
        "/.well-known/openid-configuration",
    ),
    (
        "jwks",
        "Vault could not use --jwt-jwks-url",
        "check that Vault can reach the URL and that it serves a JWKS",
    ),
    (
        "public key",
        "Vault could not read the --jwt-pubkey-file keys",
        "give PEM public keys (-----BEGIN PUBLIC KEY-----)",
    ),
)


def explain_jwt_config_refusal(reasons: str) -> tuple[str, str]:
    """Return what Vault could not use in the jwt configuration, and what to
    do, from the reasons it gave (never shown as they are)."""
    lowered = reasons.lower()
    for marker, refused, hint in _JWT_CONFIG_REFUSALS:
        if marker in lowered:
            return refused, hint
    return (
        "Vault does not accept the key source",
        "check --jwt-pubkey-file, --jwt-jwks-url or --jwt-oidc-discovery-url "
        "and --jwt-bound-issuer",
    )


@contextmanager
def refusal_explained(
    client, subject: str, explain: Callable[[str], tuple[str, str]]
) -> Iterator[None]:
    """Report Vault's refusal (400) to write ``subject`` in caldron's words,
    instead of the generic advice for refused data."""
    try:
        yield
    except hvac.exceptions.InvalidRequest as error:
        reasons = " ".join(str(reason) for reason in error.errors or ())
        refused, hint = explain(reasons)
        raise InvalidInputError(
            f"Vault at {client.url} refused the {subject}: {refused}", hint=hint
        ) from None
