"""IAM policy documents and the customer-managed KMS keys of the components.

Every key caldron creates rotates yearly, waits 30 days before deletion, and
is administered by the account's root; each caller adds the statements that
let its own service use the key.
"""

import pulumi
import pulumi_aws as aws

from caldron_infra.settings import Settings
from caldron_infra.tags import tags_for

KEY_DELETION_WINDOW_DAYS = 30


def policy_document(*statements: dict) -> pulumi.Output[str]:
    """A JSON IAM policy document made of ``statements``."""
    return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements})


def create_key(
    name: str,
    *,
    description: str,
    account_id: pulumi.Input[str],
    settings: Settings,
    opts: pulumi.ResourceOptions,
    uses: tuple[dict, ...] = (),
    region: str | None = None,
) -> aws.kms.Key:
    """A rotating KMS key that the account administers and ``uses`` may use."""
    account_root = pulumi.Output.concat("arn:aws:iam::", account_id, ":root")
    return aws.kms.Key(
        name,
        description=description,
        enable_key_rotation=True,
        deletion_window_in_days=KEY_DELETION_WINDOW_DAYS,
        region=region,
        policy=policy_document(
            {
                "Sid": "AccountAdministers",
                "Effect": "Allow",
                "Principal": {"AWS": account_root},
                "Action": "kms:*",
                "Resource": "*",
            },
            *uses,
        ),
        tags=tags_for(settings),
        opts=opts,
    )
