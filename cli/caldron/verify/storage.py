"""Storage checks: every bucket exists, blocks public access, is encrypted
and versioned."""

from collections.abc import Iterator
from typing import Any

from caldron.verify.aws import AwsClients, fetch
from caldron.verify.results import CheckResult, failed, passed
from caldron.verify.targets import StackTargets

PUBLIC_ACCESS_SETTINGS = (
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
)
SSE_ALGORITHMS = ("AES256", "aws:kms", "aws:kms:dsse")


def check_storage(targets: StackTargets, clients: AwsClients) -> Iterator[CheckResult]:
    """Check the uploads, assets and logs buckets."""
    s3 = clients.client("s3", targets.bucket_region)
    for name in targets.bucket_names:
        yield from check_bucket(s3, name)


def check_bucket(s3: Any, name: str) -> Iterator[CheckResult]:
    """Check one bucket; a missing bucket fails once, not four times."""
    location = fetch(s3.get_bucket_location, "NoSuchBucket", Bucket=name)
    if location is None:
        yield failed("bucket-exists", name, "bucket does not exist")
        return

    region = location.get("LocationConstraint") or "us-east-1"
    yield passed("bucket-exists", name, f"bucket exists in {region}")
    yield check_public_access(s3, name)
    yield check_encryption(s3, name)
    yield check_versioning(s3, name)


def check_public_access(s3: Any, name: str) -> CheckResult:
    """The bucket's public access block turns on all four settings."""
    response = fetch(
        s3.get_public_access_block, "NoSuchPublicAccessBlockConfiguration", Bucket=name
    )
    if response is None:
        return failed("bucket-public-access", name, "no public access block is set")

    settings = response["PublicAccessBlockConfiguration"]
    off = [setting for setting in PUBLIC_ACCESS_SETTINGS if not settings.get(setting)]
    if off:
        return failed(
            "bucket-public-access", name, f"public access allowed: {', '.join(off)} off"
        )
    return passed("bucket-public-access", name, "all public access is blocked")


def check_encryption(s3: Any, name: str) -> CheckResult:
    """The bucket encrypts new objects by default (SSE-S3 or SSE-KMS)."""
    response = fetch(
        s3.get_bucket_encryption,
        "ServerSideEncryptionConfigurationNotFoundError",
        Bucket=name,
    )
    rules = (response or {}).get("ServerSideEncryptionConfiguration", {})
    algorithms = [
        rule.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm")
        for rule in rules.get("Rules", [])
    ]
    used = [algorithm for algorithm in algorithms if algorithm in SSE_ALGORITHMS]
    if not used:
        return failed("bucket-encryption", name, "no default encryption is set")
    return passed("bucket-encryption", name, f"encrypted by default with {used[0]}")


def check_versioning(s3: Any, name: str) -> CheckResult:
    """The bucket keeps object versions."""
    status = s3.get_bucket_versioning(Bucket=name).get("Status")
    if status != "Enabled":
        state = status.lower() if status else "never enabled"
        return failed("bucket-versioning", name, f"versioning is {state}")
    return passed("bucket-versioning", name, "versioning is enabled")
