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


def test_help_imports_no_heavy_package():
    import subprocess

    listing = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from caldron.main import cli\n"
            "try:\n"
            "    cli.main(['--help'], prog_name='caldron')\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = set(listing.stderr.split())

    heavy = {"pulumi", "pulumi_aws", "boto3", "botocore", "detect_secrets", "hvac"}
    assert heavy & loaded == set()
    assert "Usage: caldron" in listing.stdout
