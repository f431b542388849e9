"""A compliant AWS account under moto for stack dev, and verify's clients on it.

moto 5.2.5 falls short in three places, each filled in as narrowly as
possible:

- SES v2 keeps a new identity unverified for sending with DKIM
  ``NOT_STARTED``; AWS moves both once the DNS records resolve. The fixture
  sets that verified state on moto's stored identity.
- CloudFront accepts ``OriginAccessControlId`` on an origin but drops it; the
  fixture sets it on moto's stored origin, which GetDistribution then reports.
- AWS Backup selections are not implemented; botocore's ``Stubber`` answers
  GetBackupSelection, and only that call.
"""

from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.stub import Stubber
from moto.cloudfront.models import cloudfront_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from caldron.verify import aws as verify_aws

REGION = "eu-west-1"
SMTP_PASSWORD_CANARY = "fake-smtp-CANARY-5309"
BUCKETS = ("caldron-dev-uploads", "caldron-dev-assets", "caldron-dev-logs")
SENDER_DOMAIN = "mail.dev.example.test"
ALARMS = ("caldron-dev-5xx-rate", "caldron-dev-ses-bounce-rate")
CDN_ALARM = "caldron-dev-cdn-4xx-rate"
SELECTION_ID = "fake-selection-0001"

# One session for every test: it keeps the service models it has loaded, which
# makes creating clients cheap. moto intercepts its calls only inside mock_aws.
SESSION = boto3.session.Session()


@dataclass
class Account:
    """The seeded account: its stack outputs and what the Stubber answers."""

    outputs: dict[str, Any]
    selection_exists: bool = True
    calls: list[str] = field(default_factory=list)
    clients: dict[tuple[str, str], Any] = field(default_factory=dict)

    def client(self, service: str, region: str = REGION) -> Any:
        """An unguarded client for seeding and seeding faults."""
        key = (service, region)
        if key not in self.clients:
            self.clients[key] = SESSION.client(service, region_name=region)
        return self.clients[key]

    def stored_distribution_config(self) -> Any:
        """moto's stored config of the distribution."""
        backend = cloudfront_backends[DEFAULT_ACCOUNT_ID]["global"]
        distribution = backend.distributions[self.outputs["cdn_distribution_id"]]
        return distribution.distribution_config

    def stored_identity(self) -> Any:
        """moto's stored SES identity of the sender domain."""
        backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
        return backend.email_identities[self.outputs["sender_domain"]]

    def stored_subscriptions(self) -> list[Any]:
        """moto's stored subscriptions of the alerts topic."""
        backend = sns_backends[DEFAULT_ACCOUNT_ID][REGION]
        topic = self.outputs["alerts_topic_arn"]
        return [sub for sub in backend.subscriptions.values() if sub.topic_arn == topic]


class SelectionStubbedBackup:
    """A backup client whose GetBackupSelection is answered by a Stubber; every
    other call goes to moto."""

    def __init__(self, backup: Any, stubbed: Any) -> None:
        self.backup = backup
        self.get_backup_selection = stubbed.get_backup_selection

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backup, name)


def make_clients_class(account: Account) -> type:
    """An ``AwsClients`` whose backup client stubs the one call moto lacks,
    and which records every AWS operation made."""

    class AccountClients(verify_aws.AwsClients):
        def __init__(self, region: str | None = None, session: Any = None) -> None:
            super().__init__(region, session or SESSION)

        def record(self, model: Any, **kwargs: Any) -> None:
            account.calls.append(f"{model.service_model.service_name}:{model.name}")

        def client(self, service: str, region: str | None = None) -> Any:
            client = super().client(service, region)
            client.meta.events.register(
                "before-parameter-build", self.record, unique_id="record"
            )
            if service != "backup":
                return client
            return SelectionStubbedBackup(client, self.stub_selection(region))

        def stub_selection(self, region: str | None) -> Any:
            stubbed = self.session.client("backup", region_name=region or self.region)
            stubbed.meta.events.register(
                "before-parameter-build", verify_aws.refuse_writes
            )
            stubbed.meta.events.register("before-parameter-build", self.record)
            stubber = Stubber(stubbed)
            params = {
                "BackupPlanId": account.outputs["backup_plan_id"],
                "SelectionId": account.outputs["backup_selection_id"],
            }
            if account.selection_exists:
                stubber.add_response(
                    "get_backup_selection",
                    {
                        "BackupSelection": {
                            "SelectionName": "caldron-dev-buckets",
                            "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
                        },
                        "SelectionId": params["SelectionId"],
                        "BackupPlanId": params["BackupPlanId"],
                    },
                    params,
                )
            else:
                stubber.add_client_error(
                    "get_backup_selection",
                    service_error_code="ResourceNotFoundException",
                    http_status_code=404,
                    expected_params=params,
                )
            stubber.activate()
            return stubbed

    return AccountClients


def seed_buckets(account: Account) -> None:
    s3 = account.client("s3")
    for name in BUCKETS:
        s3.create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        s3.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [
                    {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
                ]
            },
        )
        s3.put_bucket_versioning(
            Bucket=name, VersioningConfiguration={"Status": "Enabled"}
        )


def seed_cdn(account: Account) -> None:
    cloudfront = account.client("cloudfront", "us-east-1")
    control = cloudfront.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": "caldron-dev-assets",
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]
    behavior = {"TargetOriginId": "assets", "ViewerProtocolPolicy": "redirect-to-https"}
    distribution = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "caldron-dev",
            "Comment": "caldron dev assets",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "assets",
                        "DomainName": f"{BUCKETS[1]}.s3.{REGION}.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                        "OriginAccessControlId": control["Id"],
                    }
                ],
            },
            "DefaultCacheBehavior": behavior,
            "CacheBehaviors": {
                "Quantity": 1,
                "Items": [
                    {**behavior, "PathPattern": "/static/*"},
                ],
            },
        }
    )["Distribution"]
    account.outputs["cdn_distribution_id"] = distribution["Id"]
    account.outputs["cdn_domain_name"] = distribution["DomainName"]

    origin = account.stored_distribution_config().Origins["Items"][0]
    origin.origin_access_control_id = control["Id"]
    origin.s3_origin_config = {"OriginAccessIdentity": ""}


def seed_email(account: Account) -> None:
    account.client("sesv2").create_email_identity(EmailIdentity=SENDER_DOMAIN)
    account.outputs["sender_domain"] = SENDER_DOMAIN

    identity = account.stored_identity()
    identity.verified_for_sending_status = True
    identity.verification_status = "SUCCESS"
    identity.dkim_attributes.update(SigningEnabled=True, Status="SUCCESS")


def seed_backups(account: Account) -> None:
    backup = account.client("backup")
    backup.create_backup_vault(BackupVaultName="caldron-dev")
    plan = backup.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "caldron-dev-daily",
            "Rules": [
                {
                    "RuleName": "daily",
                    "TargetBackupVaultName": "caldron-dev",
                    "ScheduleExpression": "cron(0 3 * * ? *)",
                }
            ],
        }
    )
    account.outputs.update(
        backup_vault_name="caldron-dev",
        backup_plan_id=plan["BackupPlanId"],
        backup_selection_id=SELECTION_ID,
    )


def seed_monitoring(account: Account) -> None:
    sns = account.client("sns")
    topic = sns.create_topic(Name="caldron-dev-alerts")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.test")

    alarm = {
        "ComparisonOperator": "GreaterThanThreshold",
        "EvaluationPeriods": 1,
        "Period": 300,
        "Threshold": 5.0,
        "Statistic": "Average",
        "AlarmActions": [topic],
    }
    for name in ALARMS:
        account.client("cloudwatch").put_metric_alarm(
            AlarmName=name, MetricName="Errors", Namespace="caldron", **alarm
        )
    account.client("cloudwatch", "us-east-1").put_metric_alarm(
        AlarmName=CDN_ALARM,
        MetricName="4xxErrorRate",
        Namespace="AWS/CloudFront",
        **alarm,
    )
    account.outputs.update(alerts_topic_arn=topic, alarm_names=[*ALARMS, CDN_ALARM])


def build_compliant_account() -> Account:
    """Seed every resource the dev stack promises; return its outputs."""
    account = Account(outputs={})
    seed_buckets(account)
    seed_cdn(account)
    seed_email(account)
    seed_backups(account)
    seed_monitoring(account)
    account.outputs.update(
        environment="dev",
        storage_bucket_name=BUCKETS[0],
        storage_bucket_region=REGION,
        assets_bucket_name=BUCKETS[1],
        logs_bucket_name=BUCKETS[2],
        smtp_host=f"email-smtp.{REGION}.amazonaws.com",
        smtp_port=587,
        smtp_username="fake-smtp-user",
        smtp_password=SMTP_PASSWORD_CANARY,
        ses_configuration_set_name="caldron-dev",
        email_dns_records=[],
    )
    return account
