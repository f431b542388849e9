"""Throwaway git repositories for the scan tests."""

import subprocess
from pathlib import Path

import pytest


class Repository:
    """A git work tree in a temporary folder, with helpers to plant files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "scan-test@example.test")
        self.git("config", "user.name", "scan test")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *arguments: str) -> str:
        result = subprocess.run(
            ["git", "-C", str(self.root), *arguments],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def commit(self, message: str, *relatives: str) -> str:
        self.git("add", "--", *(relatives or ["."]))
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def repository(tmp_path, monkeypatch) -> Repository:
    """A fresh repository that is also the working directory."""
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    return Repository(root)
