"""``caldron env pull``: render from Vault, atomically, for each consumer."""

import json
import os
import stat
import subprocess

import pytest
from dotenv import dotenv_values

PEM = (
    "-----BEGIN PRIVATE KEY-----\nMIIBfakeLINEone\nQUJDfakeLINEtwo\n"
    "-----END PRIVATE KEY-----\n"
)


def pull(invoke, tmp_path, *extra, name=".env.dev"):
    output = tmp_path / name
    return invoke(
        "env", "pull", "--env", "dev", "--output", str(output), *extra
    ), output


def test_pull_renders_every_template_variable(invoke, pushed_dev, tmp_path):
    result, output = pull(invoke, tmp_path)

    assert result.exit_code == 0, result.output
    values = dotenv_values(output, interpolate=False)
    for key, value in pushed_dev.items():
        assert values[key] == value, key
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    header = output.read_text().split("\n\n")[0]
    assert "dev/stripe version 1" in header
    for value in pushed_dev.values():
        if len(value) > 6:
            assert value not in result.output


def test_output_is_deterministic(invoke, pushed_dev, tmp_path):
    _, first = pull(invoke, tmp_path, name="a.env")
    _, second = pull(invoke, tmp_path, name="b.env")

    assert first.read_bytes() == second.read_bytes()


def test_missing_required_values_are_listed_and_old_file_kept(invoke, tmp_path):
    output = tmp_path / ".env.staging"
    output.write_text("OLD=1\n")

    result = invoke("env", "pull", "--env", "staging", "--output", str(output))

    assert result.exit_code == 3
    assert "staging lacks required values for: STRIPE_SECRET_KEY" in result.stderr
    assert output.read_text() == "OLD=1\n"


def test_multiline_key_reads_back_and_shadowing_variable_is_warned(
    invoke, pushed_dev, tmp_path, monkeypatch, openbao, kv_mount
):
    data = {k: v for k, v in pushed_dev.items() if k.startswith("APNS_")}
    data["APNS_AUTH_KEY"] = PEM
    openbao.client().secrets.kv.v2.create_or_update_secret(
        "dev/apns", secret=data, mount_point=kv_mount
    )
    monkeypatch.setenv("APNS_AUTH_KEY", '"-----BEGIN PRIVATE KEY-----')

    result, output = pull(invoke, tmp_path)

    assert result.exit_code == 0, result.output
    assert dotenv_values(output, interpolate=False)["APNS_AUTH_KEY"] == PEM
    assert "APNS_AUTH_KEY is already set in this shell" in result.stderr
    assert "whitespace" not in result.stderr


def test_trailing_newline_on_a_one_line_value_is_kept_and_warned(
    invoke, pushed_dev, tmp_path, openbao, kv_mount
):
    data = {k: v for k, v in pushed_dev.items() if k.startswith("GA_")}
    data["GA_MEASUREMENT_ID"] = "G-FAKE00000\n"
    openbao.client().secrets.kv.v2.create_or_update_secret(
        "dev/google-analytics", secret=data, mount_point=kv_mount
    )

    result, output = pull(invoke, tmp_path)

    assert result.exit_code == 0, result.output
    assert "GA_MEASUREMENT_ID has leading or trailing whitespace" in result.stderr
    assert (
        dotenv_values(output, interpolate=False)["GA_MEASUREMENT_ID"] == "G-FAKE00000\n"
    )


@pytest.mark.parametrize("consumer", ["json", "shell", "portable", "symfony"])
def test_each_consumer_renders(invoke, pushed_dev, tmp_path, consumer):
    result, output = pull(invoke, tmp_path, "--for", consumer, name=f"{consumer}.env")

    assert result.exit_code == 0, result.output
    if consumer == "json":
        assert (
            json.loads(output.read_text())["STRIPE_SECRET_KEY"]
            == pushed_dev["STRIPE_SECRET_KEY"]
        )
    if consumer == "shell":
        printed = subprocess.run(
            ["bash", "-c", f'set -a; . "{output}"; printf %s "$STRIPE_SECRET_KEY"'],
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": os.environ["PATH"]},
        ).stdout
        assert printed == pushed_dev["STRIPE_SECRET_KEY"]


def test_consumer_that_cannot_carry_a_value_names_the_key(invoke, pushed_dev, tmp_path):
    earlier = tmp_path / ".env.dev"
    earlier.write_text("OLD='fake-old'\n")
    earlier.chmod(0o640)

    result, output = pull(invoke, tmp_path, "--for", "docker")

    assert result.exit_code == 3
    assert "APNS_AUTH_KEY" in result.stderr
    assert "BEGIN" not in result.output
    assert output.read_text() == "OLD='fake-old'\n"
    assert stat.S_IMODE(output.stat().st_mode) == 0o640
    assert [path.name for path in tmp_path.glob(".env*")] == [".env.dev"]


@pytest.mark.parametrize(
    ("arguments", "exit_code", "message"),
    [
        (["--for", "cobol"], 2, "'cobol' is not one of"),
        (
            ["--template", "/nonexistent/app.env.example"],
            3,
            "/nonexistent/app.env.example",
        ),
    ],
)
def test_bad_options(invoke, pushed_dev, tmp_path, arguments, exit_code, message):
    result, _ = pull(invoke, tmp_path, *arguments)

    assert result.exit_code == exit_code
    assert message in result.stderr


def test_template_with_unknown_key_is_refused(invoke, pushed_dev, tmp_path):
    template = tmp_path / "app.env.example"
    template.write_text("# A key nobody declared.\n# caldron:vault\nNOT_DECLARED=\n")

    result, _ = pull(invoke, tmp_path, "--template", str(template))

    assert result.exit_code == 3
    assert "NOT_DECLARED" in result.stderr


def test_output_refused_where_git_would_commit_it(invoke, pushed_dev, tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)

    result, output = pull(invoke, tmp_path, name="app.settings")

    assert result.exit_code in (2, 3)
    assert "not ignored by git" in result.stderr
    assert not output.exists()


def test_output_that_is_a_directory(invoke, pushed_dev, tmp_path):
    (tmp_path / "out").mkdir()

    result, _ = pull(invoke, tmp_path, name="out")

    assert result.exit_code in (2, 3)
    assert "out" in result.stderr


def test_a_live_key_stored_in_dev_is_refused_and_a_bad_format_is_warned(
    invoke, pushed_dev, tmp_path, openbao, kv_mount
):
    live = "sk_live_FAKE9999999999999999999999"
    stripe = {k: v for k, v in pushed_dev.items() if k.startswith("STRIPE_")}
    client = openbao.client()
    client.secrets.kv.v2.create_or_update_secret(
        "dev/stripe", secret={**stripe, "STRIPE_SECRET_KEY": live}, mount_point=kv_mount
    )

    refused, output = pull(invoke, tmp_path)

    assert refused.exit_code == 3
    assert "STRIPE_SECRET_KEY: a live value is refused in dev" in refused.stderr
    assert live not in refused.output
    assert not output.exists()

    client.secrets.kv.v2.create_or_update_secret(
        "dev/stripe",
        secret={**stripe, "STRIPE_SECRET_KEY": "sk_test_short"},
        mount_point=kv_mount,
    )
    warned, output = pull(invoke, tmp_path)

    assert warned.exit_code == 0, warned.output
    assert "warning: STRIPE_SECRET_KEY: the value" in warned.stderr
    assert "sk_test_short" not in warned.output
