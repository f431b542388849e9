"""The Vault policies kept in ``secrets/policies``: one read and one write
policy per environment, written for the KV v2 mount named ``caldron``."""

import re
from dataclasses import dataclass
from pathlib import Path

from caldron.errors import InvalidInputError
from caldron.project import find_secrets_dir

DEFAULT_MOUNT = "caldron"
ROLES = ("read", "write")

_MOUNT_IN_PATH = re.compile(rf'(path\s+"){DEFAULT_MOUNT}/')


@dataclass(frozen=True)
class Policy:
    """A named policy and its HCL rules."""

    name: str
    rules: str


def policy_name(env: str, role: str) -> str:
    """Return the Vault name of an environment's ``read`` or ``write`` policy."""
    return f"caldron-{env}-{role}"


def load_environment_policies(
    env: str, *, mount: str = DEFAULT_MOUNT, policies_dir: Path | None = None
) -> tuple[Policy, ...]:
    """Load the read and write policies of ``env``, aimed at ``mount``.

    The files name the mount ``caldron``; for another mount name each ``path``
    line is rewritten to it, so one set of files serves every deployment.
    """
    folder = policies_dir or find_secrets_dir() / "policies"
    policies = []
    for role in ROLES:
        name = policy_name(env, role)
        path = folder / f"{name}.hcl"
        if not path.is_file():
            raise InvalidInputError(
                f"policy file {path} is missing",
                hint=f"restore it from the repository; every environment needs {role}",
            )
        rules = path.read_text(encoding="utf-8")
        policies.append(Policy(name, _aim_at_mount(rules, mount)))
    return tuple(policies)


def _aim_at_mount(rules: str, mount: str) -> str:
    if mount == DEFAULT_MOUNT:
        return rules
    return _MOUNT_IN_PATH.sub(lambda match: f"{match.group(1)}{mount}/", rules)
