"""Integration secrets in one KV v2 mount, one secret per ``<env>/<integration>``.

``KvStore`` is what the commands use: it reads (one request per integration,
concurrently for a whole environment), writes with check-and-set, lists the
versions KV v2 keeps and reads an old one. Every call goes through
``translate_vault_errors``, so callers only ever see caldron errors.
"""

import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import hvac
import hvac.exceptions

from caldron.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from caldron.vault.connection import POOL_SIZE
from caldron.vault.errors import translate_vault_errors
from caldron.vault.paths import environment_folder, secret_path

logger = logging.getLogger(__name__)

MAX_PARALLEL_READS = POOL_SIZE


@dataclass(frozen=True)
class StoredSecret:
    """One version of an integration's secret: its keys and values.

    ``deleted`` marks a latest version that was deleted or destroyed: its
    ``data`` is empty, and the next write must still name its ``version``.
    The values are kept out of ``repr``.
    """

    data: dict[str, str] = field(repr=False)
    version: int
    created_time: str
    deleted: bool = False


@dataclass(frozen=True)
class VersionInfo:
    """What KV v2 keeps about one version of a secret (never its values)."""

    version: int
    created_time: str
    deletion_time: str | None
    destroyed: bool
    current: bool

    @property
    def readable(self) -> bool:
        """True when the version's data can still be read."""
        return not (self.destroyed or self.deletion_time)


class KvStore:
    """The integration secrets in one KV v2 mount, reached through ``client``."""

    def __init__(self, client: hvac.Client, mount: str) -> None:
        self.client = client
        self.mount = mount
        self._readers: ThreadPoolExecutor | None = None

    @property
    def address(self) -> str:
        """The Vault address this store talks to."""
        return self.client.url

    def close(self) -> None:
        """Stop the reader threads and close the pooled connections."""
        if self._readers is not None:
            self._readers.shutdown(wait=True)
            self._readers = None
        self.client.adapter.close()

    def __enter__(self) -> "KvStore":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def check_mount(self) -> None:
        """Make sure the mount exists and is KV version 2.

        Raises ``NotFoundError`` for a missing mount and ``InvalidInputError``
        for a mount of another kind, or a name that is a folder inside one.
        """
        described = f"sys/internal/ui/mounts/{self.mount}"
        with self._translated_system(described):
            try:
                response = self.client.adapter.get(f"/v1/{described}")
            except hvac.exceptions.Forbidden:
                # A missing mount and a mount out of the token's reach both
                # answer 403 here; the mount table tells them apart.
                response = None
        if response is None:
            self._check_mount_in_table()
        else:
            self._check_mount_description(response.get("data") or {})

    def read(self, environment: str, integration: str) -> StoredSecret | None:
        """Return the latest version of a secret, or None if it was never written."""
        path = secret_path(environment, integration, self.mount)
        response = self._read_secret_version(path)
        if response is None:
            logger.debug("%s/%s does not exist", self.mount, path)
            return None
        return self._stored_secret(path, response)

    def read_many(
        self, environment: str, integrations: Iterable[str]
    ) -> dict[str, StoredSecret | None]:
        """Read the latest version of several integrations' secrets at once.

        One request per integration, sent concurrently over the one pool of
        connections. The result keeps the order of ``integrations``.
        """
        names = list(dict.fromkeys(integrations))
        for name in names:
            secret_path(environment, name, self.mount)
        if not names:
            return {}

        if len(names) == 1:
            return {names[0]: self.read(environment, names[0])}
        if self._readers is None:
            self._readers = ThreadPoolExecutor(
                MAX_PARALLEL_READS, thread_name_prefix="caldron-read"
            )
        results = self._readers.map(lambda name: self.read(environment, name), names)
        return dict(zip(names, results, strict=True))

    def write(
        self, environment: str, integration: str, data: dict[str, str], cas: int
    ) -> int:
        """Write ``data`` as a new version if the current one is still ``cas``.

        ``cas=0`` creates the secret. A secret that changed since it was read
        raises ``ConflictError``; nothing is re-read or overwritten. Returns the
        new version number.
        """
        path = secret_path(environment, integration, self.mount)
        check_secret_data(path, data)
        with self._translated(path):
            response = self.client.secrets.kv.v2.create_or_update_secret(
                path, secret=dict(data), cas=cas, mount_point=self.mount
            )
        version = int(response["data"]["version"])
        logger.debug("wrote %s/%s version %d", self.mount, path, version)
        return version

    def versions(self, environment: str, integration: str) -> list[VersionInfo]:
        """Return every version KV v2 keeps of a secret, oldest first."""
        path = secret_path(environment, integration, self.mount)
        with self._translated(path):
            response = self.client.secrets.kv.v2.read_secret_metadata(
                path, mount_point=self.mount
            )
        metadata = response["data"]
        current = int(metadata.get("current_version") or 0)
        return sorted(
            (
                VersionInfo(
                    version=int(number),
                    created_time=entry.get("created_time") or "",
                    deletion_time=entry.get("deletion_time") or None,
                    destroyed=bool(entry.get("destroyed")),
                    current=int(number) == current,
                )
                for number, entry in (metadata.get("versions") or {}).items()
            ),
            key=lambda info: info.version,
        )

    def read_version(
        self, environment: str, integration: str, version: int
    ) -> StoredSecret:
        """Return one version of a secret; ``NotFoundError`` if it is gone."""
        path = secret_path(environment, integration, self.mount)
        response = self._read_secret_version(path, version)
        if response is None:
            raise NotFoundError(
                f"version {version} of {self.mount}/{path} does not exist",
                hint="list the versions with `caldron secrets history`",
            )
        secret = self._stored_secret(path, response)
        if secret.deleted or secret.version != version:
            raise NotFoundError(
                f"version {version} of {self.mount}/{path} was deleted or destroyed",
                hint="list the versions that remain with `caldron secrets history`",
            )
        return secret

    def list_integrations(self, environment: str) -> list[str]:
        """Return the integrations that have a secret in ``environment``."""
        folder = environment_folder(environment)
        with self._translated(folder):
            try:
                response = self.client.secrets.kv.v2.list_secrets(
                    folder, mount_point=self.mount
                )
            except hvac.exceptions.InvalidPath:
                return []
        keys = response["data"].get("keys") or []
        return sorted(key for key in keys if not key.endswith("/"))

    def _read_secret_version(self, path: str, version: int | None = None):
        """Return Vault's answer for one version (latest when None) of ``path``;
        a deleted or destroyed version still answers with its metadata, a path
        never written answers None."""
        with self._translated(path):
            try:
                return self.client.secrets.kv.v2.read_secret_version(
                    path,
                    version=version,
                    mount_point=self.mount,
                    raise_on_deleted_version=True,
                )
            except hvac.exceptions.InvalidPath as error:
                body = error.json if isinstance(error.json, dict) else {}
                metadata = (body.get("data") or {}).get("metadata") or {}
                return body if metadata.get("version") else None

    def _translated(self, path: str):
        return self._translated_system(f"{self.mount}/{path}")

    def _translated_system(self, path: str):
        return translate_vault_errors(path, client=self.client, address=self.address)

    def _stored_secret(self, path: str, response: dict) -> StoredSecret:
        body = response.get("data") or {}
        metadata = body.get("metadata") or {}
        deleted = bool(metadata.get("deletion_time") or metadata.get("destroyed"))
        data = body.get("data") or {}
        if not deleted:
            check_secret_data(path, data)
        return StoredSecret(
            data=dict(data) if not deleted else {},
            version=int(metadata.get("version") or 0),
            created_time=metadata.get("created_time") or "",
            deleted=deleted,
        )

    def _check_mount_description(self, description: dict) -> None:
        found = (description.get("path") or "").rstrip("/")
        if found and found != self.mount:
            raise InvalidInputError(
                f"'{self.mount}' is a folder inside mount '{found}', not a mount",
                hint=f"set CALDRON_VAULT_MOUNT={found}; paths are relative to it",
            )
        self._check_kind(description.get("type"), description.get("options"))

    def _check_mount_in_table(self) -> None:
        try:
            with self._translated_system("sys/mounts"):
                mounts = self.client.sys.list_mounted_secrets_engines()["data"]
        except PermissionDeniedError:
            raise PermissionDeniedError(
                f"cannot use mount '{self.mount}' at {self.address}: it does not "
                "exist, or the token's policies do not reach it",
                hint="check CALDRON_VAULT_MOUNT and the token's policies",
            ) from None
        description = mounts.get(f"{self.mount}/")
        if description is None:
            raise NotFoundError(
                f"no mount '{self.mount}' in Vault at {self.address}",
                hint=f"enable it with `bao secrets enable -path={self.mount} kv-v2`, "
                "or set CALDRON_VAULT_MOUNT to an existing KV v2 mount",
            )
        self._check_kind(description.get("type"), description.get("options"))

    def _check_kind(self, kind: str | None, options: dict | None) -> None:
        version = (options or {}).get("version")
        if kind not in ("kv", "generic") or version != "2":
            found = f"kv version {version or 1}" if kind in ("kv", "generic") else kind
            raise InvalidInputError(
                f"mount '{self.mount}' is {found}, not KV version 2",
                hint="point CALDRON_VAULT_MOUNT at a KV v2 mount "
                "(`bao secrets enable -path=NAME kv-v2`)",
            )


def check_secret_data(path: str, data: dict) -> None:
    """Make sure a secret's data maps non-empty string keys to strings."""
    if not isinstance(data, dict):
        raise InvalidInputError(f"the data of {path} is not a map of keys to values")
    for key, value in data.items():
        if not isinstance(key, str) or not key:
            raise InvalidInputError(f"{path} has an empty or non-text key")
        if not isinstance(value, str):
            raise InvalidInputError(
                f"key {key} of {path} does not hold text",
                hint="caldron stores every value as a string",
            )


def open_store(settings) -> KvStore:
    """Open the KV v2 store that ``settings`` describe (no request is sent)."""
    from caldron.vault.connection import open_client

    return KvStore(open_client(settings), settings.mount)
