"""The rules caldron's stacks must obey, as plain functions over a stack.

Each rule takes a ``StackView`` (the stack's name, its resources and its
config) and returns one message per violation, naming the resource or config
key at fault and never a value. The policy pack in ``policy/`` wraps these
rules for ``pulumi preview --policy-pack``; ``caldron infra check`` calls them
directly on the resources of an offline run. Resources only need the
attributes of ``pulumi_policy.PolicyResource``: ``resource_type``, ``name``,
``urn``, ``props`` (camelCase) and ``property_dependencies``.
"""

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_ACL = "aws:s3/bucketAcl:BucketAcl"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ENCRYPTION = (
    "aws:s3/bucketServerSideEncryptionConfiguration:"
    "BucketServerSideEncryptionConfiguration"
)
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
BUDGET = "aws:budgets/budget:Budget"
BACKUP_VAULT = "aws:backup/vault:Vault"
BACKUP_PLAN = "aws:backup/plan:Plan"
BACKUP_SELECTION = "aws:backup/selection:Selection"

PUBLIC_ACCESS_FLAGS = (
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
)
PUBLIC_ACLS = {"public-read", "public-read-write", "authenticated-read"}
SSE_ALGORITHMS = {"AES256", "aws:kms", "aws:kms:dsse"}
SECURE_VIEWER_POLICIES = {"https-only", "redirect-to-https"}
SECURE_TLS_VERSIONS = {"TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025"}
SECRET_NAME = re.compile(
    r"(password|passwd|secret|token|credential|private_?key|api_?key|access_?key)",
    re.IGNORECASE,
)
SECRET_SHAPES = (
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"\b(sk|rk)_live_[0-9A-Za-z]{8,}"),
    re.compile(r"\bxox[abpr]-[0-9A-Za-z-]{10,}"),
    re.compile(r"\bgh[pousr]_[0-9A-Za-z]{20,}"),
)


@dataclass(frozen=True)
class StackView:
    """What a rule may look at: the stack's name, resources and config.

    ``config`` maps full keys (``caldron:alerts``) to values as written in the
    stack file; a ``{"secure": ...}`` leaf, or any value under a key listed in
    ``secret_keys``, counts as a secret that is stored encrypted.
    """

    stack: str
    resources: Sequence[Any]
    config: Mapping[str, Any] = field(default_factory=dict)
    secret_keys: frozenset[str] = frozenset()

    def of_type(self, resource_type: str) -> list[Any]:
        """The resources of one type token."""
        return [r for r in self.resources if r.resource_type == resource_type]


@dataclass(frozen=True)
class Policy:
    """A named rule and what it protects."""

    name: str
    description: str
    check: Callable[[StackView], list[str]]


def check_no_public_bucket(view: StackView) -> list[str]:
    """Every bucket blocks all public access; no ACL or policy opens one."""
    violations = []
    for bucket in view.of_type(BUCKET):
        blocks = _attached(view, PUBLIC_ACCESS_BLOCK, bucket)
        if not any(
            all(b.props.get(f) is True for f in PUBLIC_ACCESS_FLAGS) for b in blocks
        ):
            violations.append(
                f"bucket {bucket.name!r} does not block all public access "
                f"({', '.join(PUBLIC_ACCESS_FLAGS)} must all be true)"
            )
        if bucket.props.get("acl") in PUBLIC_ACLS:
            violations.append(f"bucket {bucket.name!r} has a public ACL")
    for acl in view.of_type(BUCKET_ACL):
        if acl.props.get("acl") in PUBLIC_ACLS:
            violations.append(f"bucket ACL {acl.name!r} grants public access")
    for policy in view.of_type(BUCKET_POLICY):
        for statement in _statements(policy.props.get("policy")):
            if _allows_anyone(statement):
                violations.append(
                    f"bucket policy {policy.name!r} allows anyone without a condition"
                )
    return violations


def check_encryption_everywhere(view: StackView) -> list[str]:
    """Buckets, SNS topics and backup vaults are encrypted at rest."""
    violations = []
    for bucket in view.of_type(BUCKET):
        algorithms = {
            _get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm")
            for config in _attached(view, ENCRYPTION, bucket)
            for rule in config.props.get("rules") or []
        }
        if not algorithms & SSE_ALGORITHMS:
            violations.append(f"bucket {bucket.name!r} has no server-side encryption")
    for topic in view.of_type(TOPIC):
        if not topic.props.get("kmsMasterKeyId"):
            violations.append(f"SNS topic {topic.name!r} is not encrypted with KMS")
    for vault in view.of_type(BACKUP_VAULT):
        if not vault.props.get("kmsKeyArn"):
            violations.append(f"backup vault {vault.name!r} has no KMS key of its own")
    return violations


def check_versioning_everywhere(view: StackView) -> list[str]:
    """Every bucket keeps object versions."""
    violations = []
    for bucket in view.of_type(BUCKET):
        statuses = {
            _get(v.props, "versioningConfiguration", "status")
            for v in _attached(view, VERSIONING, bucket)
        }
        if "Enabled" not in statuses:
            violations.append(
                f"bucket {bucket.name!r} does not have versioning enabled"
            )
    return violations


def check_https_only_cdn(view: StackView) -> list[str]:
    """CloudFront serves viewers over HTTPS only, with modern TLS on custom
    certificates."""
    violations = []
    for distribution in view.of_type(DISTRIBUTION):
        behaviors = [
            distribution.props.get("defaultCacheBehavior") or {},
            *(distribution.props.get("orderedCacheBehaviors") or []),
        ]
        for behavior in behaviors:
            policy = behavior.get("viewerProtocolPolicy")
            if policy not in SECURE_VIEWER_POLICIES:
                violations.append(
                    f"distribution {distribution.name!r} lets viewers use plain HTTP "
                    f"(viewerProtocolPolicy {policy!r})"
                )
        certificate = distribution.props.get("viewerCertificate") or {}
        custom = certificate.get("acmCertificateArn") or certificate.get(
            "iamCertificateId"
        )
        tls = certificate.get("minimumProtocolVersion")
        if custom and tls not in SECURE_TLS_VERSIONS:
            violations.append(
                f"distribution {distribution.name!r} accepts TLS older than 1.2 "
                f"(minimumProtocolVersion {tls!r})"
            )
    return violations


def check_prod_backups_copied_across_regions(view: StackView) -> list[str]:
    """In prod, a backup plan with a selection copies every rule's recovery
    points to a vault in another region."""
    if view.stack != "prod":
        return []
    plans = view.of_type(BACKUP_PLAN)
    if not plans:
        return ["prod has no AWS Backup plan"]

    violations = []
    vault_regions = {
        v.props.get("name"): _arn_region(v.props.get("arn"))
        for v in view.of_type(BACKUP_VAULT)
    }
    for plan in plans:
        if not _attached(view, BACKUP_SELECTION, plan, prop="planId", key="id"):
            violations.append(f"backup plan {plan.name!r} selects no resources")
        for rule in plan.props.get("rules") or []:
            name = rule.get("ruleName")
            copies = rule.get("copyActions") or []
            if not copies:
                violations.append(
                    f"backup plan {plan.name!r} rule {name!r} has no cross-region copy"
                )
                continue
            source = vault_regions.get(rule.get("targetVaultName"))
            for copy in copies:
                target = _arn_region(copy.get("destinationVaultArn"))
                if source and target and source == target:
                    violations.append(
                        f"backup plan {plan.name!r} rule {name!r} copies within "
                        f"its own region {source}"
                    )
    return violations


def check_alerts_reach_someone(view: StackView) -> list[str]:
    """Alarms, event rules and budgets notify a topic with at least one
    subscription."""
    notified = _notified_topics(view)
    if not notified:
        return ["no SNS alerts topic is notified by an alarm, event rule or budget"]
    return [
        f"alerts topic {topic.name!r} has no subscription"
        for topic in notified
        if not _attached(view, SUBSCRIPTION, topic, prop="topic", key="arn")
    ]


def check_no_plaintext_secret_in_config(view: StackView) -> list[str]:
    """A secret setting is stored as a ``secure:`` value, never in plain text."""
    violations = []
    for key, value in view.config.items():
        if key in view.secret_keys:
            continue
        for path, leaf in _leaves(key, value):
            if _is_secure(leaf):
                continue
            if isinstance(leaf, str) and any(s.search(leaf) for s in SECRET_SHAPES):
                violations.append(f"config {path} holds what looks like a credential")
            elif SECRET_NAME.search(path.split(":", 1)[-1]) and isinstance(leaf, str):
                violations.append(
                    f"config {path} names a secret but is stored in plain text; "
                    "set it with `pulumi config set --secret`"
                )
    return violations


POLICIES: tuple[Policy, ...] = (
    Policy(
        "no-public-bucket",
        "S3 buckets block every form of public access",
        check_no_public_bucket,
    ),
    Policy(
        "encryption-everywhere",
        "buckets, SNS topics and backup vaults are encrypted at rest",
        check_encryption_everywhere,
    ),
    Policy(
        "versioning-everywhere",
        "every S3 bucket keeps object versions",
        check_versioning_everywhere,
    ),
    Policy(
        "https-only-cdn",
        "CloudFront serves viewers over HTTPS only",
        check_https_only_cdn,
    ),
    Policy(
        "prod-backups-cross-region",
        "prod is backed up and every recovery point is copied to another region",
        check_prod_backups_copied_across_regions,
    ),
    Policy(
        "alerts-topic-subscribed",
        "the alerts topic has at least one subscription",
        check_alerts_reach_someone,
    ),
    Policy(
        "no-plaintext-secret-in-config",
        "stack config holds no secret in plain text",
        check_no_plaintext_secret_in_config,
    ),
)


def _attached(
    view: StackView,
    resource_type: str,
    target: Any,
    prop: str = "bucket",
    key: str = "id",
) -> list[Any]:
    """Resources of ``resource_type`` whose ``prop`` refers to ``target``,
    by dependency or, when values are known, by ``target``'s ``key``."""
    target_value = target.props.get(key)
    attached = []
    for resource in view.of_type(resource_type):
        depends = resource.property_dependencies.get(prop) or []
        if any(d.urn == target.urn for d in depends) or (
            target_value is not None and resource.props.get(prop) == target_value
        ):
            attached.append(resource)
    return attached


def _notified_topics(view: StackView) -> list[Any]:
    arns: set[str] = set()
    urns: set[str] = set()
    sources = [
        (ALARM, "alarmActions"),
        (EVENT_TARGET, "arn"),
        (BUDGET, "notifications"),
    ]
    for resource_type, prop in sources:
        for resource in view.of_type(resource_type):
            urns.update(d.urn for d in resource.property_dependencies.get(prop) or [])
            arns.update(_strings_in(resource.props.get(prop)))
    return [
        topic
        for topic in view.of_type(TOPIC)
        if topic.urn in urns or topic.props.get("arn") in arns
    ]


def _statements(policy: Any) -> list[dict]:
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return []
    if not isinstance(policy, dict):
        return []
    statements = policy.get("Statement") or []
    return [statements] if isinstance(statements, dict) else list(statements)


def _allows_anyone(statement: dict) -> bool:
    if statement.get("Effect") != "Allow" or statement.get("Condition"):
        return False
    principal = statement.get("Principal")
    if isinstance(principal, dict):
        principal = principal.get("AWS")
    if isinstance(principal, list):
        return "*" in principal
    return principal == "*"


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(key)
    return mapping


def _arn_region(arn: Any) -> str | None:
    if not isinstance(arn, str) or arn.count(":") < 5:
        return None
    return arn.split(":")[3] or None


def _strings_in(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings_in(item)


def _is_secure(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == {"secure"}


def _leaves(path: str, value: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(value, Mapping) and not _is_secure(value):
        for key, item in value.items():
            yield from _leaves(f"{path}.{key}", item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(f"{path}[{index}]", item)
    else:
        yield path, value
