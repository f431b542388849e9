"""The KV v2 store against a real OpenBao dev server."""

import threading

import pytest

from caldron.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from caldron.vault import StoredSecret, VaultSettings, open_store

FAKE_STRIPE = {"STRIPE_SECRET_KEY": "sk_test_FAKE0001", "STRIPE_MODE": "test"}


@pytest.fixture
def store(vault_env):
    with open_store(VaultSettings.from_environment()) as opened:
        yield opened


def test_a_secret_never_written_reads_as_none(store):
    assert store.read("dev", "stripe") is None


def test_write_with_cas_zero_creates_and_reads_back(store):
    version = store.write("dev", "stripe", FAKE_STRIPE, cas=0)

    stored = store.read("dev", "stripe")
    assert version == 1
    assert stored.data == FAKE_STRIPE
    assert stored.version == 1
    assert stored.created_time.startswith("20")
    assert stored.deleted is False


def test_values_are_kept_out_of_the_repr(store):
    store.write("dev", "stripe", FAKE_STRIPE, cas=0)
    assert "sk_test_FAKE0001" not in repr(store.read("dev", "stripe"))


def test_every_write_is_a_new_version(store):
    store.write("dev", "stripe", FAKE_STRIPE, cas=0)
    second = store.write("dev", "stripe", {**FAKE_STRIPE, "STRIPE_MODE": "x"}, cas=1)

    assert second == 2
    assert store.read("dev", "stripe").data["STRIPE_MODE"] == "x"
    assert store.read_version("dev", "stripe", 1).data == FAKE_STRIPE


def test_a_stale_cas_is_a_conflict_and_changes_nothing(store):
    store.write("dev", "stripe", FAKE_STRIPE, cas=0)
    store.write("dev", "stripe", {"STRIPE_MODE": "other-writer"}, cas=1)

    with pytest.raises(ConflictError, match="concurrent modification") as caught:
        store.write("dev", "stripe", {"STRIPE_MODE": "mine"}, cas=1)

    assert caught.value.exit_code == 6
    assert "kv-" in caught.value.message and "dev/stripe" in caught.value.message
    assert store.read("dev", "stripe").data == {"STRIPE_MODE": "other-writer"}
    assert store.read("dev", "stripe").version == 2


def test_creating_over_an_existing_secret_is_a_conflict(store):
    store.write("dev", "stripe", FAKE_STRIPE, cas=0)
    with pytest.raises(ConflictError):
        store.write("dev", "stripe", FAKE_STRIPE, cas=0)


def test_cas_required_mount_takes_creation_and_rejects_stale_writes(
    store, openbao, kv_mount
):
    """BC-12: version 3 read, another writer makes 4, our cas=3 loses."""
    openbao.client().secrets.kv.v2.configure(cas_required=True, mount_point=kv_mount)
    for version in range(3):
        store.write("staging", "paypal", {"PAYPAL_SECRET": f"fake-{version}"}, version)
    seen = store.read("staging", "paypal")
    openbao.client().secrets.kv.v2.create_or_update_secret(
        "staging/paypal", {"PAYPAL_SECRET": "fake-other"}, cas=3, mount_point=kv_mount
    )

    with pytest.raises(ConflictError, match="concurrent modification"):
        store.write("staging", "paypal", {"PAYPAL_SECRET": "fake-mine"}, seen.version)

    assert seen.version == 3
    assert store.read("staging", "paypal").data == {"PAYPAL_SECRET": "fake-other"}
    assert store.write("staging", "newsvc", {"NEWSVC_TOKEN": "fake-new"}, cas=0) == 1


def test_read_many_sends_one_request_per_integration_from_several_threads(store):
    names = [f"svc{number}" for number in range(12)]
    for name in names[:10]:
        store.write("dev", name, {"TOKEN": f"fake-{name}"}, cas=0)
    seen = []
    store.client.adapter.session.hooks["response"].append(
        lambda response, **_: seen.append((response.url, threading.get_ident()))
    )

    result = store.read_many("dev", names)

    assert list(result) == names
    assert result["svc3"].data == {"TOKEN": "fake-svc3"}
    assert result["svc10"] is None and result["svc11"] is None
    assert sorted(url.rsplit("/", 1)[1] for url, _ in seen) == sorted(names)
    assert len({thread for _, thread in seen}) > 1


def test_read_many_of_nothing_sends_nothing(store):
    assert store.read_many("dev", []) == {}


def test_versions_list_every_version_and_mark_the_current(store, openbao, kv_mount):
    for version in range(3):
        store.write("prod", "sentry", {"SENTRY_DSN": f"fake-{version}"}, version)
    openbao.client().secrets.kv.v2.delete_secret_versions(
        "prod/sentry", [1], mount_point=kv_mount
    )
    openbao.client().secrets.kv.v2.destroy_secret_versions(
        "prod/sentry", [2], mount_point=kv_mount
    )

    versions = store.versions("prod", "sentry")

    assert [info.version for info in versions] == [1, 2, 3]
    assert [info.current for info in versions] == [False, False, True]
    assert [info.destroyed for info in versions] == [False, True, False]
    assert versions[0].deletion_time is not None and not versions[0].readable
    assert versions[2].readable
    with pytest.raises(NotFoundError, match=r"version 1 of kv-.*deleted"):
        store.read_version("prod", "sentry", 1)
    with pytest.raises(NotFoundError, match=r"version 2 of kv-.*deleted"):
        store.read_version("prod", "sentry", 2)
    with pytest.raises(NotFoundError, match="version 9 of"):
        store.read_version("prod", "sentry", 9)


def test_versions_of_an_unknown_secret_is_not_found(store):
    with pytest.raises(NotFoundError, match="dev/nothing not found") as caught:
        store.versions("dev", "nothing")
    assert caught.value.exit_code == 8


@pytest.mark.parametrize("removal", ["delete", "destroy"])
def test_a_deleted_latest_version_reads_empty_with_its_version(
    store, openbao, kv_mount, removal
):
    """The next write must name the deleted version, so it is not None."""
    store.write("dev", "twilio", {"TWILIO_TOKEN": "fake-1"}, cas=0)
    kv = openbao.client().secrets.kv.v2
    if removal == "delete":
        kv.delete_latest_version_of_secret("dev/twilio", mount_point=kv_mount)
    else:
        kv.destroy_secret_versions("dev/twilio", [1], mount_point=kv_mount)

    stored = store.read("dev", "twilio")

    assert stored == StoredSecret(
        data={}, version=1, created_time=stored.created_time, deleted=True
    )
    assert store.write("dev", "twilio", {"TWILIO_TOKEN": "fake-2"}, cas=1) == 2


def test_list_integrations_of_an_environment(store):
    for name in ("stripe", "sentry"):
        store.write("dev", name, {"K": "fake"}, cas=0)
    store.write("prod", "paypal", {"K": "fake"}, cas=0)

    assert store.list_integrations("dev") == ["sentry", "stripe"]
    assert store.list_integrations("staging") == []


@pytest.mark.parametrize(
    "data",
    [{"K": 1}, {"K": None}, {"": "fake"}, {"K": ["fake"]}],
    ids=["int", "none", "empty-key", "list"],
)
def test_write_refuses_data_that_is_not_text(store, data):
    with pytest.raises(InvalidInputError):
        store.write("dev", "stripe", data, cas=0)
    assert store.read("dev", "stripe") is None


def test_a_stored_value_that_is_not_text_is_named_by_key(store, openbao, kv_mount):
    openbao.client().secrets.kv.v2.create_or_update_secret(
        "dev/legacy", {"PORT": 587}, mount_point=kv_mount
    )
    with pytest.raises(InvalidInputError, match="key PORT of dev/legacy"):
        store.read("dev", "legacy")


def test_check_mount_accepts_kv_v2(store):
    assert store.check_mount() is None


@pytest.mark.parametrize(
    ("mount_of", "error", "message"),
    [
        (lambda kv: "absent-mount", NotFoundError, "no mount 'absent-mount'"),
        (lambda kv: f"{kv}/dev", InvalidInputError, "is a folder inside mount"),
        (lambda kv: "cubbyhole", InvalidInputError, "is cubbyhole, not KV version 2"),
    ],
    ids=["missing", "sub-path", "other-engine"],
)
def test_check_mount_refuses_what_is_not_a_kv2_mount(
    vault_env, kv_mount, mount_of, error, message
):
    store = open_store(VaultSettings.from_environment(mount=mount_of(kv_mount)))
    with store, pytest.raises(error, match=message):
        store.check_mount()


def test_check_mount_refuses_kv_version_1(vault_env, openbao):
    openbao.client().sys.enable_secrets_engine(
        "kv", path="kv1-check", options={"version": "1"}
    )
    try:
        store = open_store(VaultSettings.from_environment(mount="kv1-check"))
        with store, pytest.raises(InvalidInputError, match="is kv version 1"):
            store.check_mount()
    finally:
        openbao.client().sys.disable_secrets_engine("kv1-check")


def test_check_mount_with_a_reader_token(vault_env, kv_mount, make_token, monkeypatch):
    token = make_token(f'path "{kv_mount}/data/dev/*" {{ capabilities = ["read"] }}')
    monkeypatch.setenv("VAULT_TOKEN", token)
    with open_store(VaultSettings.from_environment()) as store:
        assert store.check_mount() is None
    store = open_store(VaultSettings.from_environment(mount="absent-mount"))
    with store, pytest.raises(PermissionDeniedError, match="cannot use mount"):
        store.check_mount()
