"""Reading a stack's outputs from a file, standard input or the Pulumi CLI."""

import io
import json
import os
import stat
import sys

import pytest

from caldron.errors import InvalidInputError, UsageError
from caldron.stack_outputs import read_stack_outputs, require_outputs

CANARY = "fake-smtp-CANARY-8812"
OUTPUTS = {
    "environment": "dev",
    "storage_bucket_name": "caldron-dev-uploads",
    "smtp_port": 587,
    "smtp_password": CANARY,
    "alarm_names": ["caldron-dev-5xx-rate"],
    "email_dns_records": [{"name": "a", "type": "CNAME", "value": "b"}],
}


@pytest.fixture
def outputs_file(tmp_path):
    def write(content: str | bytes) -> str:
        path = tmp_path / "outputs.json"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    return write


@pytest.fixture
def fake_pulumi(tmp_path, monkeypatch):
    """A `pulumi` on PATH that records its arguments and working directory,
    then prints ``stdout`` and exits with ``status``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "pulumi-call.json"

    def install(stdout: str = "", stderr: str = "", status: int = 0):
        script = bin_dir / "pulumi"
        script.write_text(
            f"#!{sys.executable}\n"
            "import json, os, sys\n"
            f"json.dump({{'args': sys.argv[1:], 'cwd': os.getcwd()}}, "
            f"open({str(record)!r}, 'w'))\n"
            f"sys.stdout.write({stdout!r})\n"
            f"sys.stderr.write({stderr!r})\n"
            f"sys.exit({status})\n"
        )
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
        return record

    return install


def test_reads_outputs_from_a_file(outputs_file):
    assert read_stack_outputs("dev", outputs_file(json.dumps(OUTPUTS))) == OUTPUTS


def test_reads_outputs_from_a_file_with_byte_order_mark(outputs_file):
    path = outputs_file(b"\xef\xbb\xbf" + json.dumps(OUTPUTS).encode())
    assert read_stack_outputs("dev", path) == OUTPUTS


def test_reads_outputs_from_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(OUTPUTS)))
    assert read_stack_outputs("dev", "-") == OUTPUTS


def test_runs_pulumi_in_the_project_root(fake_pulumi, monkeypatch, tmp_path):
    project = tmp_path / "project"
    (project / "infra").mkdir(parents=True)
    (project / "Pulumi.yaml").write_text("name: caldron\n")
    monkeypatch.chdir(project / "infra")
    record = fake_pulumi(stdout=json.dumps(OUTPUTS))

    outputs = read_stack_outputs("dev")

    call = json.loads(record.read_text())
    assert outputs == OUTPUTS
    assert call["args"] == [
        "stack", "output", "--json", "--show-secrets", "--stack", "dev",
    ]  # fmt: skip
    assert call["cwd"] == str(project)


def test_pulumi_failure_names_the_command_and_its_last_line(fake_pulumi, tmp_path):
    fake_pulumi(stderr="warning: x\nerror: no stack named 'prod' found\n", status=255)

    with pytest.raises(InvalidInputError) as caught:
        read_stack_outputs("prod")

    assert caught.value.exit_code == 3
    assert caught.value.message == (
        "pulumi stack output --stack prod failed: error: no stack named 'prod' found"
    )


def test_missing_pulumi_without_from_is_a_usage_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(UsageError) as caught:
        read_stack_outputs("dev")

    assert caught.value.exit_code == 2
    assert caught.value.message == "pulumi is not on PATH and no --from was given"
    assert "--from FILE" in caught.value.hint


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"smtp_password": "' + CANARY + '",', "are not valid JSON (line 1, column"),
        ("", "are not valid JSON (line 1, column 1)"),
        ('["caldron-dev-uploads"]', "are a JSON array, not an object"),
        ('"' + CANARY + '"', "are a JSON string, not an object"),
        ("null", "are a JSON null, not an object"),
        ('{"smtp_password": "[secret]", "smtp_username": "[secret]"}',
         "hide the secret output(s) smtp_password, smtp_username"),
        ('{"environment": "staging", "smtp_password": "' + CANARY + '"}',
         "belong to environment 'staging', not 'dev'"),
        (b'{"smtp_password": "\xff\xfe"}', "is not UTF-8 text"),
    ],
)  # fmt: skip
def test_bad_outputs_are_invalid_input_naming_the_source(
    outputs_file, content, message
):
    path = outputs_file(content)

    with pytest.raises(InvalidInputError) as caught:
        read_stack_outputs("dev", path)

    assert caught.value.exit_code == 3
    assert path in caught.value.message
    assert message in caught.value.message
    assert CANARY not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None or caught.value.__suppress_context__


@pytest.mark.parametrize("name", ["missing.json", "."])
def test_unreadable_file_is_invalid_input(tmp_path, name):
    path = str(tmp_path / name)

    with pytest.raises(InvalidInputError) as caught:
        read_stack_outputs("dev", path)

    assert caught.value.message.startswith(f"cannot read stack outputs file {path}: ")


@pytest.mark.parametrize("stack", ["local", "production", ""])
def test_unknown_stack_is_a_usage_error(outputs_file, stack):
    with pytest.raises(UsageError, match="use one of: dev, staging, prod"):
        read_stack_outputs(stack, outputs_file(json.dumps(OUTPUTS)))


def test_require_outputs_names_every_missing_output():
    outputs = {**OUTPUTS, "cdn_domain_name": None}

    with pytest.raises(InvalidInputError) as caught:
        require_outputs(
            outputs, ["smtp_host", "smtp_password", "cdn_domain_name"], "dev"
        )

    assert caught.value.message == (
        "stack dev lacks the output(s): smtp_host, cdn_domain_name"
    )
    assert CANARY not in str(caught.value)
