"""This repository passes its own scan, with its own baseline.

The scan covers what git tracks (as a fresh clone holds it), the way the
pre-commit hook and CI run it. A new fake credential in a test must be
accepted in ``.secrets.baseline`` (regenerate it with
``detect-secrets scan > .secrets.baseline`` and review the difference).
"""

import subprocess
from pathlib import Path

from click.testing import CliRunner

from caldron.main import cli

REPO_ROOT = Path(__file__).resolve().parents[2]


def tracked_files() -> list[str]:
    listing = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "ls-files", "-z"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [name for name in listing.split("\0") if (REPO_ROOT / name).is_file()]


def test_this_repository_has_no_findings_beyond_its_baseline(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    files = tracked_files()

    result = CliRunner().invoke(
        cli, ["scan", "--baseline", ".secrets.baseline", *files]
    )

    assert ".secrets.baseline" in files
    assert (result.exit_code, result.stdout) == (0, "")
    assert f"no secrets found in {len(files) - 1} document(s)" in result.stderr
