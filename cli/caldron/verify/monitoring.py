"""Monitoring checks: every alarm exists and the alerts topic reaches someone."""

from collections.abc import Iterator
from typing import Any

from caldron.verify.aws import CLOUDFRONT_REGION, AwsClients, fetch
from caldron.verify.results import CheckResult, failed, passed
from caldron.verify.targets import StackTargets

ALARM_NAMES_PER_CALL = 100


def check_monitoring(
    targets: StackTargets, clients: AwsClients
) -> Iterator[CheckResult]:
    """Check each alarm in ``alarm_names`` and the alerts topic."""
    found = find_alarms(clients, targets.alarm_names)
    for name in targets.alarm_names:
        if name in found:
            yield passed("alarm", name, f"alarm exists in {found[name]}")
        else:
            yield failed("alarm", name, "alarm does not exist")

    topic_arn = targets.alerts_topic_arn
    sns = clients.client("sns", region_of_arn(topic_arn))
    yield check_alerts_subscription(sns, topic_arn)


def find_alarms(clients: AwsClients, names: tuple[str, ...]) -> dict[str, str]:
    """Map each alarm name that exists to its region. Alarms on CloudFront
    metrics live in us-east-1, so names not found in the stack's region are
    looked up there too."""
    regions = [clients.region]
    if clients.region != CLOUDFRONT_REGION:
        regions.append(CLOUDFRONT_REGION)

    found: dict[str, str] = {}
    for region in regions:
        wanted = [name for name in names if name not in found]
        cloudwatch = clients.client("cloudwatch", region)
        for start in range(0, len(wanted), ALARM_NAMES_PER_CALL):
            batch = wanted[start : start + ALARM_NAMES_PER_CALL]
            for alarm in describe_alarms(cloudwatch, batch):
                found[alarm["AlarmName"]] = region
    return found


def describe_alarms(cloudwatch: Any, names: list[str]) -> list[dict]:
    """The metric and composite alarms among ``names``."""
    if not names:
        return []
    response = cloudwatch.describe_alarms(AlarmNames=names)
    return response.get("MetricAlarms", []) + response.get("CompositeAlarms", [])


def check_alerts_subscription(sns: Any, topic_arn: str) -> CheckResult:
    """The alerts topic exists and has a confirmed subscription."""
    if fetch(sns.get_topic_attributes, "NotFound", TopicArn=topic_arn) is None:
        return failed("alerts-subscription", topic_arn, "topic does not exist")

    subscriptions = []
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(
        TopicArn=topic_arn
    ):
        subscriptions += page.get("Subscriptions", [])
    confirmed = [
        subscription
        for subscription in subscriptions
        if subscription["SubscriptionArn"].startswith("arn:")
    ]

    if not confirmed:
        pending = len(subscriptions) - len(confirmed)
        return failed(
            "alerts-subscription",
            topic_arn,
            f"no confirmed subscription ({pending} pending confirmation)",
        )
    protocols = ", ".join(sorted({item["Protocol"] for item in confirmed}))
    return passed(
        "alerts-subscription",
        topic_arn,
        f"{len(confirmed)} confirmed subscription(s) ({protocols})",
    )


def region_of_arn(arn: str) -> str | None:
    """The region field of an ARN (``arn:aws:sns:REGION:ACCOUNT:NAME``)."""
    parts = arn.split(":")
    return parts[3] if len(parts) > 5 and parts[3] else None
