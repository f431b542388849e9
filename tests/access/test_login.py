"""``caldron login`` and ``caldron whoami`` with each method, against OpenBao."""

import stat
import time

import hvac
import pytest
from click.testing import CliRunner

from caldron.auth.methods import login_with_jwt
from caldron.errors import NotAuthenticatedError
from caldron.main import cli

PASSWORD = "fake-password-for-tests-1"


@pytest.fixture
def login_env(bootstrapped, isolated_home, monkeypatch):
    """A user with no token yet, pointed at a bootstrapped Vault."""
    monkeypatch.setenv("VAULT_ADDR", bootstrapped.addr)
    monkeypatch.setenv("CALDRON_VAULT_MOUNT", bootstrapped.mount)
    return bootstrapped


@pytest.fixture
def approle_credentials(login_env) -> tuple[str, str]:
    root = login_env.client()
    role = "auth/approle/role/caldron-staging-ci"
    role_id = root.read(f"{role}/role-id")["data"]["role_id"]
    secret_id = root.write_data(f"{role}/secret-id")["data"]["secret_id"]
    return role_id, secret_id


def login(*arguments: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["login", *arguments], input=stdin)


def stored_token(home) -> str:
    return (home / ".vault-token").read_text()


def assert_not_shown(result, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in result.output
        assert secret not in result.stderr


def test_token_login_from_stdin_stores_the_token_owner_only(login_env, isolated_home):
    token = login_env.server.root_token

    result = login(stdin=f"{token}\n")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"Logged in to {login_env.addr} with token.",
        "Policies: root. Lifetime: never expires, not renewable.",
        f"Token stored in {isolated_home / '.vault-token'}.",
    ]
    assert stored_token(isolated_home) == token
    assert stat.S_IMODE((isolated_home / ".vault-token").stat().st_mode) == 0o600
    assert_not_shown(result, token)


def test_no_store_checks_the_login_and_writes_nothing(login_env, isolated_home):
    result = login("--no-store", stdin=login_env.server.root_token)

    assert result.exit_code == 0
    assert "The token was not stored (--no-store)." in result.stdout
    assert not (isolated_home / ".vault-token").exists()


def test_an_invalid_token_is_refused(login_env, isolated_home):
    result = login(stdin="s.fake-not-a-real-token\n")

    assert result.exit_code == 5
    assert "invalid or has expired" in result.stderr
    assert not (isolated_home / ".vault-token").exists()
    assert_not_shown(result, "s.fake-not-a-real-token")


def test_userpass_login_gets_the_users_policies(login_env, isolated_home):
    login_env.client().write_data(
        "auth/userpass/users/alice",
        data={"password": PASSWORD, "token_policies": "caldron-dev-read"},
    )

    result = login("--method", "userpass", "--username", "alice", stdin=PASSWORD)

    assert result.exit_code == 0
    assert "Policies: caldron-dev-read, default." in result.stdout
    assert "Lifetime: " in result.stdout and "renewable." in result.stdout
    assert stored_token(isolated_home).startswith("s.")
    assert_not_shown(result, PASSWORD, stored_token(isolated_home))


def test_userpass_with_a_wrong_password_is_not_authenticated(login_env):
    login_env.client().write_data(
        "auth/userpass/users/bob", data={"password": PASSWORD}
    )

    result = login("--method", "userpass", "--username", "bob", stdin="fake-wrong-1\n")

    assert result.exit_code == 5
    assert result.stderr.startswith("Error: Vault refused the userpass login as 'bob'")
    assert_not_shown(result, "fake-wrong-1", PASSWORD)


def test_approle_login_from_the_environment_is_a_staging_writer(
    login_env, isolated_home, approle_credentials, monkeypatch
):
    role_id, secret_id = approle_credentials
    monkeypatch.setenv("VAULT_ROLE_ID", role_id)
    monkeypatch.setenv("VAULT_SECRET_ID", secret_id)

    result = login("--method", "approle")

    assert result.exit_code == 0
    assert "Policies: caldron-staging-write, default." in result.stdout
    assert_not_shown(result, role_id, secret_id, stored_token(isolated_home))


def test_approle_login_from_files(login_env, approle_credentials, tmp_path):
    role_id, secret_id = approle_credentials
    (tmp_path / "role-id").write_text(role_id + "\n")
    (tmp_path / "secret-id").write_text(secret_id + "\n")

    result = login(
        "--method",
        "approle",
        "--role-id-file",
        str(tmp_path / "role-id"),
        "--secret-id-file",
        str(tmp_path / "secret-id"),
        "--no-store",
    )

    assert result.exit_code == 0
    assert "caldron-staging-write" in result.stdout


@pytest.mark.parametrize(
    ("variables", "code", "message"),
    [
        ({"VAULT_ROLE_ID": "fake-role"}, 2, "has a role id but no secret id"),
        ({"VAULT_SECRET_ID": "fake-secret"}, 2, "approle login needs a role id"),
        (
            {"VAULT_ROLE_ID": "fake-role", "VAULT_SECRET_ID": "fake-secret"},
            5,
            "Vault refused the approle login",
        ),
    ],
)
def test_incomplete_or_wrong_approle_credentials(
    login_env, monkeypatch, variables, code, message
):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    result = login("--method", "approle")

    assert result.exit_code == code
    assert message in result.stderr
    assert_not_shown(result, "fake-role", "fake-secret")


def test_jwt_login_for_dev_gets_the_dev_reader(login_env, signer, monkeypatch):
    jwt = signer.sign("dev")
    monkeypatch.setenv("CALDRON_JWT", jwt)

    result = login("--method", "jwt", "--env", "dev")

    assert result.exit_code == 0
    assert "Policies: caldron-dev-read, default." in result.stdout
    assert_not_shown(result, jwt)


def test_jwt_login_from_a_file(login_env, signer, tmp_path):
    (tmp_path / "id-token").write_text(signer.sign("prod") + "\n")

    result = login(
        "--method",
        "jwt",
        "--role",
        "caldron-prod",
        "--jwt-file",
        str(tmp_path / "id-token"),
    )

    assert result.exit_code == 0
    assert "Policies: caldron-prod-read, default." in result.stdout


@pytest.mark.parametrize(
    ("claims_environment", "role_environment", "named"),
    [
        ("prod", "dev", "'prod'"),
        ("dev", "prod", "'dev'"),
        ("staging", "dev", "'staging'"),
        ("qa", "dev", "another environment"),
    ],
)
def test_a_jwt_naming_another_environment_than_env_is_refused_before_sending(
    isolated_home, signer, monkeypatch, claims_environment, role_environment, named
):
    monkeypatch.setenv("VAULT_ADDR", "http://127.0.0.1:9")
    jwt = signer.sign(claims_environment)
    monkeypatch.setenv("CALDRON_JWT", jwt)

    result = login("--method", "jwt", "--env", role_environment)

    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == (
        f"Error: the identity token from $CALDRON_JWT is for {named} (its "
        f"environment claim), not '{role_environment}' (use a token your CI "
        f"issued for the {role_environment} environment)\n"
    )
    assert not (isolated_home / ".vault-token").exists()
    assert_not_shown(result, jwt)


def test_the_environment_claim_checked_locally_can_be_renamed(
    isolated_home, signer, monkeypatch
):
    monkeypatch.setenv("VAULT_ADDR", "http://127.0.0.1:9")
    monkeypatch.setenv("CALDRON_JWT", signer.sign("dev", deploy_env="prod"))
    monkeypatch.setenv("CALDRON_JWT_ENVIRONMENT_CLAIM", "deploy_env")

    result = login("--method", "jwt", "--env", "dev")

    assert result.exit_code == 3
    assert "is for 'prod' (its deploy_env claim), not 'dev'" in result.stderr


@pytest.mark.parametrize(
    ("token", "role", "reason", "hint"),
    [
        (
            lambda signer, stranger: stranger.sign("dev"),
            "caldron-dev",
            "its signature matches none of the keys Vault has for jwt logins",
            "give `caldron vault bootstrap` the CI provider's signing key",
        ),
        (
            lambda signer, stranger: signer.sign("dev", iss="https://other.test"),
            "caldron-dev",
            "its issuer (iss claim) is not the bound issuer",
            "check --jwt-bound-issuer",
        ),
        (
            lambda signer, stranger: signer.sign("dev", aud="someone-else"),
            "caldron-dev",
            "its audience (aud claim) is not one the role accepts",
            "as --jwt-audience (default: caldron)",
        ),
        (
            lambda signer, stranger: signer.sign("dev", nbf=int(time.time()) + 900),
            "caldron-dev",
            "it is not valid yet (nbf claim)",
            "check this machine's clock",
        ),
        (
            lambda signer, stranger: signer.sign("prod"),
            "caldron-dev",
            "its environment claim does not match the role",
            "use a token issued for the environment of that role",
        ),
        (
            lambda signer, stranger: signer.sign("dev", environment=None),
            "caldron-dev",
            "it has no environment claim",
            "the role requires a environment claim",
        ),
        (
            lambda signer, stranger: signer.sign("dev"),
            "caldron-qa",
            "there is no such role",
            "run `caldron vault bootstrap --env ENV`, or check --role",
        ),
    ],
)
def test_a_jwt_refused_by_vault_says_which_check_failed(
    login_env, signer, stranger, monkeypatch, isolated_home, token, role, reason, hint
):
    jwt = token(signer, stranger)
    monkeypatch.setenv("CALDRON_JWT", jwt)

    result = login("--method", "jwt", "--role", role)

    assert (result.exit_code, result.stdout) == (5, "")
    assert result.stderr.startswith(
        f"Error: Vault refused the jwt login to role '{role}': {reason} ("
    )
    assert hint in result.stderr
    assert "claims must name the environment" not in result.stderr
    assert not (isolated_home / ".vault-token").exists()
    assert_not_shown(result, jwt)


def test_an_expired_jwt_refused_by_vault_says_it_has_expired(login_env, signer):
    client = hvac.Client(url=login_env.addr)
    expired = signer.sign("dev", exp=int(time.time()) - 60)

    with pytest.raises(NotAuthenticatedError) as refused:
        login_with_jwt(client, "caldron-dev", expired)

    assert str(refused.value) == (
        "Vault refused the jwt login to role 'caldron-dev': it has expired "
        "(fetch a fresh identity token)"
    )


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("not-a-jwt", "it is not three base64url segments"),
        ("a.b", "it is not three base64url segments"),
        ("eyJhbGciOiJSUzI1NiJ9.!!!.sig", "it is not three base64url segments"),
        ("bm90IGpzb24.eyJhIjoxfQ.c2ln", "its header is not base64url-encoded JSON"),
        (
            "eyJhbGciOiJub25lIn0.eyJhIjoxfQ.c2ln",
            "its header names no signing algorithm",
        ),
        ("eyJhbGciOiJSUzI1NiJ9.WzFd.c2ln", "its claims is not a JSON object"),
        ("eyJhbGciOiJSUzI1NiJ9.eyJleHAiOiIxMCJ9.c2ln", "its exp claim is not a"),
    ],
)
def test_a_malformed_jwt_is_rejected_before_anything_is_sent(
    isolated_home, monkeypatch, token, reason
):
    monkeypatch.setenv("VAULT_ADDR", "http://127.0.0.1:9")
    monkeypatch.setenv("CALDRON_JWT", token)

    result = login("--method", "jwt", "--env", "dev")

    assert result.exit_code == 3
    assert result.stderr.startswith(
        f"Error: the identity token from $CALDRON_JWT is malformed: {reason}"
    )
    assert_not_shown(result, token)


def test_an_expired_jwt_is_said_to_have_expired_before_anything_is_sent(
    isolated_home, monkeypatch, signer
):
    monkeypatch.setenv("VAULT_ADDR", "http://127.0.0.1:9")
    expired = signer.sign("dev", exp=int(time.time()) - 60)
    monkeypatch.setenv("CALDRON_JWT", expired)

    result = login("--method", "jwt", "--env", "dev")

    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == (
        "Error: the identity token from $CALDRON_JWT has expired "
        "(fetch a fresh identity token)\n"
    )
    assert_not_shown(result, expired)


@pytest.mark.parametrize("method", ["token", "userpass"])
@pytest.mark.parametrize("home_is", ["missing", "a file"])
def test_a_token_that_cannot_be_stored_fails_the_login_naming_the_file(
    login_env, isolated_home, monkeypatch, tmp_path, method, home_is
):
    home = tmp_path / "nonexistent" / "dir"
    if home_is == "a file":
        home = tmp_path / "home-file"
        home.write_text("not a folder\n")
    monkeypatch.setenv("HOME", str(home))
    login_env.client().write_data(
        "auth/userpass/users/carol", data={"password": PASSWORD}
    )
    secret = login_env.server.root_token if method == "token" else PASSWORD

    result = login("--method", method, "--username", "carol", stdin=f"{secret}\n")

    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.startswith(
        f"Error: cannot store the token in {home / '.vault-token'} ("
    )
    assert "--no-store" in result.stderr
    assert_not_shown(result, secret)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--method", "kerberos"], "Invalid value for '--method'"),
        (["--method", "jwt", "--env", "dev"], "$CALDRON_JWT is empty"),
        (["--method", "jwt"], "needs the environment"),
    ],
)
def test_usage_errors(isolated_home, monkeypatch, signer, arguments, message):
    monkeypatch.setenv("VAULT_ADDR", "http://127.0.0.1:9")
    if arguments == ["--method", "jwt"]:
        monkeypatch.setenv("CALDRON_JWT", signer.sign("dev"))

    result = login(*arguments)

    assert result.exit_code == 2
    assert message in result.stderr


def test_whoami_shows_policies_and_lifetime_never_the_token(login_env, monkeypatch):
    token = login_env.client().auth.token.create(
        policies=["caldron-dev-read"], ttl="2h", renewable=True
    )["auth"]["client_token"]
    monkeypatch.setenv("VAULT_TOKEN", token)

    result = CliRunner().invoke(cli, ["whoami"])

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"address:   {login_env.addr}"
    assert lines[2] == "policies:  caldron-dev-read, default"
    assert lines[3] in ("lifetime:  2h00m remaining", "lifetime:  1h59m remaining")
    assert lines[4] == "renewable: yes"
    assert_not_shown(result, token)


def test_whoami_after_login_reads_the_stored_token(login_env, isolated_home):
    login(stdin=login_env.server.root_token)

    result = CliRunner().invoke(cli, ["whoami"])

    assert result.exit_code == 0
    assert "policies:  root" in result.stdout
    assert "lifetime:  never expires" in result.stdout


def test_whoami_without_a_token_is_not_authenticated(login_env):
    result = CliRunner().invoke(cli, ["whoami"])

    assert result.exit_code == 5
    assert "no Vault token" in result.stderr


def test_a_vault_token_variable_that_would_shadow_the_login_is_pointed_out(
    login_env, isolated_home, monkeypatch
):
    monkeypatch.setenv("VAULT_TOKEN", "s.fake-shadowing-token")

    result = login(stdin=login_env.server.root_token)

    assert result.exit_code == 0
    assert "VAULT_TOKEN is set in this shell and takes precedence" in result.stderr
    assert stored_token(isolated_home) == login_env.server.root_token
    assert_not_shown(result, "s.fake-shadowing-token", login_env.server.root_token)
