"""The one place where hvac and requests failures become caldron errors.

Every call to Vault runs inside ``translate_vault_errors(path)``. A failure
leaves it as a ``CaldronError`` that names the address and the path and says
what to do next. Vault's own error text and the request are never carried
along: they could hold a token or a value, so the original exception is not
chained.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import hvac.exceptions
import requests

from caldron.errors import (
    CaldronError,
    ConflictError,
    InvalidInputError,
    NotAuthenticatedError,
    NotFoundError,
    PermissionDeniedError,
    VaultSealedError,
    VaultUnreachableError,
)

logger = logging.getLogger(__name__)

LOGIN_HINT = "log in again with `caldron login`, or set VAULT_TOKEN to a valid token"
CAS_MISMATCH = "check-and-set parameter did not match"


@contextmanager
def translate_vault_errors(
    path: str, *, client=None, address: str | None = None
) -> Iterator[None]:
    """Turn a failed Vault request about ``path`` into a ``CaldronError``.

    With ``client``, a 403 is told apart: an invalid or expired token (checked
    with ``auth/token/lookup-self``) is ``NotAuthenticatedError``, a valid one
    without the right policy is ``PermissionDeniedError``. A 403 never means
    "absent".
    """
    try:
        yield
    except hvac.exceptions.VaultError as error:
        where = address or _address_of(error.url)
        logger.debug(
            "Vault answered %s to %s %s",
            type(error).__name__,
            error.method,
            path,
        )
        raise translate_refusal(error, path, where, client) from None
    except requests.exceptions.RequestException as error:
        request = getattr(error, "request", None)
        where = address or _address_of(getattr(request, "url", None))
        logger.debug("no answer from Vault at %s: %s", where, type(error))
        raise translate_transport_failure(error, where) from None


def translate_refusal(
    error: hvac.exceptions.VaultError, path: str, address: str, client=None
) -> CaldronError:
    """Return the caldron error for an HTTP error status from Vault."""
    text = str(error.args[0] if error.args else "") or ""
    if isinstance(error, hvac.exceptions.Forbidden | hvac.exceptions.Unauthorized):
        return _translate_forbidden(path, address, client)
    if isinstance(error, hvac.exceptions.InvalidPath):
        return NotFoundError(
            f"{path} not found in Vault at {address}",
            hint="check the environment, the integration and CALDRON_VAULT_MOUNT",
        )
    if isinstance(error, hvac.exceptions.InvalidRequest):
        if CAS_MISMATCH in text:
            return ConflictError(
                f"concurrent modification of {path}: another writer changed it "
                "after it was read",
                hint="run the command again to review the new version first",
            )
        return InvalidInputError(
            f"Vault at {address} refused the request for {path} as invalid",
            hint="check the path and that the data is a map of strings",
        )
    if isinstance(error, hvac.exceptions.VaultDown):
        return _translate_unavailable(text, address)
    if isinstance(error, hvac.exceptions.VaultNotInitialized):
        return VaultSealedError(
            f"Vault at {address} is not initialised",
            hint="initialise and unseal it (`caldron vault local start` for the "
            "local one)",
        )
    if isinstance(error, hvac.exceptions.RateLimitExceeded):
        return VaultUnreachableError(
            f"Vault at {address} kept refusing requests for {path}: rate limited",
            hint="wait a moment and run the command again",
        )
    return VaultUnreachableError(
        f"Vault at {address} failed to serve {path} ({type(error).__name__})",
        hint="try again; if it persists, check the server's logs",
    )


def translate_transport_failure(
    error: requests.exceptions.RequestException, address: str
) -> CaldronError:
    """Return the caldron error for a request that got no HTTP answer."""
    if isinstance(error, requests.exceptions.SSLError):
        return VaultUnreachableError(
            f"TLS with Vault at {address} failed",
            hint="check VAULT_CACERT, VAULT_CAPATH or VAULT_CLIENT_CERT",
        )
    if isinstance(error, requests.exceptions.Timeout):
        return VaultUnreachableError(
            f"Vault at {address} did not answer in time",
            hint="check that the server runs and that VAULT_ADDR is right",
        )
    return VaultUnreachableError(
        f"cannot reach Vault at {address}",
        hint="check that it runs and that VAULT_ADDR is right "
        "(`caldron vault local start` starts the local one)",
    )


def _translate_forbidden(path: str, address: str, client) -> CaldronError:
    if client is not None and not client.token:
        return NotAuthenticatedError(
            f"no Vault token for {address}",
            hint="set VAULT_TOKEN, or log in with `caldron login`",
        )
    if path.endswith("auth/token/lookup-self") or not _token_is_valid(client):
        return NotAuthenticatedError(
            f"the Vault token is invalid or has expired (at {address})",
            hint=LOGIN_HINT,
        )

    hint = (
        "the token's policies do not allow this; ask for the caldron policy "
        "of this environment (see secrets/policies)"
    )
    if client is None:
        hint += ", or check with `caldron whoami` that the token is still valid"
    return PermissionDeniedError(f"permission denied on {path} at {address}", hint=hint)


def _token_is_valid(client) -> bool:
    """Ask Vault whether the client's token still works; True when unknown."""
    if client is None:
        return True
    try:
        client.auth.token.lookup_self()
    except (hvac.exceptions.Forbidden, hvac.exceptions.Unauthorized):
        return False
    except (hvac.exceptions.VaultError, requests.exceptions.RequestException):
        return True
    return True


def _translate_unavailable(text: str, address: str) -> CaldronError:
    if "sealed" in text.lower():
        return VaultSealedError(
            f"Vault at {address} is sealed",
            hint="unseal it (`caldron vault local start` unseals the local one)",
        )
    return VaultSealedError(
        f"Vault at {address} is unavailable (HTTP 503)",
        hint="it may be sealed, starting or in maintenance; try again shortly",
    )


def _address_of(url: str | None) -> str:
    if not url:
        return "the configured address"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
