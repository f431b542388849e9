"""Backups: an AWS Backup vault, a plan that follows the environment, a selection.

Every environment keeps daily recovery points for a short while. Production
adds a monthly rule whose points move to cold storage, copies every point to
a vault in a second region, and locks its vaults in governance mode; the
irreversible compliance mode is used only when the stack asks for it. The
selection picks every resource tagged for backup.
"""

import pulumi
import pulumi_aws as aws

from caldron_infra.encryption import create_key, policy_document
from caldron_infra.settings import Settings
from caldron_infra.tags import BACKUP_TAG_KEY, tags_for

DAILY_SCHEDULE = "cron(0 3 * * ? *)"
MONTHLY_SCHEDULE = "cron(0 4 1 * ? *)"
COMPLIANCE_GRACE_DAYS = 3
BACKUP_ROLE_POLICIES = [
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
]


class Backups(pulumi.ComponentResource):
    """The backup vault(s), plan, selection and the role backups run as."""

    vault: aws.backup.Vault
    plan: aws.backup.Plan
    selection: aws.backup.Selection

    def __init__(
        self,
        name: str,
        settings: Settings,
        account_id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("caldron:backups:Backups", name, None, opts)
        self.settings = settings
        self.account_id = account_id
        self.prefix = f"caldron-{settings.environment}"
        backup = settings.backup

        self.vault = self._create_vault("primary", region=None)
        copy_vault = (
            self._create_vault("copy", region=backup.copy_region)
            if backup.copy_region
            else None
        )

        self.plan = aws.backup.Plan(
            "plan",
            name=f"{self.prefix}-plan",
            rules=self._plan_rules(copy_vault),
            tags=tags_for(settings),
            opts=self._child(),
        )
        self.selection = aws.backup.Selection(
            "tagged-for-backup",
            name=f"{self.prefix}-tagged",
            plan_id=self.plan.id,
            iam_role_arn=self._create_backup_role().arn,
            resources=["*"],
            selection_tags=[
                {"type": "STRINGEQUALS", "key": BACKUP_TAG_KEY, "value": "true"}
            ],
            opts=self._child(),
        )

        if backup.vault_lock != "none":
            self._lock_vault("primary", self.vault, region=None)
            if copy_vault is not None:
                self._lock_vault("copy", copy_vault, region=backup.copy_region)

        self.register_outputs(
            {
                "vault_name": self.vault.name,
                "plan_id": self.plan.id,
                "selection_id": self.selection.id,
            }
        )

    def _child(
        self, parent: pulumi.Resource | None = None, **extra
    ) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=parent or self, **extra)

    @property
    def retention_days(self) -> tuple[int, int]:
        """The shortest and longest retention of any rule, in days."""
        backup = self.settings.backup
        kept = [backup.daily_retention_days]
        if backup.monthly_retention_days:
            kept.append(backup.monthly_retention_days)
        return min(kept), max(kept)

    def _create_vault(self, label: str, region: str | None) -> aws.backup.Vault:
        key = create_key(
            f"backup-{label}",
            description=f"{self.prefix} {label} backup vault encryption",
            account_id=self.account_id,
            settings=self.settings,
            opts=self._child(),
            region=region,
        )
        return aws.backup.Vault(
            label,
            name=f"{self.prefix}-{label}",
            kms_key_arn=key.arn,
            force_destroy=not self.settings.is_prod,
            region=region,
            tags=tags_for(self.settings),
            opts=self._child(),
        )

    def _plan_rules(self, copy_vault: aws.backup.Vault | None) -> list[dict]:
        backup = self.settings.backup
        daily_lifecycle = {"delete_after": backup.daily_retention_days}
        rules = [
            self._rule("daily", DAILY_SCHEDULE, daily_lifecycle, copy_vault),
        ]
        if backup.monthly_retention_days:
            monthly_lifecycle = {"delete_after": backup.monthly_retention_days}
            if backup.cold_storage_after_days:
                monthly_lifecycle["cold_storage_after"] = backup.cold_storage_after_days
                monthly_lifecycle["opt_in_to_archive_for_supported_resources"] = True
            rules.append(
                self._rule("monthly", MONTHLY_SCHEDULE, monthly_lifecycle, copy_vault)
            )
        return rules

    def _rule(
        self,
        name: str,
        schedule: str,
        lifecycle: dict,
        copy_vault: aws.backup.Vault | None,
    ) -> dict:
        rule = {
            "rule_name": name,
            "target_vault_name": self.vault.name,
            "schedule": schedule,
            "start_window": 60,
            "completion_window": 360,
            "lifecycle": lifecycle,
            "recovery_point_tags": tags_for(self.settings, rule=name),
        }
        if copy_vault is not None:
            rule["copy_actions"] = [
                {"destination_vault_arn": copy_vault.arn, "lifecycle": lifecycle}
            ]
        return rule

    def _create_backup_role(self) -> aws.iam.Role:
        role = aws.iam.Role(
            "backup",
            name=f"{self.prefix}-backup",
            assume_role_policy=policy_document(
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "backup.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ),
            tags=tags_for(self.settings),
            opts=self._child(),
        )
        for index, policy_arn in enumerate(BACKUP_ROLE_POLICIES, start=1):
            aws.iam.RolePolicyAttachment(
                f"backup-{index}",
                role=role.name,
                policy_arn=policy_arn,
                opts=self._child(parent=role),
            )
        return role

    def _lock_vault(
        self, label: str, vault: aws.backup.Vault, region: str | None
    ) -> None:
        shortest, longest = self.retention_days
        compliance = self.settings.backup.vault_lock == "compliance"
        # Without a grace period the lock stays in governance mode; with one it
        # becomes compliance mode, which nobody can undo once the grace ends.
        grace = COMPLIANCE_GRACE_DAYS if compliance else None
        aws.backup.VaultLockConfiguration(
            label,
            backup_vault_name=vault.name,
            min_retention_days=shortest,
            max_retention_days=longest,
            changeable_for_days=grace,
            region=region,
            opts=self._child(parent=vault),
        )
