"""Renewing the token while a long child runs, against OpenBao."""

import time

import pytest

from caldron.token_renewal import TokenRenewer


@pytest.fixture
def token_for(openbao):
    def create(**options) -> str:
        created = openbao.client().auth.token.create(policies=["default"], **options)
        return created["auth"]["client_token"]

    return create


def wait_for(condition, seconds: float) -> None:
    """Poll ``condition`` until it holds or ``seconds`` pass (a loaded CI
    machine may start the renewal thread late)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_renewable_token_outlives_its_ttl(openbao, token_for):
    token = token_for(ttl="3s", renewable=True)
    client = openbao.client(token)
    warnings = []

    with TokenRenewer(client, warn=warnings.append) as renewer:
        time.sleep(4.2)

    assert client.auth.token.lookup_self()["data"]["ttl"] > 0
    assert renewer.renewals >= 1
    assert warnings == []


def test_a_token_that_is_not_renewable_is_reported_in_one_line(openbao, token_for):
    token = token_for(ttl="1h", renewable=False)
    warnings = []

    with TokenRenewer(openbao.client(token), warn=warnings.append) as renewer:
        time.sleep(0.3)

    assert renewer.renewals == 0
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "caldron: the Vault token is not renewable and expires in "
    )
    assert warnings[0].endswith(
        "run `caldron login` for a new token if the command runs longer"
    )
    assert token not in warnings[0]


def test_a_token_reaching_its_maximum_lifetime_is_reported(openbao, token_for):
    token = token_for(ttl="3s", explicit_max_ttl="4s", renewable=True)
    warnings = []

    with TokenRenewer(openbao.client(token), warn=warnings.append):
        wait_for(lambda: warnings, seconds=3.8)

    assert len(warnings) == 1
    assert "reached its maximum lifetime" in warnings[0]
    assert "caldron login" in warnings[0]


def test_an_invalid_token_is_reported_not_raised(openbao):
    warnings = []

    with TokenRenewer(openbao.client("s.fake-invalid"), warn=warnings.append):
        time.sleep(0.3)

    assert len(warnings) == 1
    assert warnings[0].startswith(
        "caldron: cannot renew the Vault token: the Vault token is invalid"
    )
    assert "s.fake-invalid" not in warnings[0]


def test_a_root_token_needs_no_renewal(openbao):
    warnings = []

    with TokenRenewer(openbao.client(), warn=warnings.append) as renewer:
        time.sleep(0.2)

    assert (renewer.renewals, warnings) == (0, [])
