"""Provisioning a Vault for caldron: mount, policies, auth methods and roles.

``bootstrap_environment`` brings one environment to the declared state and
reports each thing it created or changed; running it again changes nothing.
"""

from caldron.provisioning.bootstrap import (
    BootstrapOptions,
    Change,
    JwtOptions,
    bootstrap_environment,
)

__all__ = ["BootstrapOptions", "Change", "JwtOptions", "bootstrap_environment"]
