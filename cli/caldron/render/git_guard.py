"""Keep rendered files out of git, asking git itself what it tracks and ignores."""

import logging
import shutil
import subprocess
from pathlib import Path

from caldron.errors import InvalidInputError

logger = logging.getLogger(__name__)


def refuse_path_git_would_commit(path: Path) -> None:
    """Raise ``InvalidInputError`` when ``path`` lies in a git work tree and
    git tracks it or would not ignore it. Outside any work tree, do nothing.

    Ignore rules are matched by ``git check-ignore --no-index``, so a file that
    was committed before its rule was added is judged by the rules, and the
    tracked check (``git ls-files``) catches it separately.
    """
    if shutil.which("git") is None:
        logger.warning("caldron: git is not installed; %s was not checked", path)
        return

    folder = path.parent.resolve()
    top = find_work_tree(folder)
    if top is None:
        return

    relative = (folder / path.name).relative_to(top).as_posix()
    if is_tracked(top, relative):
        raise InvalidInputError(
            f"{path} is tracked by git, so a rendered secret would be committed",
            hint=f"run 'git rm --cached {relative}' and ignore it, or choose "
            "another --output",
        )
    if not is_ignored(top, relative):
        raise InvalidInputError(
            f"{path} is not ignored by git, so a rendered secret could be committed",
            hint=f"add {relative} to .gitignore, or choose another --output",
        )


def find_work_tree(folder: Path) -> Path | None:
    """The top of the git work tree holding ``folder``, or ``None``."""
    result = run_git(folder, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        return None
    return Path(result.stdout.strip()).resolve()


def is_tracked(top: Path, relative: str) -> bool:
    """True when git's index holds ``relative``."""
    result = run_git(top, "ls-files", "--error-unmatch", "--", relative)
    return result.returncode == 0


def is_ignored(top: Path, relative: str) -> bool:
    """True when git's ignore rules match ``relative``."""
    result = run_git(top, "check-ignore", "--quiet", "--no-index", "--", relative)
    if result.returncode not in (0, 1):
        raise InvalidInputError(
            f"git could not tell whether {relative} is ignored in {top}",
            hint="check that 'git status' works there",
        )
    return result.returncode == 0


def run_git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one git command in ``folder`` and capture its output."""
    return subprocess.run(
        ["git", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        check=False,
    )
