"""``caldron verify`` on bad or partial inputs, and what it never prints."""

import json
import logging
import socket
import subprocess
import sys

import boto3
import moto_account
import pytest
from botocore.config import Config
from click.testing import CliRunner
from moto_account import BUCKETS, SMTP_PASSWORD_CANARY

from caldron.main import cli
from caldron.verify import aws as verify_aws

BACKUP_OUTPUTS = ("backup_vault_name", "backup_plan_id", "backup_selection_id")


def without(outputs, *names):
    return {name: value for name, value in outputs.items() if name not in names}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda outputs: without(outputs, "alarm_names", "sender_domain"),
         "stack dev lacks the output(s): sender_domain, alarm_names"),
        (lambda outputs: {**outputs, "cdn_distribution_id": None},
         "stack dev lacks the output(s): cdn_distribution_id"),
        (lambda outputs: without(outputs, "backup_selection_id"),
         "stack dev lacks the output(s): backup_selection_id"),
        (lambda outputs: {**outputs, "alarm_names": "caldron-dev-5xx-rate"},
         "stack dev output alarm_names is not a list of non-empty strings"),
        (lambda outputs: {**outputs, "storage_bucket_name": ["a", "b"]},
         "stack dev output storage_bucket_name is not a non-empty string"),
        (lambda outputs: {**outputs, "environment": "prod"},
         "belong to environment 'prod', not 'dev'"),
        (lambda outputs: without(outputs, "environment"),
         "lack the environment output"),
        (lambda outputs: {**outputs, "environment": None},
         "lack the environment output"),
        (lambda outputs: {**outputs, "storage_bucket_name": "[secret]"},
         "stack dev lacks the output(s): storage_bucket_name"),
    ],
)  # fmt: skip
def test_unusable_outputs_exit_3_before_any_aws_call(
    account, run_verify, change, message
):
    result = run_verify(change(account.outputs))

    assert result.exit_code == 3, result.output
    assert message in result.stderr
    assert result.stderr.startswith("Error: ")
    assert result.stdout == ""
    assert account.calls == []
    assert SMTP_PASSWORD_CANARY not in result.output


MALFORMED = [
    ("alerts_topic_arn", "not-an-arn", "is not an SNS topic ARN"),
    ("alerts_topic_arn", "arn:aws:sns:mars-1:123456789012:fake-alerts",
     "is not an SNS topic ARN"),
    ("storage_bucket_name", "Bad_Bucket!", "is not an S3 bucket name"),
    ("assets_bucket_name", "192.168.5.4", "is not an S3 bucket name"),
    ("logs_bucket_name", "fake..logs", "is not an S3 bucket name"),
    ("cdn_distribution_id", "../../etc", "is not a CloudFront distribution id"),
    ("storage_bucket_region", "mars-1", "is not an AWS region name like eu-west-1"),
    ("cdn_domain_name", "fake cdn.example", "is not a domain name"),
    ("sender_domain", "../fake.example", "is not a domain name"),
    ("alarm_names", ["caldron-dev-5xx-rate", "fake\nforged"],
     "item 1 is not a CloudWatch alarm name"),
    ("alarm_names", ["fake-alarm", ""], "is not a list of non-empty strings"),
    ("backup_vault_name", "vault/../fake", "is not an AWS Backup vault name"),
    ("backup_plan_id", "../fake-plan", "is not an AWS Backup id"),
    ("backup_selection_id", "fake?x=1", "is not an AWS Backup id"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "value", "problem"), MALFORMED, ids=[case[0] for case in MALFORMED]
)
def test_malformed_output_exits_3_naming_it_before_any_aws_call(
    account, run_verify, name, value, problem
):
    result = run_verify({**account.outputs, name: value})

    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"Error: stack dev output {name} {problem}")
    assert result.stdout == ""
    assert account.calls == []
    shown = value if isinstance(value, str) else value[-1]
    assert not shown or shown not in result.stderr


def test_every_malformed_output_is_named_at_once(account, run_verify):
    outputs = {
        **account.outputs,
        "storage_bucket_name": "Bad_Bucket!",
        "cdn_distribution_id": "../../etc",
    }

    result = run_verify(outputs)

    assert result.exit_code == 3
    assert result.stderr.startswith(
        "Error: stack dev output storage_bucket_name is not an S3 bucket name "
        "(3-63 lowercase letters, digits, dots and hyphens); "
        "output cdn_distribution_id is not a CloudFront distribution id"
    )
    assert account.calls == []


@pytest.mark.parametrize("masked", ["smtp_password", "smtp_username"])
def test_masked_secret_outputs_are_accepted(account, run_verify, masked):
    result = run_verify({**account.outputs, masked: "[secret]"}, "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["passed"] is True
    assert result.stderr == ""


def test_null_output_verify_does_not_need_is_ignored(account, run_verify):
    result = run_verify({**account.outputs, "smtp_password": None}, "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["passed"] is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000, "are not valid JSON (nested too deeply)"),
        ('{"environment": "dev", "x": ' + '{"x": ' * 100_000,
         "are not valid JSON (nested too deeply)"),
        ('{"environment": "dev", "smtp_port": NaN}',
         "are not valid JSON (NaN is not a JSON number)"),
        ('{"environment": "dev", "pad": "' + "x" * (4 * 1024 * 1024) + '"}',
         "are larger than 4 MiB"),
    ],
    ids=["deep-array", "deep-object", "nan", "over-4-mib"],
)  # fmt: skip
def test_unparseable_outputs_exit_3(account, tmp_path, content, message):
    path = tmp_path / "outputs.json"
    path.write_text(content)

    result = CliRunner().invoke(cli, ["verify", "--stack", "dev", "--from", str(path)])

    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"Error: stack outputs from {path} {message}")
    assert "Traceback" not in result.output
    assert account.calls == []


@pytest.mark.parametrize("region", ["mars 1", "mars-1", "eu-west", "EU-WEST-1", ""])
def test_malformed_region_option_is_a_usage_error(account, run_verify, region):
    result = run_verify(account.outputs, "--region", region)

    assert result.exit_code == 2, result.output
    assert (
        "Invalid value for '--region': not an AWS region name like eu-west-1"
        in result.stderr
    )
    assert result.stdout == ""
    assert account.calls == []


def test_malformed_default_region_is_a_usage_error(account, run_verify, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "mars 1")

    result = run_verify(without(account.outputs, "storage_bucket_region"))

    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "Error: the AWS region for verification is not a region name like "
        "eu-west-1 (check --region, AWS_DEFAULT_REGION and the profile's region)\n"
    )
    assert account.calls == []


@pytest.fixture
def closed_port():
    """A loopback port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_aws_exits_4_naming_the_endpoint(
    run_verify, monkeypatch, closed_port
):
    class SingleAttemptClients(verify_aws.AwsClients):
        def __init__(self, region=None, session=None):
            super().__init__(region, session)
            self.config = self.config.merge(Config(retries={"max_attempts": 1}))

    monkeypatch.setattr(verify_aws, "AwsClients", SingleAttemptClients)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port}")
    outputs = {**well_formed_outputs(), "smtp_password": SMTP_PASSWORD_CANARY}

    result = run_verify(outputs)

    assert result.exit_code == 4, result.output
    assert result.stderr == (
        f"Error: cannot reach AWS at http://127.0.0.1:{closed_port} (check the "
        "network, the proxy settings and that the region exists)\n"
    )
    assert SMTP_PASSWORD_CANARY not in result.output


def well_formed_outputs():
    """Well-formed outputs of stack dev, for tests that reach no account."""
    return {
        "environment": "dev",
        "storage_bucket_name": BUCKETS[0],
        "assets_bucket_name": BUCKETS[1],
        "logs_bucket_name": BUCKETS[2],
        "cdn_distribution_id": "EFAKE0000001",
        "cdn_domain_name": "dfake0000001.cloudfront.net",
        "sender_domain": "mail.dev.example.test",
        "alerts_topic_arn": "arn:aws:sns:eu-west-1:123456789012:fake-alerts",
        "alarm_names": [],
    }


def test_stack_without_backups_skips_backup_checks(account, run_verify):
    result = run_verify(without(account.outputs, *BACKUP_OUTPUTS), "--json")

    checks = {item["check"] for item in json.loads(result.stdout)["checks"]}
    assert result.exit_code == 0, result.output
    assert not any(check.startswith("backup-") for check in checks)
    assert "bucket-versioning" in checks


def test_unknown_stack_is_a_usage_error(account, run_verify):
    result = run_verify(account.outputs, stack="local")

    assert result.exit_code == 2
    assert "Invalid value for '--stack'" in result.stderr
    assert account.calls == []


def test_outputs_from_stdin(account):
    result = CliRunner().invoke(
        cli,
        ["verify", "--stack", "dev", "--from", "-", "--json"],
        input=json.dumps(account.outputs),
    )

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["passed"] is True


def test_region_option_overrides_the_bucket_region(account, run_verify):
    result = run_verify(account.outputs, "--region", "eu-central-1", "--json")

    report = json.loads(result.stdout)
    failures = {item["check"] for item in report["checks"] if item["status"] == "FAIL"}
    assert result.exit_code == 10
    assert report["region"] == "eu-central-1"
    assert "ses-identity" in failures
    assert "bucket-exists" not in failures


@pytest.mark.parametrize("options", [(), ("--json",)])
def test_secrets_never_reach_output_or_logs(
    account, run_verify, caplog, monkeypatch, options
):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("AWS_SESSION_TOKEN", "fake-session-token-CANARY-4471")
    monkeypatch.setattr(moto_account, "SESSION", boto3.session.Session())
    account.client("s3").delete_bucket_encryption(Bucket=BUCKETS[0])

    result = run_verify(account.outputs, *options, debug=True)

    assert result.exit_code == 10
    assert "bucket-encryption" in result.stdout
    assert "caldron.verify.aws" in caplog.text
    for secret in (
        SMTP_PASSWORD_CANARY,
        "fake-secret-access-key",
        "FOOBARSECRET",
        "fake-session-token-CANARY-4471",
    ):
        assert secret not in result.output
        assert secret not in caplog.text


def test_missing_credentials_exit_5(run_verify, monkeypatch, tmp_path):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    outputs = {**well_formed_outputs(), "smtp_password": SMTP_PASSWORD_CANARY}

    result = run_verify(outputs)

    assert result.exit_code == 5, result.output
    assert result.stderr.startswith("Error: no usable AWS credentials found (set ")
    assert "Traceback" not in result.output
    assert SMTP_PASSWORD_CANARY not in result.output


def test_help_does_not_import_aws_libraries():
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from caldron.main import cli\n"
        "result = CliRunner().invoke(cli, ['verify', '--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted({'boto3', 'botocore', 'pulumi'} & set(sys.modules)))\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert finished.stdout == "[]\n"
