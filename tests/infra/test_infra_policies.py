"""Each policy passes on the real stacks and fires on a change that breaks it:
a broken stack file (run through the program) or a broken program (the
resources a changed program would register)."""

import copy
import json

import pytest

from caldron.infra_check.check import evaluate_policies
from caldron.infra_check.harness import run_program
from caldron.infra_check.stack_config import read_stack_config
from caldron_infra.policies import POLICIES, StackView

STACKS = ("dev", "staging", "prod")
POLICY_NAMES = [p.name for p in POLICIES]


def verdicts_of(run, config):
    return {v.name: list(v.violations) for v in evaluate_policies(run, config)}


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("policy", POLICY_NAMES)
def test_policy_passes_on_the_real_stack(project, stack_runs, stack, policy):
    config = read_stack_config(project, stack)
    assert verdicts_of(stack_runs(stack), config)[policy] == []


def test_the_pack_holds_the_seven_rules_the_issue_names():
    assert POLICY_NAMES == [
        "no-public-bucket",
        "encryption-everywhere",
        "versioning-everywhere",
        "https-only-cdn",
        "prod-backups-cross-region",
        "alerts-topic-subscribed",
        "no-plaintext-secret-in-config",
    ]


def run_variant(scratch_project, stack, edit):
    project = scratch_project(stack, edit=edit)
    config = read_stack_config(project, stack)
    return verdicts_of(run_program(project, config), config)


def test_alerts_policy_fires_when_nobody_is_subscribed(scratch_project):
    def no_recipients(config):
        config["caldron:alerts"]["emails"] = []

    verdicts = run_variant(scratch_project, "staging", no_recipients)

    assert verdicts["alerts-topic-subscribed"] == [
        "alerts topic 'alerts' has no subscription",
        "alerts topic 'alerts-edge' has no subscription",
    ]
    assert [name for name, found in verdicts.items() if found] == [
        "alerts-topic-subscribed"
    ]


def test_prod_backup_policy_fires_without_a_copy_region(scratch_project):
    def no_copy(config):
        del config["caldron:backup"]["copyRegion"]

    verdicts = run_variant(scratch_project, "prod", no_copy)

    assert verdicts["prod-backups-cross-region"] == [
        "backup plan 'plan' rule 'daily' has no cross-region copy",
        "backup plan 'plan' rule 'monthly' has no cross-region copy",
    ]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "aws:secretKey",
            "fake-plain-secret-key",
            "config aws:secretKey names a secret but is stored in plain text; "
            "set it with `pulumi config set --secret`",
        ),
        (
            "caldron:owner",
            "AKIAFAKEFAKEFAKEFAKE",
            "config caldron:owner holds what looks like a credential",
        ),
        (
            "hooks:webhook",
            {"url": "https://hooks.example.test", "signingSecret": "fake-plain"},
            "config hooks:webhook.signingSecret names a secret but is stored in "
            "plain text; set it with `pulumi config set --secret`",
        ),
    ],
)
def test_plaintext_secret_policy_names_the_key_never_the_value(
    scratch_project, key, value, expected
):
    def add(config):
        config[key] = value

    verdicts = run_variant(scratch_project, "dev", add)

    assert verdicts["no-plaintext-secret-in-config"] == [expected]
    assert "fake-plain" not in expected and "AKIAFAKE" not in expected


def test_secure_values_satisfy_the_plaintext_policy(scratch_project):
    def add(config):
        config["aws:secretKey"] = {"secure": "v1:ZmFrZS1jaXBoZXJ0ZXh0"}
        config["hooks:webhook"] = {"signingSecret": {"secure": "v1:ZmFrZQ=="}}

    verdicts = run_variant(scratch_project, "dev", add)

    assert verdicts["no-plaintext-secret-in-config"] == []


def broken(run, resource_type, name, change):
    """The resources a changed program would register: a copy of ``run``'s
    with ``change`` applied to one resource's properties."""
    resources = copy.deepcopy(run.custom_resources)
    [target] = [
        r for r in resources if r.resource_type == resource_type and r.name == name
    ]
    change(target.props)
    return resources


def without(run, resource_type, name=None):
    resources = copy.deepcopy(run.custom_resources)
    return [
        r
        for r in resources
        if not (r.resource_type == resource_type and name in (None, r.name))
    ]


def without_any(run, *resource_types):
    resources = copy.deepcopy(run.custom_resources)
    return [r for r in resources if r.resource_type not in resource_types]


def set_path(*path, value):
    def change(props):
        for key in path[:-1]:
            props = props[key]
        props[path[-1]] = value

    return change


def drop_key(key):
    return lambda props: props.pop(key)


def add_statement(statement):
    def change(props):
        policy = json.loads(props["policy"])
        policy["Statement"].append(statement)
        props["policy"] = json.dumps(policy)

    return change


PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
SSE = (
    "aws:s3/bucketServerSideEncryptionConfiguration:"
    "BucketServerSideEncryptionConfiguration"
)
CDN = "aws:cloudfront/distribution:Distribution"


@pytest.mark.parametrize(
    ("stack", "policy", "mutate", "expected"),
    [
        (
            "dev",
            "no-public-bucket",
            lambda run: broken(
                run, PAB, "uploads", set_path("restrictPublicBuckets", value=False)
            ),
            [
                "bucket 'uploads' does not block all public access (blockPublicAcls, "
                "blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets must all "
                "be true)"
            ],
        ),
        (
            "dev",
            "no-public-bucket",
            lambda run: without(run, PAB, "assets"),
            [
                "bucket 'assets' does not block all public access (blockPublicAcls, "
                "blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets must all "
                "be true)"
            ],
        ),
        (
            "prod",
            "no-public-bucket",
            lambda run: broken(
                run,
                "aws:s3/bucketPolicy:BucketPolicy",
                "logs",
                add_statement(
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": "s3:GetObject",
                    }
                ),
            ),
            ["bucket policy 'logs' allows anyone without a condition"],
        ),
        (
            "dev",
            "no-public-bucket",
            lambda run: broken(
                run,
                "aws:s3/bucket:Bucket",
                "assets",
                set_path("acl", value="public-read"),
            ),
            ["bucket 'assets' has a public ACL"],
        ),
        (
            "staging",
            "encryption-everywhere",
            lambda run: without(run, SSE, "logs"),
            ["bucket 'logs' has no server-side encryption"],
        ),
        (
            "prod",
            "encryption-everywhere",
            lambda run: broken(
                run, "aws:sns/topic:Topic", "email-events", drop_key("kmsMasterKeyId")
            ),
            ["SNS topic 'email-events' is not encrypted with KMS"],
        ),
        (
            "prod",
            "encryption-everywhere",
            lambda run: broken(
                run, "aws:backup/vault:Vault", "copy", drop_key("kmsKeyArn")
            ),
            ["backup vault 'copy' has no KMS key of its own"],
        ),
        (
            "dev",
            "versioning-everywhere",
            lambda run: broken(
                run,
                "aws:s3/bucketVersioning:BucketVersioning",
                "uploads",
                set_path("versioningConfiguration", "status", value="Suspended"),
            ),
            ["bucket 'uploads' does not have versioning enabled"],
        ),
        (
            "dev",
            "https-only-cdn",
            lambda run: broken(
                run,
                CDN,
                "assets",
                set_path(
                    "defaultCacheBehavior", "viewerProtocolPolicy", value="allow-all"
                ),
            ),
            [
                "distribution 'assets' lets viewers use plain HTTP "
                "(viewerProtocolPolicy 'allow-all')"
            ],
        ),
        (
            "prod",
            "https-only-cdn",
            lambda run: broken(
                run,
                CDN,
                "assets",
                set_path("viewerCertificate", "minimumProtocolVersion", value="TLSv1"),
            ),
            [
                "distribution 'assets' accepts TLS older than 1.2 "
                "(minimumProtocolVersion 'TLSv1')"
            ],
        ),
        (
            "prod",
            "prod-backups-cross-region",
            lambda run: without(run, "aws:backup/selection:Selection"),
            ["backup plan 'plan' selects no resources"],
        ),
        (
            "prod",
            "prod-backups-cross-region",
            lambda run: without(run, "aws:backup/plan:Plan"),
            ["prod has no AWS Backup plan"],
        ),
        (
            "prod",
            "alerts-topic-subscribed",
            lambda run: without(run, "aws:sns/topicSubscription:TopicSubscription"),
            [
                "alerts topic 'alerts' has no subscription",
                "alerts topic 'alerts-edge' has no subscription",
            ],
        ),
        (
            "dev",
            "alerts-topic-subscribed",
            lambda run: without_any(
                run,
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                "aws:cloudwatch/eventTarget:EventTarget",
                "aws:budgets/budget:Budget",
            ),
            ["no SNS alerts topic is notified by an alarm, event rule or budget"],
        ),
    ],
)
def test_policy_fires_on_a_broken_program(stack_runs, stack, policy, mutate, expected):
    run = stack_runs(stack)
    [rule] = [p for p in POLICIES if p.name == policy]

    found = rule.check(StackView(stack=stack, resources=mutate(run)))

    assert found == expected


def test_prod_backup_policy_fires_on_a_copy_into_the_same_region(stack_runs):
    run = stack_runs("prod")

    def same_region(props):
        for rule in props["rules"]:
            rule["copyActions"][0]["destinationVaultArn"] = (
                "arn:aws:backup:eu-west-1:123456789012:backup-vault:caldron-prod-copy"
            )

    resources = broken(run, "aws:backup/plan:Plan", "plan", same_region)
    [rule] = [p for p in POLICIES if p.name == "prod-backups-cross-region"]

    assert rule.check(StackView(stack="prod", resources=resources)) == [
        "backup plan 'plan' rule 'daily' copies within its own region eu-west-1",
        "backup plan 'plan' rule 'monthly' copies within its own region eu-west-1",
    ]


@pytest.mark.parametrize("stack", ["dev", "staging"])
def test_prod_backup_policy_does_not_apply_outside_prod(stack_runs, stack):
    [rule] = [p for p in POLICIES if p.name == "prod-backups-cross-region"]
    resources = without(stack_runs(stack), "aws:backup/plan:Plan")
    assert rule.check(StackView(stack=stack, resources=resources)) == []
