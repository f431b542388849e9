"""Backup checks: the AWS Backup vault, plan and selection exist."""

from collections.abc import Iterator
from typing import Any

from caldron.verify.aws import AwsClients, fetch
from caldron.verify.results import CheckResult, failed, passed
from caldron.verify.targets import BackupTargets, StackTargets

NOT_FOUND = "ResourceNotFoundException"


def check_backups(targets: StackTargets, clients: AwsClients) -> Iterator[CheckResult]:
    """Check the vault, plan and selection the stack exports, if it exports
    any (a stack may run without AWS Backup)."""
    if targets.backups is None:
        return
    backup = clients.client("backup")
    yield check_vault(backup, targets.backups)
    yield check_plan(backup, targets.backups)
    yield check_selection(backup, targets.backups)


def check_vault(backup: Any, backups: BackupTargets) -> CheckResult:
    """The backup vault exists."""
    name = backups.vault_name
    if fetch(backup.describe_backup_vault, NOT_FOUND, BackupVaultName=name) is None:
        return failed("backup-vault", name, "backup vault does not exist")
    return passed("backup-vault", name, "backup vault exists")


def check_plan(backup: Any, backups: BackupTargets) -> CheckResult:
    """The backup plan exists and at least one rule stores into the vault."""
    plan_id = backups.plan_id
    response = fetch(backup.get_backup_plan, NOT_FOUND, BackupPlanId=plan_id)
    if response is None:
        return failed("backup-plan", plan_id, "backup plan does not exist")

    if response.get("DeletionDate"):
        return failed("backup-plan", plan_id, "backup plan has been deleted")

    plan = response["BackupPlan"]
    targets = {rule.get("TargetBackupVaultName") for rule in plan.get("Rules", [])}
    if backups.vault_name not in targets:
        return failed(
            "backup-plan",
            plan_id,
            f"no rule of plan {plan['BackupPlanName']} stores into vault "
            f"{backups.vault_name}",
        )
    return passed(
        "backup-plan",
        plan_id,
        f"plan {plan['BackupPlanName']} stores into vault {backups.vault_name}",
    )


def check_selection(backup: Any, backups: BackupTargets) -> CheckResult:
    """The backup selection exists within the plan."""
    selection_id = backups.selection_id
    response = fetch(
        backup.get_backup_selection,
        NOT_FOUND,
        BackupPlanId=backups.plan_id,
        SelectionId=selection_id,
    )
    if response is None:
        return failed(
            "backup-selection",
            selection_id,
            f"backup selection does not exist in plan {backups.plan_id}",
        )
    name = response["BackupSelection"]["SelectionName"]
    return passed("backup-selection", selection_id, f"selection {name} exists")
