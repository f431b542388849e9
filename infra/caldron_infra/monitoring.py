"""Monitoring: an encrypted alerts topic, the alarms that feed it, a budget.

Alarms watch the CDN's 5xx error rate and the SES bounce and complaint rates
(the reputation figures AWS itself acts on); an EventBridge rule reports
failed backup and copy jobs; a budget warns before the month's spend runs
over. CloudFront publishes its metrics only in us-east-1 and an alarm only
notifies a topic in its own region, so the CDN alarm and a twin of the alerts
topic live there, on the ``edge`` provider.
"""

import json

import pulumi
import pulumi_aws as aws

from caldron_infra.encryption import create_key, policy_document
from caldron_infra.settings import Settings
from caldron_infra.tags import tags_for

PUBLISHING_SERVICES = [
    "cloudwatch.amazonaws.com",
    "events.amazonaws.com",
    "budgets.amazonaws.com",
    "backup.amazonaws.com",
    "ses.amazonaws.com",
]
FAILED_BACKUP_EVENTS = {
    "source": ["aws.backup"],
    "detail-type": ["Backup Job State Change", "Copy Job State Change"],
    "detail": {"state": ["FAILED", "ABORTED", "EXPIRED"]},
}


class Monitoring(pulumi.ComponentResource):
    """The alerts topics, alarms, failed-backup rule and cost budget."""

    alerts_topic: aws.sns.Topic
    alerts_key: aws.kms.Key
    alarm_names: list[pulumi.Output[str]]

    def __init__(
        self,
        name: str,
        settings: Settings,
        account_id: pulumi.Input[str],
        distribution_id: pulumi.Input[str],
        edge: aws.Provider,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("caldron:monitoring:Monitoring", name, None, opts)
        self.settings = settings
        self.account_id = account_id
        self.prefix = f"caldron-{settings.environment}"

        self.alerts_key, self.alerts_topic = self._create_alerts_topic("alerts")
        _, edge_topic = self._create_alerts_topic("alerts-edge", provider=edge)
        if not settings.alerts.emails:
            # Said once for the component, not once per topic.
            pulumi.log.warn("no alert recipients configured", resource=self)

        alerts = settings.alerts
        self.alarm_names = [
            self._create_alarm(
                "cdn-5xx-error-rate",
                topic=edge_topic,
                namespace="AWS/CloudFront",
                metric="5xxErrorRate",
                statistic="Average",
                threshold=alerts.cdn_5xx_error_rate_percent,
                period=300,
                dimensions={"DistributionId": distribution_id, "Region": "Global"},
                provider=edge,
            ),
            self._create_alarm(
                "ses-bounce-rate",
                topic=self.alerts_topic,
                namespace="AWS/SES",
                metric="Reputation.BounceRate",
                statistic="Maximum",
                threshold=alerts.ses_bounce_rate,
                period=3600,
            ),
            self._create_alarm(
                "ses-complaint-rate",
                topic=self.alerts_topic,
                namespace="AWS/SES",
                metric="Reputation.ComplaintRate",
                statistic="Maximum",
                threshold=alerts.ses_complaint_rate,
                period=3600,
            ),
        ]
        self._report_failed_backup_jobs()
        self._create_budget()

        self.register_outputs(
            {"alerts_topic_arn": self.alerts_topic.arn, "alarm_names": self.alarm_names}
        )

    def _child(
        self, parent: pulumi.Resource | None = None, **extra
    ) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=parent or self, **extra)

    def _create_alerts_topic(
        self, label: str, provider: aws.Provider | None = None
    ) -> tuple[aws.kms.Key, aws.sns.Topic]:
        opts = self._child(provider=provider)
        tags = tags_for(self.settings)
        account_root = pulumi.Output.concat("arn:aws:iam::", self.account_id, ":root")
        key = create_key(
            label,
            description=f"{self.prefix} {label} topic encryption",
            account_id=self.account_id,
            settings=self.settings,
            opts=opts,
            uses=(
                {
                    "Sid": "ServicesPublishEncrypted",
                    "Effect": "Allow",
                    "Principal": {"Service": PUBLISHING_SERVICES},
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                    "Resource": "*",
                },
            ),
        )
        topic = aws.sns.Topic(
            label,
            name=f"{self.prefix}-{label}",
            kms_master_key_id=key.arn,
            tags=tags,
            opts=opts,
        )
        aws.sns.TopicPolicy(
            label,
            arn=topic.arn,
            policy=policy_document(
                {
                    "Sid": "AccountManages",
                    "Effect": "Allow",
                    "Principal": {"AWS": account_root},
                    "Action": [
                        "sns:Publish",
                        "sns:Subscribe",
                        "sns:GetTopicAttributes",
                    ],
                    "Resource": topic.arn,
                },
                {
                    "Sid": "ServicesPublish",
                    "Effect": "Allow",
                    "Principal": {"Service": PUBLISHING_SERVICES},
                    "Action": "sns:Publish",
                    "Resource": topic.arn,
                    "Condition": {
                        "StringEquals": {"AWS:SourceAccount": self.account_id}
                    },
                },
            ),
            opts=opts,
        )
        for index, email in enumerate(self.settings.alerts.emails, start=1):
            aws.sns.TopicSubscription(
                f"{label}-email-{index}",
                topic=topic.arn,
                protocol="email",
                endpoint=email,
                opts=opts,
            )
        return key, topic

    def _create_alarm(
        self,
        label: str,
        topic: aws.sns.Topic,
        namespace: str,
        metric: str,
        statistic: str,
        threshold: float,
        period: int,
        dimensions: dict | None = None,
        provider: aws.Provider | None = None,
    ) -> pulumi.Output[str]:
        alarm = aws.cloudwatch.MetricAlarm(
            label,
            name=f"{self.prefix}-{label}",
            alarm_description=f"{metric} above {threshold} in {namespace}",
            namespace=namespace,
            metric_name=metric,
            statistic=statistic,
            dimensions=dimensions,
            period=period,
            evaluation_periods=3,
            datapoints_to_alarm=2,
            threshold=threshold,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching",
            alarm_actions=[topic.arn],
            ok_actions=[topic.arn],
            tags=tags_for(self.settings),
            opts=self._child(provider=provider),
        )
        return alarm.name

    def _report_failed_backup_jobs(self) -> None:
        rule = aws.cloudwatch.EventRule(
            "backup-job-failed",
            name=f"{self.prefix}-backup-job-failed",
            description="A backup or copy job failed, was aborted or expired",
            event_pattern=json.dumps(FAILED_BACKUP_EVENTS),
            tags=tags_for(self.settings),
            opts=self._child(),
        )
        aws.cloudwatch.EventTarget(
            "backup-job-failed",
            rule=rule.name,
            arn=self.alerts_topic.arn,
            opts=self._child(),
        )

    def _create_budget(self) -> None:
        topics = [self.alerts_topic.arn]
        aws.budgets.Budget(
            "monthly-cost",
            name=f"{self.prefix}-monthly-cost",
            budget_type="COST",
            time_unit="MONTHLY",
            limit_amount=f"{self.settings.alerts.monthly_budget_usd:.2f}",
            limit_unit="USD",
            # Counts this environment's spend only; `environment` must be
            # activated as a cost allocation tag in the billing console.
            cost_filters=[
                {
                    "name": "TagKeyValue",
                    "values": [f"user:environment${self.settings.environment}"],
                }
            ],
            notifications=[
                {
                    "comparison_operator": "GREATER_THAN",
                    "notification_type": "ACTUAL",
                    "threshold": 80,
                    "threshold_type": "PERCENTAGE",
                    "subscriber_sns_topic_arns": topics,
                },
                {
                    "comparison_operator": "GREATER_THAN",
                    "notification_type": "FORECASTED",
                    "threshold": 100,
                    "threshold_type": "PERCENTAGE",
                    "subscriber_sns_topic_arns": topics,
                },
            ],
            tags=tags_for(self.settings),
            opts=self._child(),
        )
