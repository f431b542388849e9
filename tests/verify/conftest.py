"""Fixtures for verify: fake AWS credentials, a compliant moto account, and
a runner for ``caldron verify``."""

import json
from typing import Any

import pytest
from click.testing import CliRunner
from moto import mock_aws
from moto_account import (
    REGION,
    Account,
    build_compliant_account,
    make_clients_class,
)

from caldron.main import cli
from caldron.verify import aws as verify_aws


@pytest.fixture(autouse=True)
def fake_aws_credentials(monkeypatch, tmp_path):
    """Fake credentials and an empty AWS config, so nothing real is reached."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "fake-access-key-id")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-access-key")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-creds"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def account(monkeypatch):
    """A compliant account for stack dev; verify's clients come from it."""
    with mock_aws():
        account = build_compliant_account()
        monkeypatch.setattr(verify_aws, "AwsClients", make_clients_class(account))
        yield account


@pytest.fixture
def empty_account(monkeypatch):
    """An account with nothing in it; set ``outputs`` to what verify reads."""
    with mock_aws():
        account = Account(outputs={}, selection_exists=False)
        monkeypatch.setattr(verify_aws, "AwsClients", make_clients_class(account))
        yield account


@pytest.fixture
def run_verify(tmp_path):
    """Run ``caldron verify --stack dev`` on outputs written to a file."""

    def run(
        outputs: dict[str, Any], *options: str, stack: str = "dev", debug: bool = False
    ) -> Any:
        path = tmp_path / "outputs.json"
        path.write_text(json.dumps(outputs))
        command = ["--debug"] if debug else []
        command += ["verify", "--stack", stack, "--from", str(path), *options]
        return CliRunner().invoke(cli, command)

    return run
