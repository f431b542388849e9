"""``caldron run``: the rendered variables in a child's environment."""

import sys

import pytest

from caldron.main import cli


def test_child_sees_values_and_its_exit_code_passes_through(
    invoke, pushed_dev, tmp_path, monkeypatch
):
    script = tmp_path / "child.py"
    script.write_text(
        "import os, sys\n"
        "ok = os.environ['STRIPE_SECRET_KEY'] == sys.argv[1]\n"
        "sys.exit(7 if ok else 1)\n"
    )
    monkeypatch.setenv("STRIPE_SECRET_KEY", "stale-value-from-shell")

    result = invoke(
        "run",
        "--env",
        "dev",
        "--",
        sys.executable,
        str(script),
        pushed_dev["STRIPE_SECRET_KEY"],
    )

    assert result.exit_code == 7
    assert not list(tmp_path.glob(".env*"))


def test_unknown_command_exits_127(invoke, pushed_dev):
    result = invoke("run", "--env", "dev", "--", "no-such-command-caldron")

    assert result.exit_code == 127
    assert "command not found: no-such-command-caldron" in result.stderr


def test_missing_values_stop_before_the_child_starts(invoke, tmp_path):
    marker = tmp_path / "ran"

    result = invoke("run", "--env", "prod", "--", "touch", str(marker))

    assert result.exit_code == 3
    assert not marker.exists()


@pytest.mark.parametrize("arguments", [["--env", "dev"], ["--", "true"]])
def test_usage_errors(vault_env, arguments):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["run", *arguments])

    assert result.exit_code == 2


def test_mask_hides_secret_values_in_child_output(
    invoke, pushed_dev, tmp_path, monkeypatch
):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    script = tmp_path / "child.py"
    script.write_text(
        "import os, sys\n"
        "print('key is', os.environ['STRIPE_SECRET_KEY'])\n"
        "print('mode is', os.environ['PAYPAL_MODE'], file=sys.stderr)\n"
        "sys.exit(3)\n"
    )

    result = invoke("run", "--env", "dev", "--mask", "--", sys.executable, str(script))

    secret = pushed_dev["STRIPE_SECRET_KEY"]
    assert result.exit_code == 3
    assert "key is ***" in result.stdout
    assert f"::add-mask::{secret}" in result.stdout
    assert result.stdout.count(secret) == 1
    assert "mode is sandbox" in result.stderr


def test_a_stored_nul_byte_stops_before_the_child_starts(
    invoke, pushed_dev, tmp_path, openbao, kv_mount
):
    paypal = {k: v for k, v in pushed_dev.items() if k.startswith("PAYPAL_")}
    paypal["PAYPAL_CLIENT_SECRET"] = "FAKE-\x00-secret"
    openbao.client().secrets.kv.v2.create_or_update_secret(
        "dev/paypal", secret=paypal, mount_point=kv_mount
    )
    marker = tmp_path / "ran"

    result = invoke("run", "--env", "dev", "--", "touch", str(marker))

    assert result.exit_code == 3
    assert "PAYPAL_CLIENT_SECRET: holds a NUL byte" in result.stderr
    assert not marker.exists()
