"""``caldron verify`` on bad or partial inputs, and what it never prints."""

import json
import logging
import subprocess
import sys

import boto3
import moto_account
import pytest
from click.testing import CliRunner
from moto_account import BUCKETS, SMTP_PASSWORD_CANARY

from caldron.main import cli

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
        (lambda outputs: {**outputs, "smtp_password": "[secret]"},
         "hide the secret output(s) smtp_password"),
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
    outputs = {
        "environment": "dev",
        "storage_bucket_name": BUCKETS[0],
        "assets_bucket_name": BUCKETS[1],
        "logs_bucket_name": BUCKETS[2],
        "cdn_distribution_id": "EFAKE0000001",
        "cdn_domain_name": "dfake0000001.cloudfront.net",
        "sender_domain": "mail.dev.example.test",
        "alerts_topic_arn": "arn:aws:sns:eu-west-1:123456789012:fake-alerts",
        "alarm_names": [],
        "smtp_password": SMTP_PASSWORD_CANARY,
    }

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
