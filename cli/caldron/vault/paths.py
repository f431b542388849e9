"""Secret paths inside the KV v2 mount: ``<environment>/<integration>``.

Paths are relative to the mount. Slashes are normalised, and a path that
names the mount, ``data/`` or ``metadata/`` itself is refused: hvac adds
those parts, so letting them through would read or write a doubled path
such as ``caldron/data/data/dev/stripe`` where nobody looks.
"""

import re

from caldron.environments import check_environment
from caldron.errors import InvalidInputError, UsageError

API_PREFIXES = ("data", "metadata", "delete", "undelete", "destroy", "subkeys")

_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def normalise_mount(mount: str) -> str:
    """Return the mount name without surrounding slashes, checked segment by
    segment (a mount may be nested, like ``team/kv``)."""
    segments = _split(mount)
    if not segments:
        raise UsageError(
            "the Vault mount name is empty",
            hint="set CALDRON_VAULT_MOUNT or --mount to a KV v2 mount, e.g. caldron",
        )
    for segment in segments:
        if not _SEGMENT.fullmatch(segment):
            raise UsageError(
                f"invalid Vault mount name {mount!r}",
                hint="use letters, digits, '.', '_' and '-' between slashes",
            )
    return "/".join(segments)


def normalise_path(path: str, mount: str) -> str:
    """Return ``path`` relative to ``mount`` with single slashes, or raise
    ``InvalidInputError`` naming the path and what is wrong with it."""
    segments = _split(path)
    if not segments:
        raise InvalidInputError("empty secret path", hint=_relative_hint(mount))

    mount_segments = mount.split("/")
    if segments[: len(mount_segments)] == mount_segments:
        raise InvalidInputError(
            f"secret path {path!r} starts with the mount name",
            hint=_relative_hint(mount),
        )
    if segments[0] in API_PREFIXES:
        raise InvalidInputError(
            f"secret path {path!r} starts with '{segments[0]}/', which caldron adds",
            hint=_relative_hint(mount),
        )
    for segment in segments:
        if not _SEGMENT.fullmatch(segment):
            raise InvalidInputError(
                f"secret path {path!r} has an invalid part {segment!r}",
                hint="use letters, digits, '.', '_' and '-' between slashes",
            )
    return "/".join(segments)


def secret_path(environment: str, integration: str, mount: str) -> str:
    """Return the path of one integration's secret in one environment."""
    check_environment(environment)
    path = normalise_path(f"{environment}/{integration}", mount)
    if path.count("/") != 1:
        raise InvalidInputError(
            f"invalid integration name {integration!r}",
            hint="an integration is one path segment, like 'stripe'",
        )
    return path


def environment_folder(environment: str) -> str:
    """Return the folder that holds an environment's secrets."""
    return check_environment(environment)


def _split(path: str) -> list[str]:
    return [segment for segment in path.strip().split("/") if segment]


def _relative_hint(mount: str) -> str:
    return f"paths are relative to mount '{mount}', like 'dev/stripe'"
