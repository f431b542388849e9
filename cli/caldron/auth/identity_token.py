"""Checks on a CI provider's identity token (a JWT) before it is sent.

Only the shape is checked here: three base64url segments, a JSON header that
names a signing algorithm, a JSON claims object, an expiry still in the
future and, when the token names an environment, the one asked for. The
signature is Vault's to verify. Messages name where the token came from,
never its content.
"""

import base64
import binascii
import json
import re
import time
from dataclasses import dataclass, field
from typing import NoReturn

from caldron.environments import ENVIRONMENTS
from caldron.errors import InvalidInputError

_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class IdentityToken:
    """A well-formed identity token, its claims and where it came from."""

    text: str = field(repr=False)
    claims: dict = field(repr=False)
    source: str

    def check_environment(self, environment: str, claim: str) -> None:
        """Refuse the token when its ``claim`` names another environment than
        ``environment``; a token without that claim is left to Vault."""
        named = self.claims.get(claim)
        if named is None or named == environment:
            return
        other = repr(named) if named in ENVIRONMENTS else "another environment"
        raise InvalidInputError(
            f"the identity token from {self.source} is for {other} (its {claim} "
            f"claim), not {environment!r}",
            hint=f"use a token your CI issued for the {environment} environment",
        )


def read_identity_token(text: str, source: str) -> IdentityToken:
    """Return the token in ``text`` (surrounding whitespace removed) when it is
    a well-formed, unexpired JWT; raise ``InvalidInputError`` naming
    ``source`` otherwise."""
    token = text.strip()
    segments = token.split(".")
    if len(segments) != 3 or not all(_SEGMENT.match(part) for part in segments):
        _refuse_malformed(
            source, "it is not three base64url segments separated by dots"
        )

    header = _decode_json(segments[0], source, "header")
    claims = _decode_json(segments[1], source, "claims")
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm.lower() == "none":
        _refuse_malformed(source, "its header names no signing algorithm")

    expiry = claims.get("exp")
    if expiry is not None and not isinstance(expiry, int | float):
        _refuse_malformed(source, "its exp claim is not a number")
    if expiry is not None and expiry <= time.time():
        raise InvalidInputError(
            f"the identity token from {source} has expired",
            hint="fetch a fresh identity token",
        )
    return IdentityToken(token, claims, source)


def _decode_json(segment: str, source: str, part: str) -> dict:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        decoded = json.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError):
        _refuse_malformed(source, f"its {part} is not base64url-encoded JSON")
    if not isinstance(decoded, dict):
        _refuse_malformed(source, f"its {part} is not a JSON object")
    return decoded


def _refuse_malformed(source: str, reason: str) -> NoReturn:
    raise InvalidInputError(
        f"the identity token from {source} is malformed: {reason}",
        hint="pass the raw JWT your CI provider issued",
    ) from None
