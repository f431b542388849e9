"""``caldron vault bootstrap`` against a real OpenBao."""

import pytest
from click.testing import CliRunner

from caldron.errors import InvalidInputError
from caldron.main import COMMANDS, cli
from caldron.provisioning import BootstrapOptions, JwtOptions, bootstrap_environment
from caldron.provisioning.policies import load_environment_policies

FIRST_RUN = [
    "created secrets mount {mount}/ (kv v2)",
    "created policy caldron-dev-read",
    "created policy caldron-dev-write",
    "created auth method userpass/",
    "created auth method approle/",
    "created auth method jwt/",
    "created approle role caldron-dev-ci",
    "created jwt configuration",
    "created jwt role caldron-dev",
    "bootstrapped dev: 9 change(s)",
]


@pytest.fixture
def cli_env(blank_vault, isolated_home, monkeypatch, signer, tmp_path):
    # The lead attaches the command to the vault group; the root group maps
    # caldron errors to exit codes the same way for any command it holds.
    monkeypatch.setitem(COMMANDS, "bootstrap", "caldron.commands.bootstrap:bootstrap")
    monkeypatch.setenv("VAULT_ADDR", blank_vault.addr)
    monkeypatch.setenv("VAULT_TOKEN", blank_vault.server.root_token)
    monkeypatch.setenv("CALDRON_VAULT_MOUNT", blank_vault.mount)
    key_file = tmp_path / "ci-signing.pub"
    key_file.write_text(signer.public_pem)
    monkeypatch.setenv("CALDRON_JWT_PUBKEY_FILE", str(key_file))
    return blank_vault


def run_bootstrap(*arguments: str):
    return CliRunner().invoke(cli, ["bootstrap", *arguments])


def test_first_run_creates_everything_and_second_run_changes_nothing(cli_env):
    first = run_bootstrap("--env", "dev")
    second = run_bootstrap("--env", "dev")

    assert first.exit_code == 0
    assert first.stdout.splitlines() == [
        line.format(mount=cli_env.mount) for line in FIRST_RUN
    ]
    assert (second.exit_code, second.stdout) == (
        0,
        "nothing changed: dev is already bootstrapped\n",
    )


def test_second_environment_reuses_mount_and_methods(cli_env):
    run_bootstrap("--env", "dev")

    staging = run_bootstrap("--env", "staging")

    assert staging.exit_code == 0
    assert staging.stdout.splitlines() == [
        "created policy caldron-staging-read",
        "created policy caldron-staging-write",
        "created approle role caldron-staging-ci",
        "created jwt role caldron-staging",
        "bootstrapped staging: 4 change(s)",
    ]


def test_drift_is_repaired_and_reported(cli_env):
    run_bootstrap("--env", "dev")
    root = cli_env.client()
    root.sys.create_or_update_acl_policy(
        "caldron-dev-read", 'path "x/*" {capabilities = ["read"]}'
    )
    root.write_data("auth/approle/role/caldron-dev-ci", data={"token_ttl": 60})

    result = run_bootstrap("--env", "dev")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "updated policy caldron-dev-read",
        "updated approle role caldron-dev-ci",
        "bootstrapped dev: 2 change(s)",
    ]


def test_policies_in_vault_name_the_chosen_mount(cli_env):
    run_bootstrap("--env", "dev")

    rules = cli_env.client().sys.read_acl_policy("caldron-dev-read")["data"]["policy"]

    assert f'path "{cli_env.mount}/data/dev/*"' in rules
    assert f'path "{cli_env.mount}/metadata/dev/*"' in rules
    assert 'path "caldron/' not in rules


def test_without_a_jwt_key_source_jwt_config_is_skipped_with_a_reason(
    cli_env, monkeypatch
):
    monkeypatch.delenv("CALDRON_JWT_PUBKEY_FILE")

    result = run_bootstrap("--env", "dev")

    assert result.exit_code == 0
    assert (
        "skipped jwt configuration: no key source; pass --jwt-pubkey-file, "
        "--jwt-jwks-url or --jwt-oidc-discovery-url"
    ) in result.stdout.splitlines()


def test_a_bootstrap_without_permission_fails_clearly_and_can_be_rerun(
    cli_env, make_token, monkeypatch
):
    limited = make_token(
        'path "sys/mounts" { capabilities = ["read"] }\n'
        'path "sys/mounts/*" { capabilities = ["create", "update", "read"] }\n'
        'path "sys/policies/acl/*" { capabilities = ["read"] }\n'
    )
    monkeypatch.setenv("VAULT_TOKEN", limited)

    denied = run_bootstrap("--env", "dev")
    monkeypatch.setenv("VAULT_TOKEN", cli_env.server.root_token)
    completed = run_bootstrap("--env", "dev")

    assert denied.exit_code == 7
    assert denied.stdout == ""
    assert denied.stderr.startswith(
        "Error: permission denied on sys/policies/acl/caldron-dev-read"
    )
    assert limited not in denied.output + denied.stderr
    assert completed.exit_code == 0
    assert completed.stdout.splitlines()[0] == "created policy caldron-dev-read"
    assert "secrets mount" not in completed.stdout
    assert run_bootstrap("--env", "dev").stdout == (
        "nothing changed: dev is already bootstrapped\n"
    )


def test_an_invalid_token_is_not_authenticated(cli_env, monkeypatch):
    monkeypatch.setenv("VAULT_TOKEN", "s.fake-invalid-token")

    result = run_bootstrap("--env", "dev")

    assert result.exit_code == 5
    assert "invalid or has expired" in result.stderr
    assert "fake-invalid-token" not in result.stderr


def test_an_existing_kv_v1_mount_of_that_name_is_refused(cli_env):
    cli_env.client().sys.enable_secrets_engine(
        "kv", path=cli_env.mount, options={"version": "1"}
    )

    result = run_bootstrap("--env", "dev")

    assert result.exit_code == 3
    assert f"mount {cli_env.mount}/ exists but is kv version 1" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--env", "qa"], "unknown environment 'qa'"),
        (["--env", "dev", "--jwt-pubkey-file", "/nonexistent.pem"], "does not exist"),
    ],
)
def test_bad_arguments_are_usage_errors(cli_env, arguments, message):
    result = run_bootstrap(*arguments)

    assert result.exit_code == 2
    assert message in result.stderr


def test_two_jwt_key_sources_are_refused(blank_vault, signer):
    options = BootstrapOptions(
        mount=blank_vault.mount,
        jwt=JwtOptions(
            pubkeys=(signer.public_pem,), jwks_url="https://ci.example.test/jwks"
        ),
    )

    with pytest.raises(InvalidInputError, match="give one JWT key source"):
        bootstrap_environment(blank_vault.client(), "dev", options)


@pytest.mark.parametrize("environment", ["local", "dev", "staging", "prod"])
def test_each_environment_has_a_read_and_a_write_policy(environment):
    read, write = load_environment_policies(environment)

    assert (read.name, write.name) == (
        f"caldron-{environment}-read",
        f"caldron-{environment}-write",
    )
    assert f'path "caldron/data/{environment}/*"' in read.rules
    assert '"read"' in read.rules and '"update"' not in read.rules
    assert '"create", "read", "update"' in write.rules
