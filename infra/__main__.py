"""caldron's Pulumi program: storage, CDN, email, backups and monitoring.

Pulumi runs this file for the selected stack (``dev``, ``staging`` or
``prod``). It reads the stack's settings once, builds one component per
resource family and exports the outputs the ``caldron`` CLI consumes.
"""

import pulumi
import pulumi_aws as aws

from caldron_infra.backups import Backups
from caldron_infra.cdn import Cdn
from caldron_infra.email import SMTP_PORT, Email
from caldron_infra.monitoring import Monitoring
from caldron_infra.settings import load_settings
from caldron_infra.storage import Storage
from caldron_infra.tags import tags_for

settings = load_settings()

primary = aws.Provider(
    "primary",
    region=settings.region,
    default_tags={"tags": tags_for(settings)},
)
edge = aws.Provider(
    "edge",
    region="us-east-1",
    default_tags={"tags": tags_for(settings)},
)
in_region = pulumi.ResourceOptions(providers=[primary])
account_id = aws.get_caller_identity_output(
    opts=pulumi.InvokeOutputOptions(provider=primary)
).account_id

storage = Storage("storage", settings, account_id, opts=in_region)
cdn = Cdn("cdn", settings, storage, edge, opts=in_region)
monitoring = Monitoring(
    "monitoring", settings, account_id, cdn.distribution.id, edge, opts=in_region
)
email = Email("email", settings, monitoring.alerts_key, opts=in_region)
backups = Backups("backups", settings, account_id, opts=in_region)

pulumi.export("environment", settings.environment)
pulumi.export("storage_bucket_name", storage.uploads.bucket)
pulumi.export("storage_bucket_region", settings.region)
pulumi.export("assets_bucket_name", storage.assets.bucket)
pulumi.export("logs_bucket_name", storage.logs.bucket)
pulumi.export("cdn_domain_name", cdn.public_domain_name)
pulumi.export("cdn_distribution_id", cdn.distribution.id)
pulumi.export("cdn_cloudfront_domain_name", cdn.distribution.domain_name)
pulumi.export("smtp_host", email.smtp_host)
pulumi.export("smtp_port", SMTP_PORT)
pulumi.export("smtp_username", email.smtp_username)
pulumi.export("smtp_password", email.smtp_password)
pulumi.export("sender_domain", email.domain)
pulumi.export("email_dns_records", email.dns_records)
pulumi.export(
    "ses_configuration_set_name", email.configuration_set.configuration_set_name
)
pulumi.export("alerts_topic_arn", monitoring.alerts_topic.arn)
pulumi.export("alarm_names", monitoring.alarm_names)
pulumi.export("backup_vault_name", backups.vault.name)
pulumi.export("backup_plan_id", backups.plan.id)
pulumi.export("backup_selection_id", backups.selection.id)
