"""``caldron infra check``: output, verdicts and exit codes."""

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from caldron.infra_check.mocks import FAKE_SECRET_ACCESS_KEY, FAKE_SMTP_PASSWORD
from caldron.main import cli

REPO_ROOT = Path(__file__).resolve().parents[2]

POLICY_LINES = [
    "  PASS no-public-bucket: S3 buckets block every form of public access",
    "  PASS encryption-everywhere: buckets, SNS topics and backup vaults are "
    "encrypted at rest",
    "  PASS versioning-everywhere: every S3 bucket keeps object versions",
    "  PASS https-only-cdn: CloudFront serves viewers over HTTPS only",
    "  PASS prod-backups-cross-region: prod is backed up and every recovery point "
    "is copied to another region",
    "  PASS alerts-topic-subscribed: the alerts topic has at least one subscription",
    "  PASS no-plaintext-secret-in-config: stack config holds no secret in plain text",
]


@pytest.fixture
def caldron(monkeypatch):
    """Invoke ``caldron`` in a folder, restoring logging that --debug changes."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level

    def invoke(*args, cwd=REPO_ROOT):
        monkeypatch.chdir(cwd)
        return CliRunner().invoke(cli, list(args))

    yield invoke
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize(
    ("stack", "resource_count"), [("dev", 62), ("staging", 75), ("prod", 83)]
)
def test_check_passes_for_every_real_stack(caldron, stack, resource_count):
    result = caldron("infra", "check", "--stack", stack)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"Offline check of stack {stack} (stacks/Pulumi.{stack}.yaml) under Pulumi "
        "mocks. This is not a preview: nothing was sent to AWS or a Pulumi backend."
    )
    assert f"Resources ({resource_count}):" in lines
    assert lines[-1] == "7 of 7 policies passed."
    assert [line for line in lines if line.startswith("  PASS")] == POLICY_LINES
    assert result.stderr == ""


def test_check_groups_resources_by_family_and_marks_secret_outputs(caldron):
    result = caldron("infra", "check", "--stack", "staging")

    lines = result.stdout.splitlines()
    family_lines = [
        line for line in lines if line.startswith("  ") and line.endswith(")")
    ]
    assert family_lines == [
        "  backups (9)",
        "  cdn (12)",
        "  email (15)",
        "  monitoring (14)",
        "  program (2)",
        "  storage (23)",
    ]
    assert "    aws:s3/bucket:Bucket: assets, logs, uploads" in lines
    assert "smtp_password (secret)" in result.stdout
    for fake_secret in (FAKE_SMTP_PASSWORD, FAKE_SECRET_ACCESS_KEY):
        assert fake_secret not in result.output


def test_debug_output_never_shows_a_secret_value():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "caldron",
            "--debug",
            "infra",
            "check",
            "--stack",
            "prod",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "caldron: DEBUG caldron.infra_check.harness: running" in result.stderr
    for fake_secret in (FAKE_SMTP_PASSWORD, FAKE_SECRET_ACCESS_KEY):
        assert fake_secret not in result.stdout
        assert fake_secret not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["infra", "check", "--stack", "qa"],
            "Error: Invalid value for '--stack': 'qa' is not one of 'dev', 'staging', "
            "'prod'.",
        ),
        (["infra", "check"], "Error: Missing option '--stack'."),
    ],
)
def test_unknown_or_missing_stack_is_a_usage_error(caldron, args, expected):
    result = caldron(*args)

    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stdout == ""


def remove(key):
    return lambda config: config.pop(key)


def put(key, value, field=None):
    def edit(config):
        if field is None:
            config[key] = value
        else:
            config[key][field] = value

    return edit


@pytest.mark.parametrize(
    ("stack", "edit", "expected"),
    [
        (
            "dev",
            remove("caldron:domain"),
            "stacks/Pulumi.dev.yaml: caldron:domain is missing; add it to the "
            "stack file",
        ),
        (
            "prod",
            put("caldron:regoin", "eu-west-1"),
            "stacks/Pulumi.prod.yaml: caldron:regoin is not a known setting; "
            "did you mean region?",
        ),
        (
            "prod",
            put("caldron:storage", False, field="kmsKey"),
            "stacks/Pulumi.prod.yaml: caldron:storage.kmsKey must be true in prod: "
            "prod buckets are encrypted with their own KMS key",
        ),
        (
            "staging",
            put("caldron:region", "Ireland"),
            "stacks/Pulumi.staging.yaml: caldron:region has the wrong form; write "
            "an AWS region code such as eu-west-1",
        ),
    ],
)
def test_broken_stack_file_exits_3_naming_key_and_file(
    caldron, scratch_project, tmp_path, stack, edit, expected
):
    scratch_project(stack, edit=edit)

    result = caldron("infra", "check", "--stack", stack, cwd=tmp_path)

    assert result.exit_code == 3
    assert result.stderr == f"Error: {expected} (fix the stack file and rerun)\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("config: {a: [}\n", "stacks/Pulumi.dev.yaml is not valid YAML at line 1"),
        ("- a list\n", "stacks/Pulumi.dev.yaml must hold a YAML mapping"),
        (
            "config:\n  region: eu-west-1\n",
            "stacks/Pulumi.dev.yaml: config key 'region' has no namespace "
            "(write it as caldron:region)",
        ),
    ],
)
def test_malformed_stack_file_is_named_relative_to_the_project(
    caldron, scratch_project, tmp_path, text, expected
):
    scratch_project("dev")
    (tmp_path / "stacks" / "Pulumi.dev.yaml").write_text(text, encoding="utf-8")

    result = caldron("infra", "check", "--stack", "dev", cwd=tmp_path)

    assert result.exit_code == 3
    assert result.stderr == f"Error: {expected}\n"
    assert result.stdout == ""


def test_policy_violation_exits_10_and_lists_what_failed(
    caldron, scratch_project, tmp_path
):
    def no_recipients(config):
        config["caldron:alerts"]["emails"] = []

    scratch_project("staging", edit=no_recipients)

    result = caldron("infra", "check", "--stack", "staging", cwd=tmp_path)

    assert result.exit_code == 10
    lines = result.stdout.splitlines()
    failed = lines.index(
        "  FAIL alerts-topic-subscribed: the alerts topic has at least one subscription"
    )
    assert lines[failed + 1 : failed + 3] == [
        "       - alerts topic 'alerts' has no subscription",
        "       - alerts topic 'alerts-edge' has no subscription",
    ]
    assert lines[-1] == "6 of 7 policies passed."
    assert result.stderr.splitlines() == [
        "Warning: no alert recipients configured",
        "Error: stack staging violates 1 policy: alerts-topic-subscribed (fix infra/ "
        "or the stack file, then rerun `caldron infra check`)",
    ]


@pytest.mark.parametrize(
    "args", [["--help"], ["infra", "--help"], ["infra", "check", "--help"]]
)
def test_help_does_not_import_pulumi(args):
    probe = (
        "import sys\n"
        "from caldron.main import cli\n"
        f"try:\n    cli({args!r}, prog_name='caldron')\n"
        "except SystemExit as done:\n    assert done.code == 0\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'pulumi', 'pulumi_aws', 'pulumi_policy', 'boto3'})\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "HEAVY []"


@pytest.mark.parametrize(
    ("find", "replace", "expected"),
    [
        (
            "sesBounceRate: ",
            "sesBounceRate: .nan #",
            "caldron:alerts.sesBounceRate must be a finite number",
        ),
        (
            "monthlyBudgetUsd: ",
            "monthlyBudgetUsd: .inf #",
            "caldron:alerts.monthlyBudgetUsd must be a finite number",
        ),
        ("kmsKey: true", "kmsKey: yes", "caldron:storage.kmsKey"),
        (
            "noncurrentVersionDays: ",
            "noncurrentVersionDays: 1:30 #",
            "caldron:storage.noncurrentVersionDays",
        ),
        (
            "  caldron:owner:",
            "  caldron:owner: twice\n  caldron:owner:",
            "caldron:owner is set twice",
        ),
    ],
)
def test_stack_yaml_is_read_as_pulumi_reads_it(
    caldron, scratch_project, tmp_path, find, replace, expected
):
    scratch_project("prod")
    stack_file = tmp_path / "stacks" / "Pulumi.prod.yaml"
    original = (REPO_ROOT / "stacks" / "Pulumi.prod.yaml").read_text(encoding="utf-8")
    assert find in original
    stack_file.write_text(original.replace(find, replace, 1), encoding="utf-8")

    result = caldron("infra", "check", "--stack", "prod", cwd=tmp_path)

    assert result.exit_code == 3, result.output
    assert expected in result.stderr
    assert "stacks/Pulumi.prod.yaml" in result.stderr
