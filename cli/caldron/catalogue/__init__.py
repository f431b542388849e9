"""The integration catalogue: every third-party service, its keys and docs.

``load_catalogue()`` reads and validates ``secrets/catalogue/*.yaml``; the
model classes say what each integration holds and how its values are checked.
"""

from caldron.catalogue.loader import load_catalogue
from caldron.catalogue.model import (
    CATEGORIES,
    STACK_OUTPUTS,
    Catalogue,
    Docs,
    Integration,
    KeySpec,
    Link,
    ModeRule,
)
from caldron.catalogue.validators import MAX_VALUE_BYTES, check_value_limits

__all__ = [
    "CATEGORIES",
    "MAX_VALUE_BYTES",
    "STACK_OUTPUTS",
    "Catalogue",
    "Docs",
    "Integration",
    "KeySpec",
    "Link",
    "ModeRule",
    "check_value_limits",
    "load_catalogue",
]
