"""How the secrets commands fail when Vault cannot or will not serve them.

Each failure has its own message and exit code, nothing stored changes, an
existing rendered file stays as it was, and no token or value is printed.
"""

import json
import logging
import time

import pytest

CANARY = "pw-CANARY-7731"


@pytest.fixture
def staging_file(tmp_path):
    """An earlier .env.staging that a failed render must leave untouched."""
    path = tmp_path / ".env.staging"
    path.write_text("EARLIER=1\n")
    return path


@pytest.fixture
def stripe_source(tmp_path):
    path = tmp_path / "stripe.json"
    path.write_text(
        json.dumps({"STRIPE_SECRET_KEY": "sk_test_FAKE5555555555555555555555"})
    )
    return str(path)


def assert_quiet_failure(result, exit_code, message, *secrets):
    assert result.exit_code == exit_code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    for secret in secrets:
        assert secret not in result.output


def test_sealed_server(invoke, start_openbao, monkeypatch, staging_file, stripe_source):
    server = start_openbao()
    server.client().sys.enable_secrets_engine(
        "kv", path="caldron", options={"version": "2"}
    )
    server.client().sys.seal()
    monkeypatch.setenv("VAULT_ADDR", server.addr)
    monkeypatch.setenv("VAULT_TOKEN", server.root_token)
    monkeypatch.setenv("CALDRON_VAULT_MOUNT", "caldron")

    started = time.monotonic()
    push = invoke("secrets", "push", "--env", "staging", stripe_source)
    pull = invoke("env", "pull", "--env", "staging", "--output", str(staging_file))
    elapsed = time.monotonic() - started

    assert_quiet_failure(push, 9, "sealed", server.root_token)
    assert_quiet_failure(pull, 9, "sealed", server.root_token)
    assert server.addr.split("//")[1] in pull.stderr
    assert staging_file.read_text() == "EARLIER=1\n"
    assert elapsed < 10


def test_unreachable_server(invoke, monkeypatch, unused_port, staging_file):
    monkeypatch.setenv("VAULT_ADDR", f"http://127.0.0.1:{unused_port}")

    result = invoke("env", "pull", "--env", "staging", "--output", str(staging_file))

    assert_quiet_failure(result, 4, f"127.0.0.1:{unused_port}")
    assert staging_file.read_text() == "EARLIER=1\n"


def test_permission_denied_names_the_path(
    invoke, pushed_dev, make_token, kv_mount, monkeypatch, tmp_path
):
    token = make_token(
        f'path "{kv_mount}/data/staging/*" {{ capabilities = ["read"] }}'
    )
    monkeypatch.setenv("VAULT_TOKEN", token)

    result = invoke("env", "pull", "--env", "dev", "--output", str(tmp_path / ".env"))

    assert_quiet_failure(result, 7, "dev/", token)
    assert not (tmp_path / ".env").exists()


def test_permission_denied_on_push_is_not_taken_for_absent(
    invoke, make_token, kv_mount, monkeypatch, stripe_source, openbao
):
    token = make_token(
        f'path "{kv_mount}/data/staging/*" {{ capabilities = ["read"] }}'
    )
    monkeypatch.setenv("VAULT_TOKEN", token)

    result = invoke("secrets", "push", "--env", "dev", stripe_source)

    assert_quiet_failure(result, 7, "denied", token)
    listed = openbao.client().secrets.kv.v2.list_secrets
    with pytest.raises(Exception, match=r"None|404"):
        listed("dev", mount_point=kv_mount)


def test_expired_token_says_log_in_again(
    invoke, pushed_dev, make_token, kv_mount, monkeypatch, tmp_path
):
    token = make_token(
        f'path "{kv_mount}/*" {{ capabilities = ["read", "list"] }}', ttl="2s"
    )
    monkeypatch.setenv("VAULT_TOKEN", token)
    time.sleep(3)

    result = invoke("env", "pull", "--env", "dev", "--output", str(tmp_path / ".env"))

    assert_quiet_failure(result, 5, "expired", token)


def test_no_value_leaks_under_debug(invoke, pushed_dev, tmp_path, caplog, openbao):
    caplog.set_level(logging.DEBUG)
    source = tmp_path / "smtp.env"
    source.write_text(f"SMTP_PASSWORD={CANARY}\n")

    push = invoke("--debug", "secrets", "push", "--env", "dev", str(source))
    pull = invoke(
        "--debug", "env", "pull", "--env", "dev", "--output", str(tmp_path / ".env")
    )
    status = invoke("--debug", "secrets", "status", "--env", "dev")

    for result in (push, pull, status):
        assert CANARY not in result.output
        assert openbao.root_token not in result.output
    assert CANARY not in caplog.text
    assert openbao.root_token not in caplog.text
    for value in pushed_dev.values():
        if len(value) > 8:
            assert value not in caplog.text
