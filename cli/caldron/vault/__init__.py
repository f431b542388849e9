"""caldron's access to Vault: settings, one pooled connection, the KV v2 store
of integration secrets, and the local OpenBao.

``open_store(VaultSettings.from_environment())`` is how a command reaches the
secrets; every failure it meets arrives as a ``caldron.errors.CaldronError``.
"""

from caldron.vault.settings import VaultSettings
from caldron.vault.store import KvStore, StoredSecret, VersionInfo, open_store

__all__ = ["KvStore", "StoredSecret", "VaultSettings", "VersionInfo", "open_store"]
