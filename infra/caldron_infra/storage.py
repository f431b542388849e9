"""Storage: private S3 buckets for uploads, static assets and logs.

Every bucket blocks public access, enforces bucket-owner object ownership, is
encrypted and versioned, and forgets old versions and unfinished uploads. The
uploads and logs buckets get their TLS-only policy here; the assets bucket
gets its policy from the CDN component, which must also admit CloudFront.
"""

import pulumi
import pulumi_aws as aws

from caldron_infra.encryption import create_key, policy_document
from caldron_infra.settings import Settings
from caldron_infra.tags import backup_tags_for, tags_for

ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS = 7


def deny_insecure_transport(bucket_arn: pulumi.Input[str]) -> dict:
    """The policy statement that refuses any request made without TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


class Storage(pulumi.ComponentResource):
    """The uploads, assets and logs buckets of one environment."""

    uploads: aws.s3.Bucket
    assets: aws.s3.Bucket
    logs: aws.s3.Bucket
    kms_key: aws.kms.Key | None

    def __init__(
        self,
        name: str,
        settings: Settings,
        account_id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("caldron:storage:Storage", name, None, opts)
        self.settings = settings
        self.kms_key = (
            self._create_kms_key(account_id) if settings.storage.kms_key else None
        )

        # S3 server access logs only land in a bucket encrypted with SSE-S3.
        self.logs = self._create_bucket(
            "logs", kms_key=None, expire_after_days=settings.storage.log_retention_days
        )
        self.uploads = self._create_bucket(
            "uploads", kms_key=self.kms_key, tags=backup_tags_for(settings)
        )
        self.assets = self._create_bucket("assets", kms_key=self.kms_key)

        self._allow_browser_uploads()
        self._create_uploads_policy()
        self._create_logs_policy(account_id)
        if settings.storage.access_logging:
            self._log_access_to_logs_bucket("uploads", self.uploads)
            self._log_access_to_logs_bucket("assets", self.assets)

        self.register_outputs(
            {
                "uploads_bucket": self.uploads.bucket,
                "assets_bucket": self.assets.bucket,
                "logs_bucket": self.logs.bucket,
            }
        )

    def _child(
        self, parent: pulumi.Resource | None = None, **extra
    ) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=parent or self, **extra)

    def _create_kms_key(self, account_id: pulumi.Input[str]) -> aws.kms.Key:
        key = create_key(
            "storage",
            description=f"caldron {self.settings.environment} bucket encryption",
            account_id=account_id,
            settings=self.settings,
            opts=self._child(),
            uses=(
                {
                    "Sid": "CloudFrontReadsAssets",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
                },
            ),
        )
        aws.kms.Alias(
            "storage",
            name=f"alias/caldron-{self.settings.environment}-storage",
            target_key_id=key.key_id,
            opts=self._child(),
        )
        return key

    def _create_bucket(
        self,
        purpose: str,
        kms_key: aws.kms.Key | None,
        tags: dict[str, str] | None = None,
        expire_after_days: int | None = None,
    ) -> aws.s3.Bucket:
        bucket = aws.s3.Bucket(
            purpose,
            force_destroy=not self.settings.is_prod,
            tags=tags or tags_for(self.settings, purpose=purpose),
            opts=self._child(),
        )
        in_bucket = self._child(parent=bucket)

        aws.s3.BucketPublicAccessBlock(
            purpose,
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=in_bucket,
        )
        aws.s3.BucketOwnershipControls(
            purpose,
            bucket=bucket.id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=in_bucket,
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            purpose,
            bucket=bucket.id,
            rules=[_encryption_rule(kms_key)],
            opts=in_bucket,
        )
        versioning = aws.s3.BucketVersioning(
            purpose,
            bucket=bucket.id,
            versioning_configuration={"status": "Enabled"},
            opts=in_bucket,
        )
        aws.s3.BucketLifecycleConfiguration(
            purpose,
            bucket=bucket.id,
            rules=self._lifecycle_rules(expire_after_days),
            opts=self._child(parent=bucket, depends_on=[versioning]),
        )
        return bucket

    def _lifecycle_rules(self, expire_after_days: int | None) -> list[dict]:
        rules = [
            {
                "id": "expire-old-versions",
                "status": "Enabled",
                "filter": {},
                "noncurrent_version_expiration": {
                    "noncurrent_days": self.settings.storage.noncurrent_version_days
                },
            },
            {
                "id": "abort-unfinished-uploads",
                "status": "Enabled",
                "filter": {},
                "abort_incomplete_multipart_upload": {
                    "days_after_initiation": ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS
                },
            },
        ]
        if expire_after_days is not None:
            rules.append(
                {
                    "id": "expire-current-objects",
                    "status": "Enabled",
                    "filter": {},
                    "expiration": {"days": expire_after_days},
                }
            )
        return rules

    def _allow_browser_uploads(self) -> None:
        origins = list(self.settings.storage.cors_origins)
        if not origins:
            return
        aws.s3.BucketCorsConfiguration(
            "uploads",
            bucket=self.uploads.id,
            cors_rules=[
                {
                    "allowed_methods": ["GET", "PUT", "POST", "HEAD"],
                    "allowed_origins": origins,
                    "allowed_headers": ["*"],
                    "expose_headers": ["ETag"],
                    "max_age_seconds": 3000,
                }
            ],
            opts=self._child(parent=self.uploads),
        )

    def _create_uploads_policy(self) -> None:
        aws.s3.BucketPolicy(
            "uploads",
            bucket=self.uploads.id,
            policy=policy_document(deny_insecure_transport(self.uploads.arn)),
            opts=self._child(parent=self.uploads),
        )

    def _create_logs_policy(self, account_id: pulumi.Input[str]) -> None:
        same_account = {"StringEquals": {"aws:SourceAccount": account_id}}
        aws.s3.BucketPolicy(
            "logs",
            bucket=self.logs.id,
            policy=policy_document(
                deny_insecure_transport(self.logs.arn),
                {
                    "Sid": "S3ServerAccessLogs",
                    "Effect": "Allow",
                    "Principal": {"Service": "logging.s3.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": pulumi.Output.concat(self.logs.arn, "/s3/*"),
                    "Condition": same_account,
                },
                {
                    "Sid": "CloudFrontAccessLogs",
                    "Effect": "Allow",
                    "Principal": {"Service": "delivery.logs.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": pulumi.Output.concat(self.logs.arn, "/cloudfront/*"),
                    "Condition": same_account,
                },
            ),
            opts=self._child(parent=self.logs),
        )

    def _log_access_to_logs_bucket(self, purpose: str, bucket: aws.s3.Bucket) -> None:
        aws.s3.BucketLogging(
            purpose,
            bucket=bucket.id,
            target_bucket=self.logs.id,
            target_prefix=f"s3/{purpose}/",
            opts=self._child(parent=bucket),
        )


def _encryption_rule(kms_key: aws.kms.Key | None) -> dict:
    if kms_key is None:
        return {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}
    return {
        "apply_server_side_encryption_by_default": {
            "sse_algorithm": "aws:kms",
            "kms_master_key_id": kms_key.arn,
        },
        "bucket_key_enabled": True,
    }
