"""Checks on a CI provider's identity token (a JWT) before it is sent.

Only the shape is checked here: three base64url segments, a JSON header that
names a signing algorithm, a JSON claims object, and an expiry still in the
future. The signature is Vault's to verify. Messages name where the token
came from, never its content.
"""

import base64
import binascii
import json
import re
import time
from typing import NoReturn

from caldron.errors import InvalidInputError

_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")


def check_identity_token(text: str, source: str) -> str:
    """Return the token in ``text`` (surrounding whitespace removed) when it is
    a well-formed, unexpired JWT; raise ``InvalidInputError`` naming
    ``source`` otherwise."""
    token = text.strip()
    segments = token.split(".")
    if len(segments) != 3 or not all(_SEGMENT.match(part) for part in segments):
        _refuse(source, "it is not three base64url segments separated by dots")

    header = _decode_json(segments[0], source, "header")
    claims = _decode_json(segments[1], source, "claims")
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm.lower() == "none":
        _refuse(source, "its header names no signing algorithm")

    expiry = claims.get("exp")
    if expiry is not None and not isinstance(expiry, int | float):
        _refuse(source, "its exp claim is not a number")
    if expiry is not None and expiry <= time.time():
        _refuse(source, "it has expired", hint="fetch a fresh identity token")
    return token


def _decode_json(segment: str, source: str, part: str) -> dict:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        decoded = json.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError):
        _refuse(source, f"its {part} is not base64url-encoded JSON")
    if not isinstance(decoded, dict):
        _refuse(source, f"its {part} is not a JSON object")
    return decoded


def _refuse(source: str, reason: str, hint: str | None = None) -> NoReturn:
    raise InvalidInputError(
        f"the identity token from {source} is malformed: {reason}",
        hint=hint or "pass the raw JWT your CI provider issued",
    ) from None
