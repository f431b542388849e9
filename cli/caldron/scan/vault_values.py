"""The secret values of an environment, fetched from Vault and kept as hashes."""

import logging

from caldron.errors import CaldronError
from caldron.scan.known_values import KnownValues

logger = logging.getLogger(__name__)


def load_known_values(store, environment: str) -> KnownValues:
    """Read every secret of ``environment`` and keep its values as hashes.

    Keys the catalogue marks as not secret (a region, a port) are left out;
    keys it does not know are treated as secret. The plain values live only
    inside this function.
    """
    is_secret = _secret_key_check()
    known = KnownValues()
    integrations = store.list_integrations(environment)
    for integration, stored in store.read_many(environment, integrations).items():
        if stored is None:
            continue
        for key, value in stored.data.items():
            if is_secret(integration, key):
                known.add(value, f"known {environment} value ({integration}: {key})")
    logger.debug(
        "caldron scan: %d known value pieces from %d integrations of %s",
        len(known),
        len(integrations),
        environment,
    )
    return known


def _secret_key_check():
    from caldron.catalogue import load_catalogue

    try:
        catalogue = load_catalogue()
    except CaldronError as error:
        logger.debug("caldron scan: no catalogue (%s); every key counts", error)
        return lambda integration, key: True

    def is_secret(integration: str, key: str) -> bool:
        try:
            return catalogue.get(integration).key(key).secret
        except CaldronError:
            return True

    return is_secret
