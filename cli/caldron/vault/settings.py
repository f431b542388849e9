"""How caldron reaches Vault: address, token, TLS material, namespace and mount.

The standard variables are read the way the ``vault`` (and ``bao``) CLI reads
them. When ``VAULT_ADDR`` is unset, the local OpenBao started by ``caldron
vault local start`` is used if it runs. The token is kept out of ``repr`` so
that no log line or traceback can show it.
"""

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from caldron.errors import UsageError, VaultUnreachableError
from caldron.vault.paths import normalise_mount

logger = logging.getLogger(__name__)

DEFAULT_MOUNT = "caldron"
MOUNT_VARIABLE = "CALDRON_VAULT_MOUNT"
TOKEN_FILE_NAME = ".vault-token"  # noqa: S105 (a file name, not a token)

_TRUE_WORDS = frozenset({"1", "t", "true"})
_FALSE_WORDS = frozenset({"0", "f", "false"})


@dataclass(frozen=True)
class VaultSettings:
    """Everything needed to open a connection to one KV v2 mount.

    ``verify`` is ``True``, ``False`` (``VAULT_SKIP_VERIFY``) or the path of a
    CA bundle or folder; ``client_cert`` is a ``(certificate, key)`` pair.
    ``source`` says where the address came from, for messages.
    """

    address: str
    token: str | None = field(default=None, repr=False)
    mount: str = DEFAULT_MOUNT
    namespace: str | None = None
    verify: bool | str = True
    client_cert: tuple[str, str] | None = None
    source: str = "VAULT_ADDR"

    @classmethod
    def from_environment(cls, mount: str | None = None) -> "VaultSettings":
        """Read the settings from the process environment.

        ``mount`` overrides ``CALDRON_VAULT_MOUNT``. Raises ``UsageError`` for
        a malformed variable and ``VaultUnreachableError`` when no Vault is
        configured and the local server does not run.
        """
        chosen_mount = normalise_mount(mount or configured_mount())
        address = os.environ.get("VAULT_ADDR", "").strip()
        if address:
            return cls(
                address=check_address(address),
                token=read_token(),
                mount=chosen_mount,
                namespace=os.environ.get("VAULT_NAMESPACE") or None,
                verify=read_verification(),
                client_cert=read_client_certificate(),
            )
        return cls._for_local_server(chosen_mount)

    @classmethod
    def _for_local_server(cls, mount: str) -> "VaultSettings":
        from caldron.vault.local import find_running_server

        server = find_running_server()
        if server is None:
            raise VaultUnreachableError(
                "no Vault is configured: VAULT_ADDR is unset and the local "
                "OpenBao is not running",
                hint="run `caldron vault local start`, or set VAULT_ADDR and "
                "VAULT_TOKEN",
            )
        logger.debug("using the local OpenBao at %s", server.address)
        return cls(
            address=server.address,
            token=os.environ.get("VAULT_TOKEN") or server.read_root_token(),
            mount=mount,
            source="the local OpenBao",
        )


def configured_mount() -> str:
    """Return the KV v2 mount named by ``CALDRON_VAULT_MOUNT``, else the default."""
    return os.environ.get(MOUNT_VARIABLE) or DEFAULT_MOUNT


def check_address(address: str) -> str:
    """Return ``address`` without a trailing slash if it is an http(s) URL."""
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"VAULT_ADDR is not an http(s) URL: {address!r}",
            hint="set it like https://vault.example.test:8200",
        )
    return address.rstrip("/")


def read_token() -> str | None:
    """Return ``VAULT_TOKEN``, else the content of ``~/.vault-token``, else None."""
    token = os.environ.get("VAULT_TOKEN", "").strip()
    if token:
        return token

    token_file = Path.home() / TOKEN_FILE_NAME
    try:
        token = token_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UsageError(
            f"cannot read the token file {token_file} ({error.strerror})",
            hint="fix its permissions or set VAULT_TOKEN",
        ) from None
    return token or None


def read_verification() -> bool | str:
    """Return how TLS certificates are checked, as the vault CLI decides it:
    ``VAULT_SKIP_VERIFY`` turns checking off, ``VAULT_CACERT`` wins over
    ``VAULT_CAPATH``, and the system's CAs serve otherwise."""
    if read_flag("VAULT_SKIP_VERIFY"):
        return False
    for variable in ("VAULT_CACERT", "VAULT_CAPATH"):
        location = os.environ.get(variable)
        if location:
            if not Path(location).exists():
                raise UsageError(
                    f"{variable} names {location}, which does not exist",
                    hint=f"point {variable} at your CA certificate or unset it",
                )
            return location
    return True


def read_client_certificate() -> tuple[str, str] | None:
    """Return the ``(certificate, key)`` pair for TLS client authentication."""
    certificate = os.environ.get("VAULT_CLIENT_CERT")
    key = os.environ.get("VAULT_CLIENT_KEY")
    if not certificate and not key:
        return None
    if not (certificate and key):
        missing = "VAULT_CLIENT_KEY" if certificate else "VAULT_CLIENT_CERT"
        raise UsageError(
            f"{missing} is unset while its partner is set",
            hint="set both VAULT_CLIENT_CERT and VAULT_CLIENT_KEY, or neither",
        )
    return certificate, key


def read_flag(variable: str) -> bool:
    """Read a boolean variable with the words Go's ``ParseBool`` accepts."""
    value = os.environ.get(variable, "").strip()
    if not value:
        return False
    if value.lower() in _TRUE_WORDS:
        return True
    if value.lower() in _FALSE_WORDS:
        return False
    raise UsageError(
        f"{variable} must be true or false, not {value!r}",
        hint=f"set {variable}=true or unset it",
    )
