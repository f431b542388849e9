"""Typed settings of one stack, read once from its ``stacks/Pulumi.<env>.yaml``.

Every other module takes a ``Settings`` and never reads config itself, so a
missing or malformed value fails here, before any resource is declared, with
one message that names the key and the stack file.
"""

import difflib
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import pulumi
from pulumi.runtime import config as runtime_config

ENVIRONMENTS = ("dev", "staging", "prod")
PRICE_CLASSES = ("PriceClass_100", "PriceClass_200", "PriceClass_All")
DMARC_POLICIES = ("none", "quarantine", "reject")
VAULT_LOCK_MODES = ("none", "governance", "compliance")
# Every top-level key caldron reads from its namespace; anything else is a typo.
KNOWN_KEYS = (
    "region",
    "owner",
    "domain",
    "route53ZoneId",
    "storage",
    "cdn",
    "email",
    "backup",
    "alerts",
)


class _Form(NamedTuple):
    """The shape a text setting must have, and how to describe it."""

    pattern: re.Pattern
    described: str


_DOMAIN = _Form(
    re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"),
    "a lower-case domain name such as example.com",
)
_REGION = _Form(
    re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$"),
    "an AWS region code such as eu-west-1",
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SettingsError(Exception):
    """A stack setting is missing or invalid; the message names key and file."""


@dataclass(frozen=True)
class StorageSettings:
    """Buckets: who may upload from a browser, how long old data is kept."""

    cors_origins: tuple[str, ...]
    noncurrent_version_days: int
    log_retention_days: int
    access_logging: bool
    kms_key: bool


@dataclass(frozen=True)
class CdnSettings:
    """The CloudFront distribution in front of the assets bucket."""

    price_class: str
    custom_domain: str | None


@dataclass(frozen=True)
class EmailSettings:
    """The SES sending domain's published DMARC policy."""

    dmarc_policy: str


@dataclass(frozen=True)
class BackupSettings:
    """AWS Backup rules; the monthly rule, copy and lock are optional."""

    daily_retention_days: int
    monthly_retention_days: int | None
    cold_storage_after_days: int | None
    copy_region: str | None
    vault_lock: str


@dataclass(frozen=True)
class AlertSettings:
    """Who hears about trouble, and the thresholds that count as trouble."""

    emails: tuple[str, ...]
    cdn_5xx_error_rate_percent: float
    ses_bounce_rate: float
    ses_complaint_rate: float
    monthly_budget_usd: float


@dataclass(frozen=True)
class Settings:
    """Everything the program needs to know about one environment."""

    project: str
    environment: str
    region: str
    owner: str
    domain: str
    route53_zone_id: str | None
    storage: StorageSettings
    cdn: CdnSettings
    email: EmailSettings
    backup: BackupSettings
    alerts: AlertSettings

    @property
    def is_prod(self) -> bool:
        """Whether this stack is production."""
        return self.environment == "prod"


def stack_file_name(stack: str) -> str:
    """The path of a stack's settings file, relative to the project."""
    return f"stacks/Pulumi.{stack}.yaml"


def load_settings() -> Settings:
    """Read and check the current stack's settings."""
    project = pulumi.get_project()
    stack = pulumi.get_stack()
    reader = _Reader(project, stack)
    if stack not in ENVIRONMENTS:
        raise SettingsError(
            f"stack {stack!r} is not an environment caldron deploys; "
            f"name the stack one of: {', '.join(ENVIRONMENTS)}"
        )
    reader.refuse_unknown()

    region = reader.text("region", form=_REGION)
    settings = Settings(
        project=project,
        environment=stack,
        region=region,
        owner=reader.text("owner"),
        domain=reader.text("domain", form=_DOMAIN),
        route53_zone_id=reader.optional_text("route53ZoneId"),
        storage=_read_storage(reader.section("storage")),
        cdn=_read_cdn(reader.section("cdn")),
        email=EmailSettings(
            dmarc_policy=reader.section("email").choice("dmarcPolicy", DMARC_POLICIES)
        ),
        backup=_read_backup(reader.section("backup"), region),
        alerts=_read_alerts(reader.section("alerts")),
    )

    if settings.cdn.custom_domain and not settings.route53_zone_id:
        raise reader.error(
            "cdn.customDomain",
            "needs caldron:route53ZoneId to validate its certificate",
        )
    _require_protections(settings, reader)
    return settings


class _Protection(NamedTuple):
    """A safeguard some environments must keep switched on."""

    key: str
    environments: tuple[str, ...]
    problem: str
    is_on: Callable[[Settings], bool]


# What issue 3 promises for staging and prod. The cross-region copy is
# checked by the policy pack, which sees the plan the program builds.
PROTECTIONS = (
    _Protection(
        "storage.accessLogging",
        ("staging", "prod"),
        "must be true in {env}: staging and prod keep S3 access logs",
        lambda s: s.storage.access_logging,
    ),
    _Protection(
        "storage.kmsKey",
        ("prod",),
        "must be true in {env}: prod buckets are encrypted with their own KMS key",
        lambda s: s.storage.kms_key,
    ),
    _Protection(
        "backup.coldStorageAfterDays",
        ("prod",),
        "is required in {env}: prod moves its monthly backups to cold storage",
        lambda s: s.backup.cold_storage_after_days is not None,
    ),
    _Protection(
        "backup.vaultLock",
        ("prod",),
        "must be governance or compliance in {env}: prod locks its backup vaults",
        lambda s: s.backup.vault_lock != "none",
    ),
)


def _require_protections(settings: Settings, reader: "_Reader") -> None:
    for protection in PROTECTIONS:
        env = settings.environment
        if env in protection.environments and not protection.is_on(settings):
            raise reader.error(protection.key, protection.problem.format(env=env))


def _read_storage(section: "_Section") -> StorageSettings:
    origins = section.text_list("corsOrigins")
    for origin in origins:
        if not origin.startswith("https://"):
            raise section.error(
                "corsOrigins", f"holds {origin!r}; use https:// origins"
            )
    settings = StorageSettings(
        cors_origins=origins,
        noncurrent_version_days=section.integer("noncurrentVersionDays", minimum=1),
        log_retention_days=section.integer("logRetentionDays", minimum=1),
        access_logging=section.flag("accessLogging"),
        kms_key=section.flag("kmsKey"),
    )
    section.refuse_unknown()
    return settings


def _read_cdn(section: "_Section") -> CdnSettings:
    settings = CdnSettings(
        price_class=section.choice("priceClass", PRICE_CLASSES),
        custom_domain=section.optional_text("customDomain", form=_DOMAIN),
    )
    section.refuse_unknown()
    return settings


def _read_backup(section: "_Section", region: str) -> BackupSettings:
    settings = BackupSettings(
        daily_retention_days=section.integer("dailyRetentionDays", minimum=1),
        monthly_retention_days=section.optional_integer(
            "monthlyRetentionDays", minimum=1
        ),
        cold_storage_after_days=section.optional_integer(
            "coldStorageAfterDays", minimum=1
        ),
        copy_region=section.optional_text("copyRegion", form=_REGION),
        vault_lock=section.choice("vaultLock", VAULT_LOCK_MODES),
    )
    section.refuse_unknown()

    if settings.copy_region == region:
        raise section.error("copyRegion", "must differ from caldron:region")
    if settings.cold_storage_after_days is not None:
        if settings.monthly_retention_days is None:
            raise section.error("coldStorageAfterDays", "needs monthlyRetentionDays")
        if settings.monthly_retention_days < settings.cold_storage_after_days + 90:
            raise section.error(
                "monthlyRetentionDays",
                "must be at least coldStorageAfterDays + 90 (AWS keeps cold "
                "backups 90 days at least)",
            )
    return settings


def _read_alerts(section: "_Section") -> AlertSettings:
    emails = section.text_list("emails")
    for email in emails:
        if not _EMAIL.match(email):
            raise section.error("emails", f"holds {email!r}, not an email address")
    settings = AlertSettings(
        emails=emails,
        cdn_5xx_error_rate_percent=section.number(
            "cdn5xxErrorRatePercent", low=0, high=100
        ),
        ses_bounce_rate=section.number("sesBounceRate", low=0, high=1),
        ses_complaint_rate=section.number("sesComplaintRate", low=0, high=1),
        monthly_budget_usd=section.number("monthlyBudgetUsd", low=0, high=None),
    )
    section.refuse_unknown()
    return settings


class _Reader:
    """Reads top-level keys of the project's namespace from the stack config."""

    def __init__(self, project: str, stack: str) -> None:
        self.project = project
        self.stack_file = stack_file_name(stack)
        self.config = pulumi.Config(project)

    def refuse_unknown(self) -> None:
        """Fail on a key in the project's namespace that caldron never reads:
        almost always a typo, which would otherwise be silently ignored."""
        prefix = f"{self.project}:"
        unknown = sorted(
            key.removeprefix(prefix)
            for key in _configured_keys()
            if key.startswith(prefix) and key.removeprefix(prefix) not in KNOWN_KEYS
        )
        if unknown:
            raise self.error(unknown[0], _unknown_problem(unknown[0], KNOWN_KEYS))

    def error(self, key: str, problem: str) -> SettingsError:
        """An error naming ``key`` (relative to the namespace) and the file."""
        return SettingsError(f"{self.stack_file}: {self.project}:{key} {problem}")

    def optional_text(self, key: str, form: _Form | None = None) -> str | None:
        """A plain string setting, or ``None`` when it is not set."""
        value = self.config.get(key)
        if value is None:
            return None
        return _check_text(value, form, lambda problem: self.error(key, problem))

    def text(self, key: str, form: _Form | None = None) -> str:
        """A plain string setting that must be present."""
        value = self.optional_text(key, form)
        if value is None:
            raise self.error(key, "is missing; add it to the stack file")
        return value

    def section(self, key: str) -> "_Section":
        """A structured setting (a YAML mapping) that must be present."""
        raw = self.config.get(key)
        if raw is None:
            raise self.error(key, "is missing; add it to the stack file")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        if not isinstance(value, dict):
            raise self.error(key, "must be a mapping of settings")
        return _Section(self, key, value)


class _Section:
    """The fields of one structured setting, checked one by one."""

    def __init__(self, reader: _Reader, key: str, values: dict[str, Any]) -> None:
        self.reader = reader
        self.key = key
        self.values = values
        self.read: set[str] = set()

    def error(self, field: str, problem: str) -> SettingsError:
        """An error naming ``section.field`` and the stack file."""
        return self.reader.error(f"{self.key}.{field}", problem)

    def refuse_unknown(self) -> None:
        """Fail on a field nobody reads: almost always a typo."""
        unknown = sorted(set(self.values) - self.read)
        if unknown:
            raise self.error(unknown[0], _unknown_problem(unknown[0], self.read))

    def _get(self, field: str, required: bool) -> Any:
        self.read.add(field)
        value = self.values.get(field)
        if value is None and required:
            raise self.error(field, "is missing; add it to the stack file")
        return value

    def optional_text(self, field: str, form: _Form | None = None) -> str | None:
        """A string field, or ``None``."""
        value = self._get(field, required=False)
        if value is None:
            return None
        return _check_text(value, form, lambda problem: self.error(field, problem))

    def choice(self, field: str, allowed: tuple[str, ...]) -> str:
        """A string field limited to ``allowed``."""
        value = self._get(field, required=True)
        if value not in allowed:
            raise self.error(field, f"must be one of: {', '.join(allowed)}")
        return value

    def flag(self, field: str) -> bool:
        """A true/false field."""
        value = self._get(field, required=True)
        if not isinstance(value, bool):
            raise self.error(field, "must be true or false")
        return value

    def optional_integer(self, field: str, minimum: int) -> int | None:
        """A whole number of at least ``minimum``, or ``None``."""
        value = self._get(field, required=False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(field, "must be a whole number")
        if value < minimum:
            raise self.error(field, f"must be at least {minimum}")
        return value

    def integer(self, field: str, minimum: int) -> int:
        """A whole number of at least ``minimum`` that must be present."""
        self._get(field, required=True)
        return self.optional_integer(field, minimum)

    def number(self, field: str, low: float, high: float | None) -> float:
        """A number within ``low`` and ``high`` (inclusive)."""
        value = self._get(field, required=True)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(field, "must be a number")
        if not math.isfinite(value):
            raise self.error(field, "must be a finite number")
        if value < low:
            raise self.error(field, f"must be at least {low}")
        if high is not None and value > high:
            raise self.error(field, f"must be at most {high}")
        return float(value)

    def text_list(self, field: str) -> tuple[str, ...]:
        """A list of strings (possibly empty)."""
        value = self._get(field, required=True)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(field, "must be a list of strings")
        return tuple(value)


def _configured_keys() -> set[str]:
    """Every config key of the stack: those set in the SDK (mocks, automation)
    and those the language host passes in ``PULUMI_CONFIG``."""
    return set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())


def _unknown_problem(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    if close:
        return f"is not a known setting; did you mean {close[0]}?"
    return f"is not a known setting; the known ones are: {', '.join(sorted(known))}"


def _check_text(
    value: Any, form: _Form | None, error: Callable[[str], SettingsError]
) -> str:
    if not isinstance(value, str) or not value:
        raise error("must be a non-empty string")
    if form is not None and not form.pattern.match(value):
        raise error(f"has the wrong form; write {form.described}")
    return value
