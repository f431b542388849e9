"""What a stack promises, read from its outputs: the resources to verify."""

from dataclasses import dataclass
from typing import Any

from caldron.errors import InvalidInputError
from caldron.stack_outputs import require_outputs
from caldron.verify.shapes import (
    ALARM_NAME,
    BACKUP_ID,
    BACKUP_VAULT_NAME,
    BUCKET_NAME,
    DISTRIBUTION_ID,
    DOMAIN_NAME,
    REGION,
    TOPIC_ARN,
    Shape,
)

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

        text = ShapedOutputs(outputs, stack)
        targets = cls(
            stack=stack,
            bucket_names=(
                text.get("storage_bucket_name", BUCKET_NAME),
                text.get("assets_bucket_name", BUCKET_NAME),
                text.get("logs_bucket_name", BUCKET_NAME),
            ),
            bucket_region=text.get_optional("storage_bucket_region", REGION),
            distribution_id=text.get("cdn_distribution_id", DISTRIBUTION_ID),
            cdn_domain_name=text.get("cdn_domain_name", DOMAIN_NAME),
            sender_domain=text.get("sender_domain", DOMAIN_NAME),
            alerts_topic_arn=text.get("alerts_topic_arn", TOPIC_ARN),
            alarm_names=text.get_list("alarm_names", ALARM_NAME),
            backups=BackupTargets(
                vault_name=text.get("backup_vault_name", BACKUP_VAULT_NAME),
                plan_id=text.get("backup_plan_id", BACKUP_ID),
                selection_id=text.get("backup_selection_id", BACKUP_ID),
            )
            if backups_exported
            else None,
        )
        text.refuse_problems()
        return targets


class ShapedOutputs:
    """Typed access to stack outputs that must be text of a given shape.

    Each getter notes what is wrong with its output instead of raising, so
    that ``refuse_problems`` can name every malformed output at once. Messages
    name outputs, never their values."""

    def __init__(self, outputs: dict[str, Any], stack: str) -> None:
        self.outputs = outputs
        self.stack = stack
        self.problems: list[str] = []

    def get(self, name: str, shape: Shape) -> str:
        """The output ``name``, which must be a string of ``shape``."""
        value = self.outputs.get(name)
        if not isinstance(value, str) or not value.strip():
            self.note(name, "is not a non-empty string")
            return ""
        if not shape.matches(value):
            self.note(name, f"is not {shape.description}")
        return value

    def get_optional(self, name: str, shape: Shape) -> str | None:
        """The output ``name`` if the stack sets it, else ``None``."""
        if self.outputs.get(name) is None:
            return None
        return self.get(name, shape)

    def get_list(self, name: str, shape: Shape) -> tuple[str, ...]:
        """The output ``name``, which must be a list of strings of ``shape``."""
        value = self.outputs.get(name)
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            self.note(name, "is not a list of non-empty strings")
            return ()
        malformed = [
            index for index, item in enumerate(value) if not shape.matches(item)
        ]
        if len(malformed) == 1:
            self.note(name, f"item {malformed[0]} is not {shape.description}")
        elif malformed:
            positions = ", ".join(str(index) for index in malformed)
            self.note(name, f"items {positions} are not {shape.description}")
        return tuple(value)

    def note(self, name: str, problem: str) -> None:
        """Remember that the output ``name`` has ``problem``."""
        self.problems.append(f"output {name} {problem}")

    def refuse_problems(self) -> None:
        """Raise ``InvalidInputError`` naming every malformed output, if any."""
        if self.problems:
            raise InvalidInputError(
                f"stack {self.stack} {'; '.join(self.problems)}",
                hint="check the outputs the Pulumi program exports",
            )
