"""What the integration catalogue holds: integrations, their keys and docs.

The catalogue is read-only once loaded. Each integration lives in Vault at
``<env>/<slug>`` and renders to the environment variables its keys name.
"""

import re
from dataclasses import dataclass
from types import MappingProxyType

from caldron.catalogue.validators import Validator, Violation, check_value_limits
from caldron.errors import InvalidInputError
from caldron.key_names import printable_key_name

CATEGORIES = MappingProxyType(
    {
        "payments": "Payment gateways",
        "communication": "Communication",
        "storage": "Storage",
        "authentication": "Authentication",
        "analytics": "Analytics and monitoring",
    }
)

STACK_OUTPUTS = (
    "storage_bucket_name",
    "storage_bucket_region",
    "assets_bucket_name",
    "cdn_domain_name",
    "cdn_distribution_id",
    "smtp_host",
    "smtp_port",
    "smtp_username",
    "smtp_password",
    "sender_domain",
    "alerts_topic_arn",
    "backup_vault_name",
)

PRODUCTION = "prod"


@dataclass(frozen=True)
class ModeRule:
    """Tells live values from test ones, so each stays on its side of prod.

    A value matching ``live`` is refused outside prod; a value matching
    ``test`` is refused in prod.
    """

    live: str
    test: str

    def check(self, value: str, environment: str) -> None:
        if environment == PRODUCTION and re.match(self.test, value):
            raise Violation("a test or sandbox value is refused in prod")
        if environment != PRODUCTION and re.match(self.live, value):
            raise Violation(f"a live value is refused in {environment}; only prod")


@dataclass(frozen=True)
class KeySpec:
    """One environment variable of an integration and the rules for its value."""

    name: str
    integration: str
    secret: bool
    required_in: frozenset[str]
    source_output: str | None
    validator: Validator
    description: str
    example: str
    mode: ModeRule | None = None

    def is_required(self, environment: str) -> bool:
        """Whether ``environment`` must hold a value for this key."""
        return environment in self.required_in

    def check_format(self, value: str) -> None:
        """Check the value's size and format, whatever the environment."""
        check_value_limits(self.name, value)
        try:
            self.validator.check(value)
        except Violation as violation:
            raise InvalidInputError(
                f"{self.name}: the value {violation.rule}",
                hint=f"expected {self.validator.describe()}",
            ) from None

    def check_value(self, value: str, environment: str) -> None:
        """Check ``value`` for ``environment``; the error names key and rule."""
        self.check_format(value)
        self.check_mode(value, environment)

    def check_mode(self, value: str, environment: str) -> None:
        """Refuse a live value outside prod and a test value in prod."""
        if self.mode is None:
            return
        try:
            self.mode.check(value, environment)
        except Violation as violation:
            raise InvalidInputError(
                f"{self.name}: {violation.rule}",
                hint="use test credentials outside prod and live ones in prod",
            ) from None

    @property
    def source(self) -> str:
        """Where the value comes from, in words: an operator or a stack output."""
        if self.source_output is None:
            return "operator"
        return f"stack output `{self.source_output}`"


@dataclass(frozen=True)
class Link:
    """A reference for an integration page."""

    title: str
    url: str


@dataclass(frozen=True)
class Docs:
    """The prose of an integration page; configuration is generated from keys."""

    overview: str
    configuration: str
    authentication: str
    endpoints: str
    rate_limits: str
    error_handling: str
    testing: str
    monitoring: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Integration:
    """A third-party service the platform uses, stored at ``<env>/<slug>``."""

    slug: str
    category: str
    kind: str
    title: str
    keys: tuple[KeySpec, ...]
    docs: Docs
    source_file: str

    def key(self, name: str) -> KeySpec:
        """The key called ``name``; ``InvalidInputError`` if this has none."""
        for spec in self.keys:
            if spec.name == name:
                return spec
        raise InvalidInputError(
            f"integration {self.slug} has no key {printable_key_name(name)}"
        )

    def vault_path(self, environment: str) -> str:
        """The secret's path inside the KV mount, e.g. ``dev/stripe``."""
        return f"{environment}/{self.slug}"

    @property
    def category_title(self) -> str:
        return CATEGORIES[self.category]


@dataclass(frozen=True)
class Catalogue:
    """Every integration, in category order and then in file order."""

    integrations: tuple[Integration, ...]

    def __post_init__(self) -> None:
        by_slug = {integration.slug: integration for integration in self.integrations}
        by_key = {
            spec.name: integration
            for integration in self.integrations
            for spec in integration.keys
        }
        object.__setattr__(self, "_by_slug", by_slug)
        object.__setattr__(self, "_by_key", by_key)

    def get(self, slug: str) -> Integration:
        """The integration ``slug``; ``InvalidInputError`` if it is unknown."""
        try:
            return self._by_slug[slug]
        except KeyError:
            raise InvalidInputError(
                f"unknown integration {slug}",
                hint="run `caldron docs` or see docs/integrations/ for the list",
            ) from None

    def integration_for_key(self, key: str) -> Integration:
        """The integration that owns environment variable ``key``."""
        try:
            return self._by_key[key]
        except KeyError:
            raise InvalidInputError(
                f"unknown key {printable_key_name(key)}",
                hint="every key must be declared in secrets/catalogue/",
            ) from None

    def key(self, name: str) -> KeySpec:
        """The ``KeySpec`` of environment variable ``name``."""
        return self.integration_for_key(name).key(name)

    def key_specs(self) -> tuple[KeySpec, ...]:
        """Every key of every integration, in catalogue order."""
        return tuple(
            spec for integration in self.integrations for spec in integration.keys
        )

    def in_category(self, category: str) -> tuple[Integration, ...]:
        """The integrations of ``category``, in catalogue order."""
        return tuple(item for item in self.integrations if item.category == category)
