"""Settings read from the environment the way the vault CLI reads them."""

import pytest

from caldron.errors import UsageError, VaultUnreachableError
from caldron.vault.settings import VaultSettings


@pytest.fixture
def env(isolated_home, monkeypatch):
    """Set variables for one test; the home folder is a fresh tmp folder."""

    def set_variables(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    set_variables.home = isolated_home
    return set_variables


def test_the_standard_variables_are_honoured(env, tmp_path):
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text("fake CA\n")
    env(
        VAULT_ADDR="https://vault.example.test:8200/",
        VAULT_TOKEN="fake-token-0001",
        VAULT_NAMESPACE="team-a",
        VAULT_CACERT=str(ca_file),
        VAULT_CLIENT_CERT="/tmp/client.pem",
        VAULT_CLIENT_KEY="/tmp/client.key",
        CALDRON_VAULT_MOUNT="/apps/",
    )

    settings = VaultSettings.from_environment()

    assert settings.address == "https://vault.example.test:8200"
    assert settings.token == "fake-token-0001"
    assert settings.namespace == "team-a"
    assert settings.verify == str(ca_file)
    assert settings.client_cert == ("/tmp/client.pem", "/tmp/client.key")
    assert settings.mount == "apps"
    assert "fake-token-0001" not in repr(settings)


def test_mount_argument_overrides_the_variable(env):
    env(VAULT_ADDR="http://127.0.0.1:1", VAULT_TOKEN="fake", CALDRON_VAULT_MOUNT="x")
    assert VaultSettings.from_environment(mount="team/kv").mount == "team/kv"
    assert VaultSettings.from_environment().mount == "x"


def test_default_mount_is_caldron(env):
    env(VAULT_ADDR="http://127.0.0.1:1", VAULT_TOKEN="fake")
    assert VaultSettings.from_environment().mount == "caldron"


@pytest.mark.parametrize(
    ("file_content", "expected"),
    [("fake-file-token\n", "fake-file-token"), ("  \n", None), (None, None)],
    ids=["token-file", "blank-file", "no-file"],
)
def test_token_falls_back_to_the_vault_token_file(env, file_content, expected):
    env(VAULT_ADDR="http://127.0.0.1:1")
    if file_content is not None:
        (env.home / ".vault-token").write_text(file_content)
    assert VaultSettings.from_environment().token == expected


def test_vault_token_wins_over_the_token_file(env):
    env(VAULT_ADDR="http://127.0.0.1:1", VAULT_TOKEN="fake-env-token")
    (env.home / ".vault-token").write_text("fake-file-token")
    assert VaultSettings.from_environment().token == "fake-env-token"


@pytest.mark.parametrize(
    ("value", "verify"),
    [("true", False), ("1", False), ("T", False), ("false", True), ("0", True)],
)
def test_skip_verify_reads_booleans_like_the_vault_cli(env, value, verify):
    env(VAULT_ADDR="https://v.example.test", VAULT_SKIP_VERIFY=value)
    assert VaultSettings.from_environment().verify is verify


def test_cacert_wins_over_capath(env, tmp_path):
    env(
        VAULT_ADDR="https://v.example.test",
        VAULT_CACERT=str(tmp_path),
        VAULT_CAPATH="/",
    )
    assert VaultSettings.from_environment().verify == str(tmp_path)


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"VAULT_ADDR": "vault.example.test:8200"}, "VAULT_ADDR"),
        ({"VAULT_ADDR": "ftp://vault.example.test"}, "VAULT_ADDR"),
        (
            {"VAULT_ADDR": "https://v.example.test", "VAULT_SKIP_VERIFY": "yes"},
            "VAULT_SKIP_VERIFY",
        ),
        (
            {
                "VAULT_ADDR": "https://v.example.test",
                "VAULT_CACERT": "/nonexistent.pem",
            },
            "VAULT_CACERT",
        ),
        (
            {"VAULT_ADDR": "https://v.example.test", "VAULT_CLIENT_CERT": "/c.pem"},
            "VAULT_CLIENT_KEY",
        ),
        (
            {"VAULT_ADDR": "https://v.example.test", "CALDRON_VAULT_MOUNT": "a/../b"},
            "mount",
        ),
    ],
    ids=["no-scheme", "wrong-scheme", "skip-verify", "cacert", "half-cert", "mount"],
)
def test_malformed_variables_are_usage_errors_naming_them(env, variables, named):
    env(**variables)
    with pytest.raises(UsageError, match=named) as caught:
        VaultSettings.from_environment()
    assert caught.value.exit_code == 2


def test_nothing_configured_says_how_to_fix_it(env):
    with pytest.raises(VaultUnreachableError) as caught:
        VaultSettings.from_environment()
    assert "VAULT_ADDR is unset" in caught.value.message
    assert "caldron vault local start" in caught.value.hint
    assert caught.value.exit_code == 4
