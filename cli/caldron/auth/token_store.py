"""The token file the ``vault`` CLI also uses: ``~/.vault-token``, mode 0600."""

import os
import tempfile
from pathlib import Path

from caldron.errors import InvalidInputError
from caldron.vault.settings import TOKEN_FILE_NAME

_STORE_HINT = (
    "make its folder exist and be writable (check HOME), or log in with "
    "--no-store and set VAULT_TOKEN"
)


def token_file() -> Path:
    """Return where the token is stored: ``$HOME/.vault-token``."""
    try:
        return Path.home() / TOKEN_FILE_NAME
    except RuntimeError:
        raise InvalidInputError(
            f"cannot find the home folder to store ~/{TOKEN_FILE_NAME} in",
            hint="set HOME, or log in with --no-store and set VAULT_TOKEN",
        ) from None


def check_token_file_writable(path: Path | None = None) -> Path:
    """Return the token file if a token could be stored there, else raise
    ``InvalidInputError`` naming it. Checked before logging in, so that no
    token is created in Vault only to be lost."""
    target = path or token_file()
    folder = target.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInputError(
            f"cannot store the token in {target} (its folder {folder} does not "
            "exist or is not writable)",
            hint=_STORE_HINT,
        )
    return target


def store_token(token: str, path: Path | None = None) -> Path:
    """Write ``token`` to the token file atomically, readable by its owner only.

    The temporary file is created 0600 in the same folder, so the token is
    never readable by others, not even for a moment, and a crash leaves either
    the old file or the new one. A file that cannot be written is an
    ``InvalidInputError`` naming it; the old file is then left as it was.
    """
    target = path or token_file()
    try:
        _replace_atomically(target, token)
    except OSError as error:
        raise InvalidInputError(
            f"cannot store the token in {target} "
            f"({error.strerror or type(error).__name__})",
            hint=_STORE_HINT,
        ) from None
    return target


def _replace_atomically(target: Path, token: str) -> None:
    descriptor, temporary = tempfile.mkstemp(
        prefix=".vault-token.", dir=target.parent, text=True
    )
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(token)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
