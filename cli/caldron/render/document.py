"""Render keys and values into the text of an environment file for one consumer."""

import logging
import re
from collections.abc import Sequence

from caldron.consumers import CONSUMERS
from caldron.errors import InvalidInputError, UsageError
from caldron.render.dialects import (
    LINE_ENCODERS,
    UnrepresentableValue,
    encode_json_document,
    looks_like_python_dotenv_variable,
)

logger = logging.getLogger(__name__)

HEADERLESS_CONSUMERS = frozenset({"json", "github-actions"})
KEY_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
INTERPOLATION_NOTE = (
    "Load this file with interpolate=False: python-dotenv would otherwise "
    "expand ${...} in the values of {keys}."
)


def render_env(
    entries: Sequence[tuple[str, str]],
    consumer: str,
    header: Sequence[str] = (),
) -> str:
    """Return the text of an environment file that ``consumer`` reads back as
    exactly ``entries``, in their order.

    ``header`` lines become ``#`` comments at the top; ``json`` and
    ``github-actions`` have no comment syntax and get none. The same input
    always gives the same text. A key that is not a variable name, a key given
    twice, or a value the consumer cannot carry raises ``InvalidInputError``
    naming the key and the consumer, never the value.
    """
    check_consumer(consumer)
    check_entries(entries, consumer)

    if consumer == "json":
        return encode_json_document(list(entries))

    lines = []
    if consumer not in HEADERLESS_CONSUMERS:
        lines.extend(render_header(header, entries, consumer))
    encode = LINE_ENCODERS[consumer]
    for key, value in entries:
        try:
            lines.extend(encode(key, value))
        except UnrepresentableValue as refusal:
            raise InvalidInputError(
                f"the value of {key} cannot be written for {consumer}: "
                f"{refusal.reason}",
                hint="choose another --for consumer, or change the value",
            ) from None
    return "".join(line + "\n" for line in lines)


def check_consumer(consumer: str) -> None:
    """Refuse a consumer name caldron does not know."""
    if consumer not in CONSUMERS:
        raise UsageError(
            f"unknown consumer {consumer!r}",
            hint="use one of " + ", ".join(CONSUMERS),
        )


def check_entries(entries: Sequence[tuple[str, str]], consumer: str) -> None:
    """Refuse bad keys, repeated keys and values no environment can hold."""
    seen = set()
    for key, value in entries:
        if not KEY_PATTERN.fullmatch(key):
            raise InvalidInputError(
                f"{key!r} is not a valid variable name for {consumer}",
                hint="use letters, digits and underscores, not starting with a digit",
            )
        if key in seen:
            raise InvalidInputError(
                f"{key} is given twice for {consumer}",
                hint="keep one value per key",
            )
        seen.add(key)
        check_value(key, value, consumer)


def check_value(key: str, value: str, consumer: str) -> None:
    """Refuse a NUL byte (no environment variable can hold one) and text that
    is not valid Unicode (it cannot be written as UTF-8)."""
    if "\0" in value:
        raise InvalidInputError(
            f"the value of {key} holds a NUL byte, which no environment variable "
            f"can carry ({consumer})",
            hint="remove the NUL byte from the stored value",
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(
            f"the value of {key} is not valid Unicode text ({consumer})",
            hint="store the value as UTF-8 text",
        ) from None


def keys_with_outer_blanks(entries: Sequence[tuple[str, str]]) -> list[str]:
    """The keys whose values look stored by mistake: outer spaces or tabs, a
    leading line break, or one line followed by a newline. Such values are
    kept exactly, since trimming them is not caldron's call; a multi-line
    value such as a PEM key ends in a newline on purpose and is not listed."""
    keys = []
    for key, value in entries:
        padded = value != value.strip(" \t") or value.startswith(("\n", "\r"))
        body = value.rstrip("\r\n")
        stray_newline = body != value and "\n" not in body
        if padded or stray_newline:
            keys.append(key)
    return keys


def render_header(
    header: Sequence[str], entries: Sequence[tuple[str, str]], consumer: str
) -> list[str]:
    """Turn header lines into comments, adding the interpolation note that
    python-dotenv files need when a value holds ``${...}``."""
    texts = [part for line in header for part in line.splitlines() or [""]]
    if consumer == "python-dotenv":
        keys = [
            key for key, value in entries if looks_like_python_dotenv_variable(value)
        ]
        if keys:
            texts.append(INTERPOLATION_NOTE.replace("{keys}", ", ".join(keys)))

    for text in texts:
        if '"' in text:
            raise InvalidInputError(
                "a header line holds a double quote, which phpdotenv misreads "
                "even in a comment",
                hint="leave double quotes out of header lines",
            )
    return [f"# {text}".rstrip() for text in texts]
