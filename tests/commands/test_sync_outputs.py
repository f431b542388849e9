"""``caldron secrets sync-outputs``: the program's own outputs into Vault."""

import json

import pytest

from caldron.infra_check.harness import run_program
from caldron.infra_check.stack_config import find_project, read_stack_config


@pytest.fixture(scope="module")
def program_outputs():
    """Per stack, the outputs the Pulumi program exports, run under mocks."""
    project = find_project()
    return {
        stack: json.loads(
            json.dumps(run_program(project, read_stack_config(project, stack)).outputs)
        )
        for stack in ("dev", "prod")
    }


def write_outputs(tmp_path, outputs):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(outputs))
    return str(path)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_program_outputs_sync_into_vault(
    invoke, tmp_path, program_outputs, openbao, kv_mount, catalogue, stack
):
    outputs = program_outputs[stack]

    result = invoke(
        "secrets",
        "sync-outputs",
        "--stack",
        stack,
        "--from",
        write_outputs(tmp_path, outputs),
    )

    assert result.exit_code == 0, result.output
    client = openbao.client()
    for spec in catalogue.key_specs():
        if spec.source_output is None or spec.source_output not in outputs:
            continue
        stored = client.secrets.kv.v2.read_secret_version(
            f"{stack}/{spec.integration}",
            mount_point=kv_mount,
            raise_on_deleted_version=True,
        )["data"]["data"]
        assert stored[spec.name] == str(outputs[spec.source_output]), spec.name
    assert str(outputs["smtp_password"]) not in result.output


def test_dry_run_then_sync_is_idempotent(invoke, tmp_path, program_outputs):
    source = write_outputs(tmp_path, program_outputs["dev"])

    dry = invoke(
        "secrets", "sync-outputs", "--stack", "dev", "--from", source, "--dry-run"
    )
    first = invoke("secrets", "sync-outputs", "--stack", "dev", "--from", source)
    second = invoke("secrets", "sync-outputs", "--stack", "dev", "--from", source)

    assert (dry.exit_code, first.exit_code, second.exit_code) == (0, 0, 0)
    assert "Dry run:" in dry.stdout
    assert "  + SMTP_PASSWORD" in dry.stdout
    assert "Nothing to change." in second.stdout


def test_missing_output_is_named(invoke, tmp_path, program_outputs, openbao, kv_mount):
    outputs = dict(program_outputs["dev"])
    del outputs["smtp_host"]

    result = invoke(
        "secrets",
        "sync-outputs",
        "--stack",
        "dev",
        "--from",
        write_outputs(tmp_path, outputs),
    )

    assert result.exit_code == 3
    assert "smtp_host (for SMTP_HOST)" in result.stderr


def test_reads_standard_input(invoke, program_outputs):
    result = invoke(
        "secrets",
        "sync-outputs",
        "--stack",
        "dev",
        "--from",
        "-",
        "--dry-run",
        input=json.dumps(program_outputs["dev"]),
    )

    assert result.exit_code == 0, result.output
    assert "dev/ses-smtp: new secret" in result.stdout
