"""Verification only reads: every AWS call it makes is a Get, List or Describe,
and its clients refuse anything else."""

import pytest
from moto_account import BUCKETS, REGION

from caldron.verify import StackTargets, run_checks
from caldron.verify import aws as verify_aws


def test_a_full_run_makes_only_read_calls(account):
    targets = StackTargets.from_outputs(account.outputs, "dev")
    results = run_checks(targets, verify_aws.AwsClients(REGION))

    services = {call.split(":")[0] for call in account.calls}
    writes = [
        call
        for call in account.calls
        if not call.split(":")[1].startswith(("Get", "List", "Describe"))
    ]
    assert all(result.passed for result in results)
    assert services == {"s3", "cloudfront", "sesv2", "backup", "cloudwatch", "sns"}
    assert "backup:GetBackupSelection" in account.calls
    assert writes == []


@pytest.mark.parametrize(
    ("service", "operation", "params"),
    [
        ("s3", "put_bucket_versioning", {
            "Bucket": BUCKETS[0],
            "VersioningConfiguration": {"Status": "Suspended"},
        }),
        ("s3", "delete_public_access_block", {"Bucket": BUCKETS[0]}),
        ("s3", "head_bucket", {"Bucket": BUCKETS[0]}),
    ],
)  # fmt: skip
def test_clients_refuse_any_other_call(account, service, operation, params):
    clients = verify_aws.AwsClients(REGION)
    client = clients.client(service)

    with pytest.raises(verify_aws.ReadOnlyViolation, match=r"refused the write call"):
        getattr(client, operation)(**params)
    assert not any(call.endswith("PutBucketVersioning") for call in account.calls)

    seed = account.client("s3")
    assert seed.get_bucket_versioning(Bucket=BUCKETS[0])["Status"] == "Enabled"
    assert seed.get_public_access_block(Bucket=BUCKETS[0])[
        "PublicAccessBlockConfiguration"
    ]["BlockPublicPolicy"]
