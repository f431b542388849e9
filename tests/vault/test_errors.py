"""Vault failures become caldron errors (BC-13, BC-14), against real servers."""

import logging
import time

import pytest

from caldron.errors import (
    NotAuthenticatedError,
    NotFoundError,
    PermissionDeniedError,
    VaultSealedError,
    VaultUnreachableError,
)
from caldron.vault import VaultSettings, open_store
from caldron.vault.errors import translate_vault_errors

READER_POLICY = """
path "{mount}/data/dev/*" {{ capabilities = ["read"] }}
path "{mount}/metadata/dev/*" {{ capabilities = ["read", "list"] }}
"""


@pytest.fixture
def reader(vault_env, kv_mount, make_token, monkeypatch):
    """A store whose token may only read ``dev/*`` of the mount."""
    vault_env.client().secrets.kv.v2.create_or_update_secret(
        "dev/stripe", {"STRIPE_SECRET_KEY": "sk_test_FAKE0002"}, mount_point=kv_mount
    )
    token = make_token(READER_POLICY.format(mount=kv_mount))
    monkeypatch.setenv("VAULT_TOKEN", token)
    with open_store(VaultSettings.from_environment()) as store:
        yield store, token


def test_403_404_and_expired_token_are_three_outcomes(
    reader, vault_env, kv_mount, make_token, monkeypatch
):
    """BC-13: (a) missing is None / not found, (b) forbidden, (c) expired."""
    store, token = reader
    assert store.read("dev", "stripe").data == {"STRIPE_SECRET_KEY": "sk_test_FAKE0002"}

    assert store.read("dev", "missing") is None
    with pytest.raises(NotFoundError, match=f"{kv_mount}/dev/missing not found"):
        store.versions("dev", "missing")

    with pytest.raises(PermissionDeniedError) as denied:
        store.read("prod", "stripe")
    assert denied.value.exit_code == 7
    assert f"permission denied on {kv_mount}/prod/stripe" in denied.value.message
    assert "policies" in denied.value.hint

    short_lived = make_token(READER_POLICY.format(mount=kv_mount), ttl="2s")
    monkeypatch.setenv("VAULT_TOKEN", short_lived)
    with open_store(VaultSettings.from_environment()) as expiring:
        assert expiring.read("dev", "stripe").version == 1
        time.sleep(3)
        with pytest.raises(NotAuthenticatedError) as expired:
            expiring.read("dev", "stripe")
    assert expired.value.exit_code == 5
    assert "invalid or has expired" in expired.value.message
    assert "log in again" in expired.value.hint
    for error in (denied.value, expired.value):
        assert token not in str(error) and short_lived not in str(error)


def test_a_403_on_an_absent_secret_is_never_taken_for_absent(reader):
    store, _ = reader
    with pytest.raises(PermissionDeniedError):
        store.read("prod", "never-written")
    with pytest.raises(PermissionDeniedError):
        store.read_many("prod", ["stripe", "never-written"])


def test_a_revoked_token_is_not_authenticated(vault_env, make_token, monkeypatch):
    token = make_token('path "x/*" { capabilities = ["read"] }')
    vault_env.client().auth.token.revoke(token)
    monkeypatch.setenv("VAULT_TOKEN", token)
    store = open_store(VaultSettings.from_environment())
    with store, pytest.raises(NotAuthenticatedError):
        store.read("dev", "stripe")


def test_no_token_at_all_fails_before_any_request(vault_env, monkeypatch):
    monkeypatch.delenv("VAULT_TOKEN")
    with pytest.raises(NotAuthenticatedError, match="no Vault token") as caught:
        open_store(VaultSettings.from_environment())
    assert "VAULT_TOKEN" in caught.value.hint


def test_an_unreachable_address_fails_fast_and_names_it(
    vault_env, unused_port, monkeypatch
):
    address = f"http://127.0.0.1:{unused_port}"
    monkeypatch.setenv("VAULT_ADDR", address)
    started = time.monotonic()

    store = open_store(VaultSettings.from_environment())
    with store, pytest.raises(VaultUnreachableError) as caught:
        store.read("dev", "stripe")

    assert time.monotonic() - started < 3
    assert caught.value.message == f"cannot reach Vault at {address}"
    assert caught.value.exit_code == 4
    assert caught.value.__suppress_context__


@pytest.fixture
def sealed_server(start_openbao):
    """A dev server of its own, sealed, so the session's server stays usable."""
    server = start_openbao()
    server.client().sys.enable_secrets_engine(
        "kv", path="caldron", options={"version": "2"}
    )
    server.client().sys.seal()
    return server


def test_a_sealed_server_fails_at_once_without_retrying(
    sealed_server, isolated_home, monkeypatch, caplog
):
    """BC-14: the sealed 503 is reported at once, for reads and writes."""
    monkeypatch.setenv("VAULT_ADDR", sealed_server.addr)
    monkeypatch.setenv("VAULT_TOKEN", sealed_server.root_token)
    caplog.set_level(logging.DEBUG, logger="caldron")
    started = time.monotonic()

    with open_store(VaultSettings.from_environment()) as store:
        with pytest.raises(VaultSealedError) as on_read:
            store.read_many("staging", ["stripe", "sentry"])
        with pytest.raises(VaultSealedError) as on_write:
            store.write("staging", "stripe", {"K": "fake-sealed"}, cas=0)

    assert time.monotonic() - started < 1
    assert "retry" not in caplog.text
    for error in (on_read.value, on_write.value):
        assert error.message == f"Vault at {sealed_server.addr} is sealed"
        assert error.exit_code == 9
        assert sealed_server.root_token not in str(error)
    assert sealed_server.root_token not in caplog.text


CANARY = "pw-CANARY-7731"


def test_no_value_or_token_reaches_logs_or_messages(
    vault_env, kv_mount, make_token, monkeypatch, caplog
):
    """BC-16: canary values and tokens stay out of every log line and error."""
    caplog.set_level(logging.DEBUG)
    messages = []
    with open_store(VaultSettings.from_environment()) as store:
        store.write("dev", "smtp", {"SMTP_PASSWORD": CANARY}, cas=0)
        store.read_many("dev", ["smtp", "absent"])
        for attempt in (
            lambda: store.write("dev", "smtp", {"SMTP_PASSWORD": CANARY}, cas=0),
            lambda: store.write("dev", "smtp", {"SMTP_PASSWORD": 7731}, cas=1),
            lambda: store.read_version("dev", "smtp", 5),
        ):
            with pytest.raises(Exception) as caught:
                attempt()
            messages.append(str(caught.value))

    token = make_token('path "nothing/*" { capabilities = ["read"] }')
    monkeypatch.setenv("VAULT_TOKEN", token)
    store = open_store(VaultSettings.from_environment())
    with store, pytest.raises(PermissionDeniedError) as denied:
        store.write("dev", "smtp", {"SMTP_PASSWORD": CANARY}, cas=1)
    messages.append(str(denied.value))

    printed = caplog.text + "\n".join(messages)
    assert "wrote kv-" in caplog.text
    assert len(messages) == 4
    for secret in (CANARY, "7731", token, vault_env.root_token):
        assert secret not in printed


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("auth/token/lookup-self", NotAuthenticatedError),
        ("sys/mounts", PermissionDeniedError),
    ],
)
def test_translation_without_a_client_still_tells_lookup_self_apart(
    openbao, path, expected
):
    """Callers with only a path (login, whoami) get the best guess for a 403."""
    client = openbao.client(token="fake-invalid-token")
    with pytest.raises(expected) as caught, translate_vault_errors(path):
        client.auth.token.lookup_self()
    assert "fake-invalid-token" not in str(caught.value)
    assert openbao.addr in str(caught.value)
