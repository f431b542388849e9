"""The outputs the Pulumi program exports (run offline under mocks) are what
verify reads, so the two halves of caldron cannot drift apart."""

import json

import pytest
from moto_account import SMTP_PASSWORD_CANARY

from caldron.infra_check.harness import run_program
from caldron.infra_check.stack_config import find_project, read_stack_config
from caldron.stack_outputs import read_stack_outputs
from caldron.verify import StackTargets


def program_outputs(stack: str) -> dict:
    """The program's outputs for ``stack``, as `pulumi stack output --json`
    would print them."""
    project = find_project()
    run = run_program(project, read_stack_config(project, stack))
    assert "smtp_password" in run.secret_outputs
    return json.loads(json.dumps(run.outputs))


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_program_outputs_name_everything_verify_checks(stack, tmp_path):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(program_outputs(stack)))

    targets = StackTargets.from_outputs(read_stack_outputs(stack, str(path)), stack)

    assert targets.stack == stack
    assert len(set(targets.bucket_names)) == 3
    assert targets.bucket_region
    assert targets.alarm_names
    assert targets.alerts_topic_arn.startswith("arn:aws:sns:")


def test_verify_reads_program_outputs_and_fails_on_an_empty_account(
    empty_account, run_verify
):
    outputs = {**program_outputs("dev"), "smtp_password": SMTP_PASSWORD_CANARY}
    empty_account.outputs = outputs

    result = run_verify(outputs, "--json")

    report = json.loads(result.stdout)
    statuses = {item["status"] for item in report["checks"]}
    failed_checks = sorted({item["check"] for item in report["checks"]})
    assert result.exit_code == 10, result.output
    assert statuses == {"FAIL"}
    assert failed_checks == [
        "alarm", "alerts-subscription", "backup-plan", "backup-selection",
        "backup-vault", "bucket-exists", "cdn-exists", "ses-identity",
    ]  # fmt: skip
    assert SMTP_PASSWORD_CANARY not in result.output
