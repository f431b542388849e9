"""``caldron vault bootstrap`` against a real OpenBao."""

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

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
    assert denied.stdout == f"created secrets mount {cli_env.mount}/ (kv v2)\n"
    assert denied.stderr.splitlines()[0] == (
        "bootstrap of dev stopped after the 1 change(s) above; run it again "
        "once the error is fixed"
    )
    assert denied.stderr.splitlines()[1].startswith(
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


def test_two_jwt_key_sources_are_refused_before_anything_is_sent(blank_vault, signer):
    options = BootstrapOptions(
        mount=blank_vault.mount,
        jwt=JwtOptions(
            pubkeys=(signer.public_pem,), jwks_url="https://ci.example.test/jwks"
        ),
    )

    with pytest.raises(InvalidInputError, match="give one JWT key source"):
        bootstrap_environment(blank_vault.client(), "dev", options)
    assert_nothing_was_sent(blank_vault)


def test_each_change_is_reported_as_it_is_made(blank_vault, signer):
    heard = []
    options = BootstrapOptions(
        mount=blank_vault.mount, jwt=JwtOptions(pubkeys=(signer.public_pem,))
    )

    changes = bootstrap_environment(blank_vault.client(), "dev", options, heard.append)

    assert heard == changes
    assert [change.describe() for change in heard][:2] == [
        f"created secrets mount {blank_vault.mount}/ (kv v2)",
        "created policy caldron-dev-read",
    ]


def assert_nothing_was_sent(vault) -> None:
    root = vault.client()
    assert f"{vault.mount}/" not in root.sys.list_mounted_secrets_engines()["data"]
    assert "jwt/" not in root.sys.list_auth_methods()["data"]


def _private_key(format_name: str, encrypted: bool = False) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    encryption = (
        serialization.BestAvailableEncryption(b"fake-passphrase")
        if encrypted
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM,
        getattr(serialization.PrivateFormat, format_name),
        encryption,
    )


def _public_key(format_name: str, encoding: str = "PEM") -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.public_key().public_bytes(
        getattr(serialization.Encoding, encoding),
        getattr(serialization.PublicFormat, format_name),
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (lambda: _private_key("PKCS8"), "holds a private key; give the public key"),
        (
            lambda: _private_key("TraditionalOpenSSL"),
            "holds a private key; give the public key",
        ),
        (lambda: _private_key("OpenSSH"), "holds a private key; give the public key"),
        (
            lambda: _private_key("PKCS8", encrypted=True),
            "holds a private key; give the public key",
        ),
        (
            lambda: _public_key("SubjectPublicKeyInfo") + _private_key("PKCS8"),
            "holds a private key; give the public key",
        ),
        (lambda: b"just some notes\n", "is not a PEM file (no -----BEGIN PUBLIC"),
        (lambda: b"", "is not a PEM file (no -----BEGIN PUBLIC"),
        (
            lambda: _public_key("SubjectPublicKeyInfo", "DER"),
            "is not a PEM file (it is not text)",
        ),
        (
            lambda: _public_key("PKCS1"),
            "holds a RSA PUBLIC KEY block; Vault reads only PUBLIC KEY and "
            "CERTIFICATE blocks",
        ),
        (
            lambda: b"-----BEGIN PUBLIC KEY-----\n!!fake!!\n-----END PUBLIC KEY-----\n",
            "has a PUBLIC KEY block that is not valid base64",
        ),
    ],
)
def test_a_key_file_that_is_not_a_public_key_is_refused_before_anything_is_sent(
    cli_env, tmp_path, content, reason
):
    data = content()
    key_file = tmp_path / "given.pem"
    key_file.write_bytes(data)

    result = run_bootstrap("--env", "dev", "--jwt-pubkey-file", str(key_file))

    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.startswith(f"Error: --jwt-pubkey-file {key_file} {reason}")
    for line in data.decode(errors="replace").splitlines()[1:-1]:
        if len(line) >= 16:
            assert line not in result.output + result.stderr
    assert_nothing_was_sent(cli_env)


@pytest.mark.parametrize(
    ("option", "url"),
    [
        ("--jwt-jwks-url", "not a url"),
        ("--jwt-jwks-url", "file:///etc/passwd"),
        ("--jwt-jwks-url", "https://"),
        ("--jwt-jwks-url", ""),
        ("--jwt-oidc-discovery-url", "ftp://ci.example.test"),
        ("--jwt-oidc-discovery-url", "token.actions.githubusercontent.com"),
    ],
)
def test_a_key_url_that_is_not_http_is_refused_before_anything_is_sent(
    cli_env, monkeypatch, option, url
):
    monkeypatch.delenv("CALDRON_JWT_PUBKEY_FILE")

    result = run_bootstrap("--env", "dev", option, url)

    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.startswith(f"Error: {option} is not an http(s) URL (")
    assert_nothing_was_sent(cli_env)


def test_a_file_of_several_public_keys_sends_each(cli_env, signer, tmp_path):
    key_file = tmp_path / "keys.pem"
    key_file.write_bytes(
        b"# CI signing keys\n"
        + signer.public_pem.encode()
        + _public_key("SubjectPublicKeyInfo")
    )

    result = run_bootstrap("--env", "dev", "--jwt-pubkey-file", str(key_file))

    config = cli_env.client().read("auth/jwt/config")["data"]
    assert result.exit_code == 0
    assert "created jwt configuration" in result.stdout
    assert len(config["jwt_validation_pubkeys"]) == 2
    assert config["jwt_validation_pubkeys"][0].strip() == signer.public_pem.strip()


def test_a_key_source_vault_cannot_use_is_named_and_prior_changes_listed(
    cli_env, monkeypatch
):
    monkeypatch.delenv("CALDRON_JWT_PUBKEY_FILE")

    result = run_bootstrap(
        "--env", "dev", "--jwt-oidc-discovery-url", "http://127.0.0.1:9"
    )

    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        line.format(mount=cli_env.mount) for line in FIRST_RUN[:7]
    ]
    assert result.stderr.splitlines() == [
        "bootstrap of dev stopped after the 7 change(s) above; run it again once "
        "the error is fixed",
        f"Error: Vault at {cli_env.addr} refused the jwt configuration: Vault "
        "could not use --jwt-oidc-discovery-url (check that Vault can reach the "
        "URL and that it serves /.well-known/openid-configuration)",
    ]


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
