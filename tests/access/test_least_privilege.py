"""Least privilege, proven with tokens from each role against OpenBao."""

import hvac
import pytest

from caldron.auth.methods import login_with_approle, login_with_jwt
from caldron.errors import NotAuthenticatedError, PermissionDeniedError
from caldron.vault.store import KvStore

SEED = {"STRIPE_SECRET_KEY": "sk_test_FAKE000seed"}


@pytest.fixture
def seeded(bootstrapped):
    """A bootstrapped Vault holding one secret in every environment."""
    store = KvStore(bootstrapped.client(), bootstrapped.mount)
    for environment in ("dev", "staging", "prod"):
        store.write(environment, "stripe", SEED, cas=0)
    return bootstrapped


def store_for(vault, token: str) -> KvStore:
    return KvStore(vault.client(token), vault.mount)


@pytest.fixture
def dev_reader(seeded, signer) -> KvStore:
    """A store logged in with the dev JWT role (the dev read policy)."""
    client = hvac.Client(url=seeded.addr)
    result = login_with_jwt(client, "caldron-dev", signer.sign("dev"))
    assert result.info.policies == ("caldron-dev-read", "default")
    return store_for(seeded, result.token)


@pytest.fixture
def staging_writer(seeded) -> KvStore:
    """A store logged in with the staging CI AppRole (the staging write policy)."""
    root = seeded.client()
    role = "auth/approle/role/caldron-staging-ci"
    role_id = root.read(f"{role}/role-id")["data"]["role_id"]
    secret_id = root.write_data(f"{role}/secret-id")["data"]["secret_id"]
    result = login_with_approle(hvac.Client(url=seeded.addr), role_id, secret_id)
    assert result.info.policies == ("caldron-staging-write", "default")
    return store_for(seeded, result.token)


def test_dev_reader_reads_and_lists_dev(dev_reader):
    assert dev_reader.read("dev", "stripe").data == SEED
    assert dev_reader.list_integrations("dev") == ["stripe"]


@pytest.mark.parametrize(
    ("action", "path"),
    [
        (lambda store: store.write("dev", "stripe", SEED, cas=1), "dev/stripe"),
        (lambda store: store.write("dev", "sentry", SEED, cas=0), "dev/sentry"),
        (lambda store: store.read("staging", "stripe"), "staging/stripe"),
        (lambda store: store.read("prod", "stripe"), "prod/stripe"),
        (lambda store: store.list_integrations("staging"), "staging"),
        (lambda store: store.list_integrations("prod"), "prod"),
    ],
)
def test_dev_reader_cannot_write_nor_touch_other_environments(dev_reader, action, path):
    with pytest.raises(PermissionDeniedError, match=f"permission denied on .*{path}"):
        action(dev_reader)


def test_staging_writer_writes_staging(staging_writer):
    version = staging_writer.write(
        "staging", "stripe", {"STRIPE_SECRET_KEY": "sk_test_FAKE111"}, cas=1
    )

    assert version == 2
    assert staging_writer.read("staging", "stripe").version == 2


@pytest.mark.parametrize(
    "action",
    [
        lambda store: store.read("prod", "stripe"),
        lambda store: store.write("prod", "stripe", SEED, cas=1),
        lambda store: store.write("prod", "newrelic", SEED, cas=0),
        lambda store: store.list_integrations("prod"),
        lambda store: store.versions("prod", "stripe"),
    ],
)
def test_staging_writer_cannot_touch_prod(staging_writer, action):
    with pytest.raises(PermissionDeniedError, match="prod"):
        action(staging_writer)


@pytest.mark.parametrize(
    ("claims_environment", "role"),
    [("prod", "caldron-dev"), ("dev", "caldron-prod"), ("staging", "caldron-prod")],
)
def test_a_jwt_naming_another_environment_is_refused(
    seeded, signer, claims_environment, role
):
    client = hvac.Client(url=seeded.addr)

    with pytest.raises(NotAuthenticatedError, match=f"jwt login to role '{role}'"):
        login_with_jwt(client, role, signer.sign(claims_environment))


@pytest.mark.parametrize(
    "claims",
    [{"aud": "someone-else"}, {"environment": None}, {"exp": 1}],
)
def test_a_jwt_with_wrong_audience_missing_claim_or_expired_is_refused(
    seeded, signer, claims
):
    client = hvac.Client(url=seeded.addr)

    with pytest.raises(NotAuthenticatedError):
        login_with_jwt(client, "caldron-dev", signer.sign("dev", **claims))


def test_role_tokens_can_check_their_mount(dev_reader, staging_writer):
    dev_reader.check_mount()
    staging_writer.check_mount()
