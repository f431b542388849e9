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


@pytest.mark.parametrize(
    ("secrets_needed", "stdout", "args", "expected"),
    [
        (True, OUTPUTS,
         ["stack", "output", "--json", "--show-secrets", "--stack", "dev"], OUTPUTS),
        (False, {**OUTPUTS, "smtp_password": "[secret]"},
         ["stack", "output", "--json", "--stack", "dev"],
         {name: value for name, value in OUTPUTS.items() if name != "smtp_password"}),
    ],
    ids=["secrets-needed", "secrets-not-needed"],
)  # fmt: skip
def test_runs_pulumi_in_the_project_root(
    fake_pulumi, monkeypatch, tmp_path, secrets_needed, stdout, args, expected
):
    project = tmp_path / "project"
    (project / "infra").mkdir(parents=True)
    (project / "Pulumi.yaml").write_text("name: caldron\n")
    monkeypatch.chdir(project / "infra")
    record = fake_pulumi(stdout=json.dumps(stdout))

    outputs = read_stack_outputs("dev", secrets_needed=secrets_needed)

    call = json.loads(record.read_text())
    assert outputs == expected
    assert call["args"] == args
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
        ('{"environment": "' + CANARY + '"}',
         "belong to an unknown environment, not 'dev'"),
        ('{"environment": ["dev"]}', "belong to an unknown environment, not 'dev'"),
        ('{"smtp_password": "' + CANARY + '"}', "lack the environment output"),
        ('{"environment": null, "smtp_host": "fake"}', "lack the environment output"),
        (b'{"smtp_password": "\xff\xfe"}', "is not UTF-8 text"),
        ("[" * 100_000, "are not valid JSON (nested too deeply)"),
        ('{"smtp_password": ' * 100_000, "are not valid JSON (nested too deeply)"),
        ('{"environment": "dev", "smtp_port": Infinity}',
         "are not valid JSON (Infinity is not a JSON number)"),
        ('{"environment": "dev", "smtp_port": -Infinity}',
         "are not valid JSON (-Infinity is not a JSON number)"),
        ('{"environment": "dev", "pad": "' + "x" * (4 * 1024 * 1024) + '"}',
         "are larger than 4 MiB"),
        ('{"environment": "dev", "pad": "' + "\u00e9" * (2 * 1024 * 1024) + '"}',
         "are larger than 4 MiB"),
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


def outputs_of_size(size: int) -> str:
    """Valid outputs of stack dev exactly ``size`` bytes long."""
    head = '{"environment": "dev", "pad": "'
    return head + "x" * (size - len(head) - 2) + '"}'


def test_outputs_of_exactly_4_mib_are_read(outputs_file):
    path = outputs_file(outputs_of_size(4 * 1024 * 1024))

    outputs = read_stack_outputs("dev", path)

    assert sorted(outputs) == ["environment", "pad"]


@pytest.fixture
def oversized_sources(outputs_file, monkeypatch):
    """Each way of passing outputs just over 4 MiB, as (source, label)."""
    text = outputs_of_size(4 * 1024 * 1024 + 1)
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    path = outputs_file(text)
    return {
        "file": (path, path),
        "stdin": ("-", "standard input"),
        "endless": ("/dev/zero", "/dev/zero"),
    }


@pytest.mark.parametrize("kind", ["file", "stdin", "endless"])
def test_outputs_over_4_mib_are_refused_from_every_source(oversized_sources, kind):
    source, label = oversized_sources[kind]

    with pytest.raises(InvalidInputError) as caught:
        read_stack_outputs("dev", source)

    assert caught.value.exit_code == 3
    assert caught.value.message == f"stack outputs from {label} are larger than 4 MiB"


MASKED_OUTPUTS = {
    "environment": "dev",
    "smtp_host": "fake-smtp.example.test",
    "smtp_password": "[secret]",
}


def test_masked_outputs_are_left_out_when_secrets_are_not_needed(outputs_file):
    path = outputs_file(json.dumps(MASKED_OUTPUTS))

    outputs = read_stack_outputs("dev", path, secrets_needed=False)

    assert outputs == {"environment": "dev", "smtp_host": "fake-smtp.example.test"}


def test_masked_outputs_are_refused_by_default(outputs_file):
    path = outputs_file(json.dumps(MASKED_OUTPUTS))

    with pytest.raises(InvalidInputError) as caught:
        read_stack_outputs("dev", path)

    assert caught.value.message == (
        f"stack outputs from {path} hide the secret output(s) smtp_password"
    )


def test_null_outputs_are_left_out_and_reported_missing(outputs_file):
    path = outputs_file(
        json.dumps({"environment": "dev", "smtp_host": None, "smtp_password": None})
    )

    outputs = read_stack_outputs("dev", path)
    with pytest.raises(InvalidInputError) as caught:
        require_outputs(outputs, ["smtp_host", "smtp_password"], "dev")

    assert outputs == {"environment": "dev"}
    assert caught.value.message == (
        "stack dev lacks the output(s): smtp_host, smtp_password"
    )


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
