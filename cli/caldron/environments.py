"""The environments caldron knows, and the check every command makes on them."""

from caldron.errors import UsageError

DEPLOYED_ENVIRONMENTS = ("dev", "staging", "prod")
ENVIRONMENTS = ("local", *DEPLOYED_ENVIRONMENTS)


def check_environment(name: str) -> str:
    """Return ``name`` if it is a known environment, else raise ``UsageError``."""
    if name not in ENVIRONMENTS:
        known = ", ".join(ENVIRONMENTS)
        raise UsageError(f"unknown environment {name!r}; use one of: {known}")
    return name
