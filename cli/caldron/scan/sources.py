"""The text a scan looks at: files on disk, the staged changes, the history.

Each source yields ``Document`` objects: a name, the numbered lines to look
at, and the commit they come from. For the staged changes and the history
only the added lines are looked at, with their line numbers in the new file.
A binary file becomes a ``Document`` with ``binary=True`` and no lines.
"""

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from caldron.errors import InvalidInputError
from caldron.scan.findings import quote_path
from caldron.scan.git import find_repository, list_committable_files, run_git

BINARY_SNIFF_BYTES = 8192
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
_SKIPPED_FOLDERS = {".git", ".venv", "venv", "node_modules", "__pycache__"}


@dataclass(frozen=True)
class Document:
    """Numbered lines of one file (or of one file's change in a commit).

    ``whole_file`` is True when ``lines`` are all the file's lines, False for
    the lines a change added. ``source`` is the file on disk the lines were
    read from, if any.
    """

    name: str
    lines: tuple[tuple[int, str], ...] = field(repr=False)
    commit: str | None = None
    binary: bool = False
    whole_file: bool = False
    source: Path | None = None


def read_paths(paths: Iterable[Path]) -> Iterator[Document]:
    """Read the given files, and the files under the given folders.

    In a git work tree a folder contributes the files git would commit; out
    of one, every file except those in tool folders (``.git``, ``.venv``...).
    """
    paths = tuple(paths)
    check_paths_exist(paths)
    for path in paths:
        for file in _files_under(path) if path.is_dir() else [path]:
            yield read_file(file)


def check_paths_exist(paths: Iterable[Path]) -> None:
    """Raise ``InvalidInputError`` naming the first of ``paths`` that is not
    there."""
    for path in paths:
        if not path.exists():
            raise InvalidInputError(
                f"path {quote_path(str(path))} does not exist",
                hint="check the path and try again",
            )


def read_file(path: Path, name: str | None = None) -> Document:
    """Read one file from disk as a ``Document``."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInputError(
            f"cannot read {quote_path(str(path))} ({error.strerror})",
            hint="check its permissions",
        ) from None
    document = _document_from_bytes(name or str(path), data)
    return replace(document, source=path)


def read_staged(repository: Path) -> Iterator[Document]:
    """The lines the index adds compared to ``HEAD`` (what a commit would add)."""
    diff = run_git(repository, "diff", "--cached", *_DIFF_OPTIONS)
    yield from _documents_from_diff(diff, commit=None)


def read_history(repository: Path) -> Iterator[Document]:
    """The lines every commit reachable from any ref added."""
    log = run_git(
        repository, "log", "--all", "--patch", "--format=%x00commit %H", *_DIFF_OPTIONS
    )
    for chunk in log.split(b"\0commit ")[1:]:
        commit, _, diff = chunk.partition(b"\n")
        yield from _documents_from_diff(diff, commit=commit.decode())


_DIFF_OPTIONS = (
    "--unified=0",
    "--no-color",
    "--no-ext-diff",
    "--no-renames",
)


def _files_under(folder: Path) -> list[Path]:
    repository = find_repository(folder)
    if repository is not None:
        names = list_committable_files(repository, under=folder)
        return [repository / name for name in names if (repository / name).is_file()]

    files = []
    for root, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if name not in _SKIPPED_FOLDERS)
        files.extend(Path(root) / name for name in sorted(names))
    return files


def _document_from_bytes(name: str, data: bytes, commit: str | None = None) -> Document:
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        return Document(name, (), commit, binary=True)
    text = data.decode("utf-8", errors="replace")
    lines = tuple(enumerate(text.splitlines(), start=1))
    return Document(name, lines, commit, whole_file=True)


def _documents_from_diff(diff: bytes, commit: str | None) -> Iterator[Document]:
    name: str | None = None
    lines: list[tuple[int, str]] = []
    in_header = False
    number = 0
    for raw in diff.split(b"\n"):
        if raw.startswith(b"diff --git "):
            if name is not None and lines:
                yield Document(name, tuple(lines), commit)
            name, lines, in_header = None, [], True
        elif in_header and raw.startswith(b"+++ "):
            name = _target_name(raw[4:])
        elif (
            in_header and raw.startswith(b"Binary files ") and raw.endswith(b" differ")
        ):
            target = _binary_target_name(raw)
            if target is not None:
                yield Document(target, (), commit, binary=True)
        elif (hunk := _HUNK.match(raw)) is not None:
            number, in_header = int(hunk.group(1)), False
        elif not in_header and raw.startswith(b"+") and name is not None:
            text = raw[1:].rstrip(b"\r").decode("utf-8", errors="replace")
            lines.append((number, text))
            number += 1
    if name is not None and lines:
        yield Document(name, tuple(lines), commit)


def _target_name(raw: bytes) -> str | None:
    """The file name in a ``+++`` line or a ``Binary files`` line: git adds a
    tab after a name with a space and C-quotes a name with a control
    character, a quote or a backslash (``"b/we:ird\\nname.py"``)."""
    target = raw.removesuffix(b"\t")
    if target.startswith(b'"') and target.endswith(b'"'):
        target = _unquote_c_style(target[1:-1])
    if not target.startswith(b"b/"):
        return None
    return target[2:].decode("utf-8", errors="replace")


def _binary_target_name(raw: bytes) -> str | None:
    """The new file's name in ``Binary files a/x and b/x differ``."""
    pair = raw.removeprefix(b"Binary files ").removesuffix(b" differ")
    for separator in (b' and "b/', b" and b/"):
        _, found, after = pair.partition(separator)
        if found:
            return _target_name(found[len(b" and ") :] + after)
    return None


_C_ESCAPE = re.compile(rb'\\([0-7]{3}|[abfnrtv"\\])')
_C_ESCAPES = {
    b"a": b"\a",
    b"b": b"\b",
    b"f": b"\f",
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"v": b"\v",
    b'"': b'"',
    b"\\": b"\\",
}


def _unquote_c_style(quoted: bytes) -> bytes:
    def unescape(match: re.Match) -> bytes:
        code = match.group(1)
        if len(code) == 3:
            return bytes([int(code, 8)])
        return _C_ESCAPES[code]

    return _C_ESCAPE.sub(unescape, quoted)
