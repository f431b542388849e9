"""``caldron verify`` against a moto account: compliant, then one fault at a time."""

import json

import pytest
from moto_account import ALARMS, BUCKETS, CDN_ALARM, SELECTION_ID

COMPLIANT_CHECKS = 3 * 4 + 4 + 2 + 3 + len(ALARMS) + 1 + 1


def test_compliant_account_passes_every_check(account, run_verify):
    result = run_verify(account.outputs)

    lines = result.stdout.splitlines()
    assert result.exit_code == 0, result.output + result.stderr
    assert lines[-1] == f"{COMPLIANT_CHECKS} checks, 0 failed"
    assert len(lines) == COMPLIANT_CHECKS + 1
    assert all(line.startswith("PASS  ") for line in lines[:-1])
    assert f"PASS  alarm                {CDN_ALARM}: alarm exists in us-east-1" in lines
    assert (
        f"PASS  backup-selection     {SELECTION_ID}: "
        "selection caldron-dev-buckets exists" in lines
    )
    assert result.stderr == ""


def test_json_report_lists_every_check(account, run_verify):
    result = run_verify(account.outputs, "--json")

    report = json.loads(result.stdout)
    assert result.exit_code == 0
    assert report["stack"] == "dev"
    assert report["region"] == "eu-west-1"
    assert report["passed"] is True
    assert len(report["checks"]) == COMPLIANT_CHECKS
    assert report["checks"][0] == {
        "check": "bucket-exists",
        "subject": BUCKETS[0],
        "status": "PASS",
        "detail": "bucket exists in eu-west-1",
    }


def remove_public_access_block(account):
    account.client("s3").delete_public_access_block(Bucket=BUCKETS[0])


def allow_public_policy(account):
    account.client("s3").put_public_access_block(
        Bucket=BUCKETS[0],
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )


def remove_encryption(account):
    account.client("s3").delete_bucket_encryption(Bucket=BUCKETS[1])


def suspend_versioning(account):
    account.client("s3").put_bucket_versioning(
        Bucket=BUCKETS[2], VersioningConfiguration={"Status": "Suspended"}
    )


def name_missing_bucket(account):
    account.outputs["logs_bucket_name"] = "caldron-dev-missing-logs"


def disable_distribution(account):
    account.stored_distribution_config().Enabled = False


def allow_http_on_default_behavior(account):
    account.stored_distribution_config().DefaultCacheBehavior.viewer_protocol_policy = (
        "allow-all"
    )


def allow_http_on_path(account):
    behavior = account.stored_distribution_config().CacheBehaviors["Items"][0]
    behavior.viewer_protocol_policy = "allow-all"


def remove_origin_access_control(account):
    origin = account.stored_distribution_config().Origins["Items"][0]
    origin.origin_access_control_id = ""


def delete_origin_access_control(account):
    origin = account.stored_distribution_config().Origins["Items"][0]
    account.client("cloudfront", "us-east-1").delete_origin_access_control(
        Id=origin.origin_access_control_id
    )


def name_missing_distribution(account):
    account.outputs["cdn_distribution_id"] = "EFAKEMISSING01"


def name_other_cdn_domain(account):
    account.outputs["cdn_domain_name"] = "dfake0000other.cloudfront.net"


def leave_identity_unverified(account):
    identity = account.stored_identity()
    identity.verified_for_sending_status = False
    identity.verification_status = "PENDING"


def leave_dkim_pending(account):
    account.stored_identity().dkim_attributes["Status"] = "PENDING"


def name_missing_identity(account):
    account.outputs["sender_domain"] = "mail.missing.example.test"


def delete_backup_vault(account):
    account.client("backup").delete_backup_vault(BackupVaultName="caldron-dev")


def delete_backup_plan(account):
    plan_id = account.outputs["backup_plan_id"]
    account.client("backup").delete_backup_plan(BackupPlanId=plan_id)


def name_missing_backup_plan(account):
    account.outputs["backup_plan_id"] = "fake-plan-missing"


def point_plan_at_other_vault(account):
    account.outputs["backup_vault_name"] = "caldron-dev-other"
    account.client("backup").create_backup_vault(BackupVaultName="caldron-dev-other")


def remove_backup_selection(account):
    account.selection_exists = False


def delete_alarm(account):
    account.client("cloudwatch").delete_alarms(AlarmNames=[ALARMS[1]])


def delete_cdn_alarm(account):
    account.client("cloudwatch", "us-east-1").delete_alarms(AlarmNames=[CDN_ALARM])


def leave_subscription_pending(account):
    for subscription in account.stored_subscriptions():
        subscription.arn = "PendingConfirmation"


def unsubscribe_everyone(account):
    sns = account.client("sns")
    for subscription in account.stored_subscriptions():
        sns.unsubscribe(SubscriptionArn=subscription.arn)


def delete_alerts_topic(account):
    account.client("sns").delete_topic(TopicArn=account.outputs["alerts_topic_arn"])


def topic(account):
    return account.outputs["alerts_topic_arn"]


FAULTS = [
    (remove_public_access_block, "bucket-public-access", BUCKETS[0],
     "no public access block is set"),
    (allow_public_policy, "bucket-public-access", BUCKETS[0],
     "public access allowed: BlockPublicPolicy, RestrictPublicBuckets off"),
    (remove_encryption, "bucket-encryption", BUCKETS[1],
     "no default encryption is set"),
    (suspend_versioning, "bucket-versioning", BUCKETS[2], "versioning is suspended"),
    (name_missing_bucket, "bucket-exists", "caldron-dev-missing-logs",
     "bucket does not exist"),
    (disable_distribution, "cdn-enabled", None, "distribution is disabled"),
    (allow_http_on_default_behavior, "cdn-https", None,
     "plain HTTP allowed by: default (allow-all)"),
    (allow_http_on_path, "cdn-https", None,
     "plain HTTP allowed by: /static/* (allow-all)"),
    (remove_origin_access_control, "cdn-origin-access", None,
     "origin assets has no origin access control"),
    (delete_origin_access_control, "cdn-origin-access", None,
     "origin assets names missing origin access control"),
    (name_missing_distribution, "cdn-exists", "EFAKEMISSING01",
     "distribution does not exist"),
    (name_other_cdn_domain, "cdn-exists", None,
     "not dfake0000other.cloudfront.net"),
    (leave_identity_unverified, "ses-identity", "mail.dev.example.test",
     "identity is not verified for sending (verification PENDING)"),
    (leave_dkim_pending, "ses-dkim", "mail.dev.example.test",
     "DKIM status is PENDING, not SUCCESS"),
    (name_missing_identity, "ses-identity", "mail.missing.example.test",
     "SES identity does not exist"),
    (delete_backup_vault, "backup-vault", "caldron-dev",
     "backup vault does not exist"),
    (delete_backup_plan, "backup-plan", None, "backup plan has been deleted"),
    (name_missing_backup_plan, "backup-plan", "fake-plan-missing",
     "backup plan does not exist"),
    (point_plan_at_other_vault, "backup-plan", None,
     "no rule of plan caldron-dev-daily stores into vault caldron-dev-other"),
    (remove_backup_selection, "backup-selection", SELECTION_ID,
     "backup selection does not exist in plan"),
    (delete_alarm, "alarm", ALARMS[1], "alarm does not exist"),
    (delete_cdn_alarm, "alarm", CDN_ALARM, "alarm does not exist"),
    (leave_subscription_pending, "alerts-subscription", None,
     "no confirmed subscription (1 pending confirmation)"),
    (unsubscribe_everyone, "alerts-subscription", None,
     "no confirmed subscription (0 pending confirmation)"),
    (delete_alerts_topic, "alerts-subscription", None, "topic does not exist"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("seed_fault", "check", "subject", "detail"),
    FAULTS,
    ids=[fault[0].__name__ for fault in FAULTS],
)
def test_each_fault_fails_only_its_own_check(
    account, run_verify, seed_fault, check, subject, detail
):
    seed_fault(account)
    result = run_verify(account.outputs, "--json")

    report = json.loads(result.stdout)
    failures = [item for item in report["checks"] if item["status"] == "FAIL"]
    assert result.exit_code == 10, result.output + result.stderr
    assert report["passed"] is False
    assert len(failures) == 1, failures
    assert failures[0]["check"] == check
    if subject is not None:
        assert failures[0]["subject"] == subject
    assert detail in failures[0]["detail"]
    assert result.stderr == (
        f"Error: 1 of {len(report['checks'])} checks failed for stack dev "
        "(see the FAIL lines of the report)\n"
    )


def test_text_report_shows_fail_line_and_summary(account, run_verify):
    suspend_versioning(account)
    result = run_verify(account.outputs)

    lines = result.stdout.splitlines()
    assert result.exit_code == 10
    assert f"FAIL  bucket-versioning    {BUCKETS[2]}: versioning is suspended" in lines
    assert lines[-1] == f"{COMPLIANT_CHECKS} checks, 1 failed"
    assert "Error: 1 of" in result.stderr
