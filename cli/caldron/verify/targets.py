"""What a stack promises, read from its outputs: the resources to verify."""

from dataclasses import dataclass
from typing import Any

from caldron.errors import InvalidInputError
from caldron.stack_outputs import require_outputs

REQUIRED_OUTPUTS = (
    "storage_bucket_name",
    "assets_bucket_name",
    "logs_bucket_name",
    "cdn_distribution_id",
    "cdn_domain_name",
    "sender_domain",
    "alerts_topic_arn",
    "alarm_names",
)
BACKUP_OUTPUTS = ("backup_vault_name", "backup_plan_id", "backup_selection_id")


@dataclass(frozen=True)
class BackupTargets:
    """The AWS Backup vault, plan and selection a stack exports."""

    vault_name: str
    plan_id: str
    selection_id: str


@dataclass(frozen=True)
class StackTargets:
    """The resources one stack's outputs name, checked for shape up front so
    that no AWS call is made for outputs that cannot be right."""

    stack: str
    bucket_names: tuple[str, ...]
    bucket_region: str | None
    distribution_id: str
    cdn_domain_name: str
    sender_domain: str
    alerts_topic_arn: str
    alarm_names: tuple[str, ...]
    backups: BackupTargets | None

    @classmethod
    def from_outputs(cls, outputs: dict[str, Any], stack: str) -> "StackTargets":
        """Build the targets from stack outputs; raise ``InvalidInputError``
        naming each missing or malformed output. Backups are optional (a stack
        may run without AWS Backup) but, once any backup output is set, all
        three are required."""
        require_outputs(outputs, REQUIRED_OUTPUTS, stack)
        backups_exported = any(outputs.get(name) is not None for name in BACKUP_OUTPUTS)
        if backups_exported:
            require_outputs(outputs, BACKUP_OUTPUTS, stack)

        text = TextOutputs(outputs, stack)
        return cls(
            stack=stack,
            bucket_names=(
                text.get("storage_bucket_name"),
                text.get("assets_bucket_name"),
                text.get("logs_bucket_name"),
            ),
            bucket_region=text.get_optional("storage_bucket_region"),
            distribution_id=text.get("cdn_distribution_id"),
            cdn_domain_name=text.get("cdn_domain_name"),
            sender_domain=text.get("sender_domain"),
            alerts_topic_arn=text.get("alerts_topic_arn"),
            alarm_names=text.get_list("alarm_names"),
            backups=BackupTargets(
                vault_name=text.get("backup_vault_name"),
                plan_id=text.get("backup_plan_id"),
                selection_id=text.get("backup_selection_id"),
            )
            if backups_exported
            else None,
        )


class TextOutputs:
    """Typed access to stack outputs that must be non-empty text."""

    def __init__(self, outputs: dict[str, Any], stack: str) -> None:
        self.outputs = outputs
        self.stack = stack

    def get(self, name: str) -> str:
        """The output ``name``, which must be a non-empty string."""
        value = self.outputs.get(name)
        if not isinstance(value, str) or not value.strip():
            self.refuse(name, "is not a non-empty string")
        return value

    def get_optional(self, name: str) -> str | None:
        """The output ``name`` if the stack sets it, else ``None``."""
        if self.outputs.get(name) is None:
            return None
        return self.get(name)

    def get_list(self, name: str) -> tuple[str, ...]:
        """The output ``name``, which must be a list of non-empty strings."""
        value = self.outputs.get(name)
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            self.refuse(name, "is not a list of non-empty strings")
        return tuple(value)

    def refuse(self, name: str, problem: str) -> None:
        """Raise ``InvalidInputError`` for the output ``name``."""
        raise InvalidInputError(
            f"stack {self.stack} output {name} {problem}",
            hint="check the outputs the Pulumi program exports",
        )
