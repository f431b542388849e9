"""caldron's access to Vault: settings, one pooled connection, the KV v2 store
of integration secrets, and the local OpenBao.

``open_store(VaultSettings.from_environment())`` is how a command reaches the
secrets; every failure it meets arrives as a ``caldron.errors.CaldronError``.
The names below load on first use, so that ``caldron --help`` and the local
server commands do not import hvac and requests.
"""

import importlib

_LAZY_NAMES = {
    "KvStore": "caldron.vault.store",
    "StoredSecret": "caldron.vault.store",  # pragma: allowlist secret
    "VersionInfo": "caldron.vault.store",
    "open_store": "caldron.vault.store",
    "VaultSettings": "caldron.vault.settings",
}

__all__ = sorted(_LAZY_NAMES)


def __getattr__(name: str):
    module = _LAZY_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
