"""Masking secret values in a child process's output.

A ``Masker`` is built from the values to hide. It replaces each value, each
line of a multi-line value, and the value written with escaped newlines
(``\\n``), longest first, by ``MASK``. Output is handled line by line, so a
value is caught even when the child's writes split it across reads; a line
is shown once it ends (or when the stream closes).

Value lines shorter than ``MINIMUM_LENGTH`` characters are not masked: they
would blank ordinary words and digits all over the output. The keys holding
them are logged (by name) so the user can see what is not covered.
"""

import logging
import os
import re
from collections.abc import Iterable, Mapping
from typing import BinaryIO, TextIO

logger = logging.getLogger(__name__)

MASK = "***"
MINIMUM_LENGTH = 4


class Masker:
    """Replaces known secret values in bytes or text with ``MASK``."""

    def __init__(self, values: Iterable[str]) -> None:
        fragments = sorted(
            {piece for value in values for piece in _maskable_pieces(value)},
            key=lambda piece: (-len(piece), piece),
        )
        self._fragments = tuple(fragments)
        alternatives = b"|".join(re.escape(piece.encode()) for piece in fragments)
        self._pattern = re.compile(alternatives) if fragments else None

    @property
    def fragments(self) -> tuple[str, ...]:
        """The strings this masker hides, longest first."""
        return self._fragments

    def mask_bytes(self, data: bytes) -> bytes:
        """Return ``data`` with every known value replaced by ``MASK``."""
        if self._pattern is None:
            return data
        return self._pattern.sub(MASK.encode(), data)

    def mask_text(self, text: str) -> str:
        """Return ``text`` with every known value replaced by ``MASK``."""
        return self.mask_bytes(text.encode()).decode(errors="surrogateescape")

    def mask_stream(self, source: BinaryIO, sink: BinaryIO) -> None:
        """Copy ``source`` to ``sink`` line by line, masked, until end of file.

        ``sink`` is flushed after every line so the output stays live.
        """
        for line in iter(source.readline, b""):
            sink.write(self.mask_bytes(line))
            sink.flush()


def build_masker(secrets: Mapping[str, str]) -> Masker:
    """Build a ``Masker`` for the values of ``secrets`` (key to value).

    Keys whose value has a line too short to mask are logged by name.
    """
    for key, value in secrets.items():
        if any(0 < len(line.strip()) < MINIMUM_LENGTH for line in value.splitlines()):
            logger.warning(
                "caldron: %s has a line shorter than %d characters; "
                "that line is not masked",
                key,
                MINIMUM_LENGTH,
            )
    return Masker(secrets.values())


def register_github_masks(values: Iterable[str], stream: TextIO) -> int:
    """Write ``::add-mask::`` for each maskable piece of ``values`` to
    ``stream`` (the GitHub Actions runner reads its commands from stdout)
    and return how many were registered. Call it before the child starts."""
    pieces = Masker(values).fragments
    for piece in pieces:
        stream.write(f"::add-mask::{_escape_workflow_data(piece)}\n")
    stream.flush()
    return len(pieces)


def in_github_actions(environ: Mapping[str, str] = os.environ) -> bool:
    """True when running as a GitHub Actions step (``GITHUB_ACTIONS=true``)."""
    return environ.get("GITHUB_ACTIONS") == "true"


def _maskable_pieces(value: str) -> set[str]:
    pieces = set()
    lines = [line.rstrip("\r") for line in value.splitlines()]
    for line in lines:
        for candidate in (line, line.strip()):
            if len(candidate) >= MINIMUM_LENGTH:
                pieces.add(candidate)
    if len(lines) > 1:
        joined = value.strip("\n")
        pieces.add(joined.replace("\n", "\\n"))
        pieces.add(joined.replace("\r\n", "\\r\\n").replace("\n", "\\n"))
    return pieces


def _escape_workflow_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
