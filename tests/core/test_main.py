"""The root command: lazy sub-commands, errors mapped to exit codes."""

import sys

import pytest
from click.testing import CliRunner

from caldron.main import COMMANDS, cli

NEEDS_PACKAGE = """
import click

@click.command()
def command():
    import {package}
"""


@pytest.mark.parametrize(
    ("package", "extra"),
    [("boto3", "aws"), ("pulumi", "infra"), ("detect_secrets", "scan")],
)
def test_a_missing_optional_package_names_the_extra(
    tmp_path, monkeypatch, package, extra
):
    (tmp_path / "needs_package.py").write_text(NEEDS_PACKAGE.format(package=package))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(COMMANDS, "needs-package", "needs_package:command")
    monkeypatch.setitem(sys.modules, package, None)
    monkeypatch.delitem(sys.modules, "needs_package", raising=False)

    result = CliRunner().invoke(cli, ["needs-package"])

    assert result.exit_code == 2
    assert f"needs the optional package {package}" in result.stderr
    assert f"'.[{extra}]'" in result.stderr


def test_help_lists_every_command_group():
    result = CliRunner().invoke(cli, ["--help"])

    assert result.exit_code == 0
    for name in ("vault", "secrets", "env", "run", "infra", "verify", "scan", "docs"):
        assert f"  {name} " in result.stdout


def test_an_unexpected_failure_is_one_line_without_traceback(tmp_path, monkeypatch):
    (tmp_path / "breaks.py").write_text(
        "import click\n\n@click.command()\ndef command():\n    raise KeyError('x')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(COMMANDS, "breaks", "breaks:command")

    result = CliRunner().invoke(cli, ["breaks"])

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: unexpected failure (KeyError); rerun with --debug for a traceback\n"
    )
