"""Email: an SES v2 sending domain, its events, and SMTP credentials.

The domain signs with Easy DKIM and bounces through a custom MAIL FROM
subdomain. A configuration set tracks reputation and sends bounce and
complaint events to an encrypted SNS topic. An IAM user that may send only as
this domain holds the access key behind the SMTP credentials. The DNS records
to publish are an output, and are created when a Route 53 zone is configured.
"""

import pulumi
import pulumi_aws as aws

from caldron_infra.encryption import policy_document
from caldron_infra.settings import Settings
from caldron_infra.tags import tags_for

SMTP_PORT = 587
EASY_DKIM_TOKEN_COUNT = 3
SPF_RECORD = "v=spf1 include:amazonses.com ~all"
REPORTED_EVENTS = ["BOUNCE", "COMPLAINT", "REJECT", "RENDERING_FAILURE"]


class Email(pulumi.ComponentResource):
    """The sending domain, its configuration set and its SMTP user."""

    def __init__(
        self,
        name: str,
        settings: Settings,
        events_key: aws.kms.Key,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("caldron:email:Email", name, None, opts)
        self.settings = settings
        self.domain = settings.domain
        self.mail_from_domain = f"mail.{settings.domain}"
        tags = tags_for(settings)

        self.configuration_set = aws.sesv2.ConfigurationSet(
            "sending",
            configuration_set_name=f"caldron-{settings.environment}",
            reputation_options={"reputation_metrics_enabled": True},
            sending_options={"sending_enabled": True},
            delivery_options={"tls_policy": "REQUIRE"},
            suppression_options={"suppressed_reasons": ["BOUNCE", "COMPLAINT"]},
            tags=tags,
            opts=self._child(),
        )
        self.identity = aws.sesv2.EmailIdentity(
            "domain",
            email_identity=self.domain,
            configuration_set_name=self.configuration_set.configuration_set_name,
            dkim_signing_attributes={"next_signing_key_length": "RSA_2048_BIT"},
            tags=tags,
            opts=self._child(),
        )
        aws.sesv2.EmailIdentityMailFromAttributes(
            "domain",
            email_identity=self.identity.email_identity,
            mail_from_domain=self.mail_from_domain,
            behavior_on_mx_failure="USE_DEFAULT_VALUE",
            opts=self._child(),
        )

        self.events_topic = self._send_events_to_topic(events_key)
        self.smtp_username, self.smtp_password = self._create_smtp_credentials()
        self.smtp_host = f"email-smtp.{settings.region}.amazonaws.com"
        self.dns_records = self._describe_dns_records()
        if settings.route53_zone_id:
            self._publish_dns_records()

        self.register_outputs(
            {
                "sender_domain": self.domain,
                "configuration_set_name": self.configuration_set.configuration_set_name,
                "smtp_host": self.smtp_host,
            }
        )

    def _child(
        self, parent: pulumi.Resource | None = None, **extra
    ) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=parent or self, **extra)

    def _send_events_to_topic(self, events_key: aws.kms.Key) -> aws.sns.Topic:
        topic = aws.sns.Topic(
            "email-events",
            kms_master_key_id=events_key.arn,
            tags=tags_for(self.settings),
            opts=self._child(),
        )
        aws.sns.TopicPolicy(
            "email-events",
            arn=topic.arn,
            policy=policy_document(
                {
                    "Sid": "SesPublishesEvents",
                    "Effect": "Allow",
                    "Principal": {"Service": "ses.amazonaws.com"},
                    "Action": "sns:Publish",
                    "Resource": topic.arn,
                    "Condition": {
                        "StringEquals": {
                            "AWS:SourceArn": self.configuration_set.arn,
                        }
                    },
                }
            ),
            opts=self._child(),
        )
        aws.sesv2.ConfigurationSetEventDestination(
            "bounces-and-complaints",
            configuration_set_name=self.configuration_set.configuration_set_name,
            event_destination_name="bounces-and-complaints",
            event_destination={
                "enabled": True,
                "matching_event_types": REPORTED_EVENTS,
                "sns_destination": {"topic_arn": topic.arn},
            },
            opts=self._child(),
        )
        return topic

    def _create_smtp_credentials(self) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
        user = aws.iam.User(
            "smtp",
            path="/caldron/",
            tags=tags_for(self.settings),
            opts=self._child(),
        )
        aws.iam.UserPolicy(
            "smtp-send-as-domain",
            user=user.name,
            policy=policy_document(
                {
                    "Sid": "SendAsDomainOnly",
                    "Effect": "Allow",
                    "Action": ["ses:SendRawEmail", "ses:SendEmail"],
                    "Resource": [self.identity.arn, self.configuration_set.arn],
                    "Condition": {
                        "StringLike": {"ses:FromAddress": f"*@{self.domain}"}
                    },
                }
            ),
            opts=self._child(),
        )
        key = aws.iam.AccessKey("smtp", user=user.name, opts=self._child())
        return key.id, pulumi.Output.secret(key.ses_smtp_password_v4)

    def _describe_dns_records(self) -> pulumi.Output[list[dict[str, str]]]:
        fixed = self._fixed_dns_records()
        return self._dkim_tokens().apply(
            lambda tokens: [*(self._dkim_record(t) for t in tokens), *fixed]
        )

    def _fixed_dns_records(self) -> list[dict[str, str]]:
        region = self.settings.region
        dmarc = (
            f"v=DMARC1; p={self.settings.email.dmarc_policy}; "
            f"rua=mailto:dmarc-reports@{self.domain}"
        )
        return [
            _record(
                self.mail_from_domain, "MX", f"10 feedback-smtp.{region}.amazonses.com"
            ),
            _record(self.mail_from_domain, "TXT", SPF_RECORD),
            _record(f"_dmarc.{self.domain}", "TXT", dmarc),
        ]

    def _dkim_tokens(self) -> pulumi.Output[list[str]]:
        return self.identity.dkim_signing_attributes.apply(
            lambda attributes: list(attributes.tokens or [])
        )

    def _dkim_record(self, token: str) -> dict[str, str]:
        return _record(
            f"{token}._domainkey.{self.domain}", "CNAME", f"{token}.dkim.amazonses.com"
        )

    def _publish_dns_records(self) -> None:
        tokens = self._dkim_tokens()
        for index in range(EASY_DKIM_TOKEN_COUNT):
            record = tokens.apply(lambda t, i=index: self._dkim_record(t[i]))
            self._create_dns_record(f"dkim-{index + 1}", record)
        labels = ("mail-from-mx", "mail-from-spf", "dmarc")
        for label, record in zip(labels, self._fixed_dns_records(), strict=True):
            self._create_dns_record(label, pulumi.Output.from_input(record))

    def _create_dns_record(self, label: str, record: pulumi.Output[dict]) -> None:
        aws.route53.Record(
            f"email-{label}",
            zone_id=self.settings.route53_zone_id,
            name=record["name"],
            type=record["type"],
            records=[record["value"]],
            ttl=600,
            allow_overwrite=True,
            opts=self._child(),
        )


def _record(name: str, record_type: str, value: str) -> dict[str, str]:
    return {"name": name, "type": record_type, "value": value}
