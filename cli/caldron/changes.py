"""Plan and apply changes to an environment's secrets in Vault.

``secrets push``, ``secrets sync-outputs`` and ``secrets rollback`` all come
down to the same steps: validate the new values against the catalogue, compare
them with what Vault holds key by key, show that comparison by key name only,
and write each integration that changes with check-and-set against the
version that was read.
"""

import logging
from dataclasses import dataclass, field

from caldron.errors import InvalidInputError
from caldron.key_names import printable_key_name

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IntegrationChange:
    """What one integration's secret will become; keys only in the summary."""

    slug: str
    current_version: int
    current: dict[str, str]
    desired: dict[str, str]

    @property
    def added(self) -> list[str]:
        return sorted(set(self.desired) - set(self.current))

    @property
    def removed(self) -> list[str]:
        return sorted(set(self.current) - set(self.desired))

    @property
    def changed(self) -> list[str]:
        both = set(self.desired) & set(self.current)
        return sorted(key for key in both if self.desired[key] != self.current[key])

    @property
    def unchanged(self) -> list[str]:
        both = set(self.desired) & set(self.current)
        return sorted(key for key in both if self.desired[key] == self.current[key])

    @property
    def is_change(self) -> bool:
        return self.desired != self.current


@dataclass
class ChangePlan:
    """Every integration a push touches, in catalogue order."""

    environment: str
    changes: list[IntegrationChange] = field(default_factory=list)

    @property
    def pending(self) -> list[IntegrationChange]:
        return [change for change in self.changes if change.is_change]


def check_values(catalogue, environment: str, values: dict[str, str]) -> None:
    """Validate every value against its catalogue key; report all bad keys."""
    problems = []
    for key, value in values.items():
        try:
            catalogue.key(key).check_value(value, environment)
        except InvalidInputError as error:
            problems.append(error)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InvalidInputError(
            "; ".join(problem.message for problem in problems),
            hint="fix these keys in the source and push again",
        )


def group_by_integration(catalogue, values: dict[str, str]) -> dict[str, dict]:
    """Split flat ``{KEY: value}`` pairs into ``{slug: {KEY: value}}``."""
    grouped: dict[str, dict[str, str]] = {}
    for key, value in values.items():
        slug = catalogue.integration_for_key(key).slug
        grouped.setdefault(slug, {})[key] = value
    return grouped


def plan_changes(
    catalogue,
    environment: str,
    grouped: dict[str, dict[str, str]],
    stored: dict,
    *,
    replace: bool = False,
) -> ChangePlan:
    """Compare the new values with what Vault holds, integration by integration.

    By default new values are merged into the stored secret; with ``replace``
    the new values become the whole secret, so stored keys they lack go.
    """
    plan = ChangePlan(environment)
    for integration in catalogue.integrations:
        if integration.slug not in grouped:
            continue
        secret = stored.get(integration.slug)
        current = dict(secret.data) if secret is not None else {}
        version = secret.version if secret is not None else 0
        desired = {} if replace else dict(current)
        desired.update(grouped[integration.slug])
        plan.changes.append(
            IntegrationChange(integration.slug, version, current, desired)
        )
    return plan


def apply_plan(store, plan: ChangePlan, report=None) -> dict[str, int]:
    """Write each pending change with check-and-set; return the new versions.

    ``report(change, new_version)`` is called after each write, so a caller can
    tell the user what is already stored if a later write fails.
    """
    written = {}
    for change in plan.pending:
        version = store.write(
            plan.environment, change.slug, change.desired, cas=change.current_version
        )
        logger.debug("wrote %s/%s version %s", plan.environment, change.slug, version)
        written[change.slug] = version
        if report is not None:
            report(change, version)
    return written


def describe_plan(plan: ChangePlan) -> list[str]:
    """Lines that show the plan by key name: ``+`` added, ``~`` changed,
    ``=`` unchanged, ``-`` removed. Values never appear."""
    lines = []
    for change in plan.changes:
        path = f"{plan.environment}/{change.slug}"
        if not change.is_change:
            lines.append(f"{path}: unchanged (version {change.current_version})")
        elif change.current_version == 0:
            lines.append(f"{path}: new secret")
        else:
            lines.append(
                f"{path}: version {change.current_version} -> "
                f"{change.current_version + 1}"
            )
        for mark, keys in (
            ("+", change.added),
            ("~", change.changed),
            ("-", change.removed),
            ("=", change.unchanged),
        ):
            lines.extend(f"  {mark} {printable_key_name(key)}" for key in keys)
    return lines
