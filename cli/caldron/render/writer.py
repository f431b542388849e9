"""Write a rendered environment file atomically, private to its owner."""

import contextlib
import logging
import os
import tempfile
from pathlib import Path

from caldron.errors import InvalidInputError
from caldron.render.git_guard import refuse_path_git_would_commit

logger = logging.getLogger(__name__)


def write_env_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600, whole or not at all.

    The text goes to a temporary file created 0600 in the same folder, is
    flushed to disk, then renamed over ``path``; so ``path`` is either left as
    it was or fully replaced, and it ends 0600 whatever the umask or the mode
    of the file it replaces. Refused, each with ``InvalidInputError``: a
    symlink, a directory or other non-regular file, a missing or unwritable
    folder, and a path that git tracks or would not ignore.
    """
    path = Path(path)
    check_output_path(path)
    refuse_path_git_would_commit(path)

    fd, temporary = create_private_file(path)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    sync_folder(path.parent)
    logger.debug("caldron: wrote %s", path)


def check_output_path(path: Path) -> None:
    """Refuse an output path that is not, or could not become, a regular file."""
    if path.is_symlink():
        raise InvalidInputError(
            f"{path} is a symbolic link; caldron will not write through it",
            hint="remove the link or choose another --output",
        )
    if path.is_dir():
        raise InvalidInputError(
            f"{path} is a directory", hint="give a file name as --output"
        )
    if path.exists() and not path.is_file():
        raise InvalidInputError(
            f"{path} is not a regular file", hint="choose another --output"
        )
    if not path.parent.is_dir():
        raise InvalidInputError(
            f"the folder of {path} does not exist or is not a folder",
            hint="create the folder first, or choose another --output",
        )


def create_private_file(path: Path) -> tuple[int, str]:
    """Create a 0600 temporary file next to ``path``; return its descriptor
    and name."""
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise InvalidInputError(
            f"cannot write in the folder of {path} ({error.strerror})",
            hint="check the folder's permissions, or choose another --output",
        ) from None
    os.fchmod(fd, 0o600)
    return fd, name


def sync_folder(folder: Path) -> None:
    """Flush the folder entry so the rename survives a crash."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
