"""Showing a variable name from user input without showing a secret.

A name read from a source file is not always a name: an unquoted multi-line
value in a dotenv file turns its later lines into "keys". Messages therefore
show a name only when it has the shape of an upper-case environment variable,
which base64, PEM bodies and tokens almost never have.
"""

import re

PRINTABLE_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")
WITHHELD = "(a name withheld: not an upper-case variable name)"


def printable_key_name(key: str) -> str:
    """``key`` itself if it looks like ``STRIPE_SECRET_KEY``, else a stand-in."""
    if PRINTABLE_NAME.fullmatch(key):
        return key
    return WITHHELD
