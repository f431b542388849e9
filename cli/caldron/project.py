"""Where caldron finds the project's declared data (the ``secrets/`` folder)."""

import os
from pathlib import Path

from caldron.errors import UsageError

SECRETS_DIR_VARIABLE = "CALDRON_SECRETS_DIR"


CHECKOUT_ROOT = Path(__file__).resolve().parents[2]


def find_upwards(relative: str, start: Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the working
    directory) that holds ``relative``, else caldron's own checkout if it
    does, else None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents, CHECKOUT_ROOT):
        if (folder / relative).exists():
            return folder
    return None


def find_secrets_dir(start: Path | None = None) -> Path:
    """Locate ``secrets/``: ``$CALDRON_SECRETS_DIR``, else the nearest one above
    the working directory that holds a catalogue, else the one beside caldron's
    own source tree."""
    override = os.environ.get(SECRETS_DIR_VARIABLE)
    if override:
        path = Path(override)
        if not path.is_dir():
            raise UsageError(
                f"{SECRETS_DIR_VARIABLE}={override} is not a folder",
                hint="point it at the folder that holds catalogue/",
            )
        return path

    folder = find_upwards("secrets/catalogue", start)
    if folder is None:
        raise UsageError(
            "no secrets/ folder with a catalogue found",
            hint=f"run inside the caldron checkout or set {SECRETS_DIR_VARIABLE}",
        )
    return folder / "secrets"
