"""The four ways to obtain a Vault token: token, userpass, approle and jwt.

Each function takes an hvac client that knows the Vault address but holds
no token, exchanges the credentials for a token and returns it with what
Vault says about it. A refused login is a ``NotAuthenticatedError`` whose
message names the method and the role or user, never a credential.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import hvac.exceptions

from caldron.auth.jwt_refusals import JWT_CHECKS_HINT, explain_jwt_refusal
from caldron.auth.whoami import TokenInfo, describe_token
from caldron.errors import NotAuthenticatedError
from caldron.vault.errors import translate_vault_errors

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginResult:
    """A token and what Vault says about it. ``repr`` leaves the token out."""

    token: str
    info: TokenInfo

    def __repr__(self) -> str:
        return f"LoginResult(token=<hidden>, info={self.info!r})"


def login_with_token(client, token: str) -> LoginResult:
    """Check that ``token`` is valid and describe it."""
    if not token.strip():
        raise NotAuthenticatedError("no token given", hint="paste a Vault token")
    client.token = token.strip()
    return LoginResult(client.token, describe_token(client))


def login_with_userpass(
    client, username: str, password: str, *, mount: str = "userpass"
) -> LoginResult:
    """Log in as ``username`` through the userpass method."""
    with _refusal_reported(
        f"userpass login as {username!r}", "check the username and password"
    ):
        response = client.auth.userpass.login(
            username, password, use_token=False, mount_point=mount
        )
    return _adopt(client, response)


def login_with_approle(
    client, role_id: str, secret_id: str, *, mount: str = "approle"
) -> LoginResult:
    """Log in with an AppRole role id and secret id (how CI logs in)."""
    with _refusal_reported("approle login", "check VAULT_ROLE_ID and VAULT_SECRET_ID"):
        response = client.auth.approle.login(
            role_id, secret_id, use_token=False, mount_point=mount
        )
    return _adopt(client, response)


def login_with_jwt(client, role: str, jwt: str, *, mount: str = "jwt") -> LoginResult:
    """Exchange a CI provider's identity token for a token of ``role``.

    A refusal says which check failed, as Vault reported it: the signature,
    the issuer, the audience, the expiry, a claim the role binds, or the role
    itself; never the token.
    """
    with _refusal_reported(
        f"jwt login to role {role!r}", JWT_CHECKS_HINT, explain=explain_jwt_refusal
    ):
        response = client.auth.jwt.jwt_login(role, jwt, use_token=False, path=mount)
    return _adopt(client, response)


def _adopt(client, response: dict) -> LoginResult:
    client.token = response["auth"]["client_token"]
    return LoginResult(client.token, describe_token(client))


@contextmanager
def _refusal_reported(
    attempt: str,
    hint: str,
    explain: Callable[[str], tuple[str, str] | None] | None = None,
) -> Iterator[None]:
    """Report Vault's refusal of a login (400 or 403) as NotAuthenticatedError;
    every other failure goes through the common Vault translation.

    ``explain`` turns Vault's reasons into caldron's own words; Vault's text
    itself is never shown.
    """
    with translate_vault_errors("login"):
        try:
            yield
        except (hvac.exceptions.InvalidRequest, hvac.exceptions.Forbidden) as error:
            logger.debug("caldron: %s refused (%s)", attempt, type(error).__name__)
            reasons = " ".join(str(reason) for reason in error.errors or ())
            explained = explain(reasons) if explain else None
            message = f"Vault refused the {attempt}"
            if explained is not None:
                message = f"{message}: {explained[0]}"
                hint = explained[1]
            raise NotAuthenticatedError(message, hint=hint) from None
