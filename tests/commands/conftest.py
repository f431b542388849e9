"""Fixtures for the command tests: a CLI runner and a dev environment in Vault."""

import pytest
from click.testing import CliRunner

from caldron.catalogue import load_catalogue
from caldron.main import cli


@pytest.fixture
def invoke(vault_env):
    """Run ``caldron ARGS`` against the test Vault; returns the Click result."""
    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def catalogue():
    return load_catalogue()


@pytest.fixture
def example_values(catalogue):
    """Every catalogued key with its obviously fake example value."""
    return {spec.name: spec.example for spec in catalogue.key_specs()}


@pytest.fixture
def pushed_dev(invoke, tmp_path, example_values):
    """The dev environment filled with the catalogue's fake examples."""
    import json

    source = tmp_path / "examples.json"
    source.write_text(json.dumps(example_values))
    result = invoke("secrets", "push", "--env", "dev", str(source))
    assert result.exit_code == 0, result.output
    return example_values
