"""Checks on the JWT key sources given to bootstrap, made before anything is
sent to Vault.

A key file must hold PEM public keys: ``PUBLIC KEY`` or ``CERTIFICATE``
blocks, the two forms Vault accepts. A file holding a private key is refused
outright, so the key never leaves this machine. A key URL must be an http or
https URL with a host. Messages name the file or the option, never the key.
"""

import base64
import binascii
import re
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

from caldron.errors import InvalidInputError

PUBLIC_LABELS = ("PUBLIC KEY", "CERTIFICATE")

_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY")
_PEM_BLOCK = re.compile(
    r"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", re.DOTALL
)
_DER_SEQUENCE = 0x30


def read_public_keys(path: Path) -> tuple[str, ...]:
    """Return the PEM public keys in the file at ``path``, one per block."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        _refuse(path, "is not a PEM file (it is not text)")
    except OSError as error:
        _refuse(path, f"cannot be read ({error.strerror})")

    if _PRIVATE_KEY.search(text):
        _refuse(
            path,
            "holds a private key; give the public key",
            hint="nothing was sent; `openssl pkey -pubout` prints the public key "
            "of a private one",
        )
    blocks = list(_PEM_BLOCK.finditer(text))
    if not blocks:
        _refuse(path, "is not a PEM file (no -----BEGIN PUBLIC KEY----- block)")
    for block in blocks:
        _check_block(path, block.group(1), block.group(2))
    return tuple(f"{block.group(0)}\n" for block in blocks)


def check_key_url(url: str | None, option: str) -> str | None:
    """Return ``url`` when it is an http(s) URL with a host, or None when no URL
    was given; else raise ``InvalidInputError`` naming ``option`` (the URL
    itself is not shown)."""
    if url is None:
        return None
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(character.isspace() for character in url)
    ):
        raise InvalidInputError(
            f"{option} is not an http(s) URL",
            hint="give the full URL, e.g. https://token.actions.githubusercontent.com",
        )
    return url


def _check_block(path: Path, label: str, body: str) -> None:
    if label not in PUBLIC_LABELS:
        _refuse(
            path,
            f"holds a {label} block; Vault reads only PUBLIC KEY and "
            "CERTIFICATE blocks",
        )
    try:
        der = base64.b64decode("".join(body.split()), validate=True)
    except (binascii.Error, ValueError):
        _refuse(path, f"has a {label} block that is not valid base64")
    if not der or der[0] != _DER_SEQUENCE:
        _refuse(path, f"has a {label} block that holds no key")


def _refuse(path: Path, reason: str, hint: str | None = None) -> NoReturn:
    raise InvalidInputError(
        f"--jwt-pubkey-file {path} {reason}",
        hint=hint
        or "give the PEM public key (-----BEGIN PUBLIC KEY-----) or the "
        "certificate of the key that signs the CI identity tokens",
    ) from None
