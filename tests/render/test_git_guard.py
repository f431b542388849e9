"""Rendered files are refused where git tracks them or would not ignore them.

Each test builds a throwaway repository in a temporary folder; the project's
own repository is never touched.
"""

import subprocess
from pathlib import Path

import pytest

from caldron.errors import InvalidInputError
from caldron.render import write_env_file

GITIGNORE = ".env.local\n.env*.local\n*/.env\n*/secrets\n"


def git(repo: Path, *args: str) -> None:
    """Run git in the throwaway repository."""
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    """A repository whose .gitignore has the gaps users reported (BC-20)."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "--quiet")
    (root / ".gitignore").write_text(GITIGNORE)
    for folder in ("infra/core", "infra2", "deploy"):
        (root / folder).mkdir(parents=True)
    return root


@pytest.mark.parametrize(
    "relative",
    [
        ".env.production",
        ".env.bak.2024-01-01",
        ".env",
        "infra/core/.env",
        "deploy/prod.env",
    ],
)
def test_refuses_paths_the_ignore_rules_miss(repo, relative):
    path = repo / relative
    with pytest.raises(InvalidInputError) as caught:
        write_env_file(path, "A='fake'\n")
    assert caught.value.message == (
        f"{path} is not ignored by git, so a rendered secret could be committed"
    )
    assert f"add {relative} to .gitignore" in caught.value.hint
    assert not path.exists()


@pytest.mark.parametrize("relative", ["infra2/.env", ".env.local", ".env.dev.local"])
def test_writes_paths_git_ignores(repo, relative):
    write_env_file(repo / relative, "A='fake'\n")
    assert (repo / relative).read_text() == "A='fake'\n"


def test_refuses_a_file_tracked_before_its_ignore_rule(repo):
    path = repo / ".env.local"
    path.write_text("OLD='fake-old'\n")
    git(repo, "add", "--force", ".env.local")
    with pytest.raises(InvalidInputError) as caught:
        write_env_file(path, "NEW='fake-new'\n")
    assert caught.value.message == (
        f"{path} is tracked by git, so a rendered secret would be committed"
    )
    assert "git rm --cached .env.local" in caught.value.hint
    assert path.read_text() == "OLD='fake-old'\n"


def test_checks_the_real_location_behind_a_symlinked_folder(repo, tmp_path):
    link = tmp_path / "into-repo"
    link.symlink_to(repo / "deploy")
    with pytest.raises(InvalidInputError, match="is not ignored by git"):
        write_env_file(link / "prod.env", "A='fake'\n")


def test_writes_anywhere_outside_a_work_tree(tmp_path):
    write_env_file(tmp_path / ".env", "A='fake'\n")
    assert (tmp_path / ".env").read_text() == "A='fake'\n"
