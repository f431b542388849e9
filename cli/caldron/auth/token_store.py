"""The token file the ``vault`` CLI also uses: ``~/.vault-token``, mode 0600."""

import os
import tempfile
from pathlib import Path

from caldron.vault.settings import TOKEN_FILE_NAME


def token_file() -> Path:
    """Return where the token is stored: ``$HOME/.vault-token``."""
    return Path.home() / TOKEN_FILE_NAME


def store_token(token: str, path: Path | None = None) -> Path:
    """Write ``token`` to the token file atomically, readable by its owner only.

    The temporary file is created 0600 in the same folder, so the token is
    never readable by others, not even for a moment, and a crash leaves either
    the old file or the new one.
    """
    target = path or token_file()
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
    return target
