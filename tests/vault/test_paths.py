"""Secret paths relative to the mount (BC-10: doubled or missing ``data/``)."""

import pytest

from caldron.errors import InvalidInputError, UsageError
from caldron.vault.paths import normalise_mount, normalise_path, secret_path


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("apps/billing", "apps/billing"),
        ("/apps/billing", "apps/billing"),
        ("apps/billing/", "apps/billing"),
        ("//apps///billing//", "apps/billing"),
        (" dev/stripe ", "dev/stripe"),
    ],
)
def test_slashes_are_normalised(typed, expected):
    assert normalise_path(typed, "secret") == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("secret/data/apps/billing", "starts with the mount name"),
        ("secret/apps/billing", "starts with the mount name"),
        ("data/apps/billing", "starts with 'data/'"),
        ("metadata/apps/billing", "starts with 'metadata/'"),
        ("/data//apps/billing", "starts with 'data/'"),
        ("apps/../ops/root", "invalid part '..'"),
        ("apps/./billing", "invalid part '.'"),
        ("apps/bill ing", "invalid part 'bill ing'"),
        ("apps/billing#frag", "invalid part 'billing#frag'"),
        ("apps/billing?version=1", "invalid part 'billing?version=1'"),
        ("", "empty secret path"),
        ("///", "empty secret path"),
    ],
)
def test_paths_that_name_api_parts_or_escape_are_refused(typed, reason):
    with pytest.raises(InvalidInputError) as caught:
        normalise_path(typed, "secret")
    assert reason in caught.value.message
    assert caught.value.exit_code == 3
    assert "relative to mount 'secret'" in str(caught.value) or "invalid part" in reason


def test_a_nested_mount_is_recognised_at_the_start_of_a_path():
    with pytest.raises(InvalidInputError, match="starts with the mount name"):
        normalise_path("team/kv/dev/stripe", "team/kv")
    assert normalise_path("team/dev", "team/kv") == "team/dev"


@pytest.mark.parametrize(
    ("mount", "expected"),
    [("secret", "secret"), ("/secret/", "secret"), ("team//kv/", "team/kv")],
)
def test_mount_names_are_normalised(mount, expected):
    assert normalise_mount(mount) == expected


@pytest.mark.parametrize("mount", ["", "/", "  ", "secret/..", "se cret"])
def test_bad_mount_names_are_usage_errors(mount):
    with pytest.raises(UsageError) as caught:
        normalise_mount(mount)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("environment", "integration", "expected"),
    [("dev", "stripe", "dev/stripe"), ("prod", "/sentry/", "prod/sentry")],
)
def test_secret_path_joins_environment_and_integration(
    environment, integration, expected
):
    assert secret_path(environment, integration, "caldron") == expected


@pytest.mark.parametrize(
    ("environment", "integration", "error"),
    [
        ("qa", "stripe", UsageError),
        ("dev", "payments/stripe", InvalidInputError),
        ("dev", "", InvalidInputError),
        ("dev", "..", InvalidInputError),
    ],
)
def test_secret_path_refuses_unknown_environments_and_nested_names(
    environment, integration, error
):
    with pytest.raises(error):
        secret_path(environment, integration, "caldron")
