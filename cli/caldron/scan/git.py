"""The few git questions a scan asks, answered by git itself."""

import logging
import subprocess
from pathlib import Path

from caldron.errors import UsageError

logger = logging.getLogger(__name__)


def find_repository(start: Path) -> Path | None:
    """Return the top folder of the git work tree holding ``start``, or None."""
    folder = start if start.is_dir() else start.parent
    result = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return None
    return Path(result.stdout.strip())


def require_repository(start: Path, option: str) -> Path:
    """Return the repository of ``start`` or raise a usage error for ``option``."""
    repository = find_repository(start)
    if repository is None:
        raise UsageError(
            f"{option} needs a git repository and {start} is not in one",
            hint="run the scan inside the repository",
        )
    return repository


def run_git(repository: Path, *arguments: str) -> bytes:
    """Run ``git`` in ``repository`` and return its standard output."""
    logger.debug("caldron scan: git %s", " ".join(arguments))
    result = subprocess.run(
        ["git", "-C", str(repository), "-c", "core.quotePath=off", *arguments],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(
            f"git {arguments[0]} failed in {repository}: "
            f"{message[-1] if message else 'no message'}",
            hint="check that the repository is healthy",
        )
    return result.stdout


def list_committable_files(repository: Path, under: Path | None = None) -> list[str]:
    """Files git tracks or would add with ``git add -A`` (untracked and not
    ignored), relative to the repository; only those under ``under`` if given."""
    arguments = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    if under is not None:
        arguments += ["--", str(under.resolve())]
    output = run_git(repository, *arguments)
    return sorted({name for name in output.decode().split("\0") if name})


def list_staged_files(repository: Path) -> list[str]:
    """Files the index adds or changes compared to ``HEAD``."""
    output = run_git(
        repository, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR"
    )
    return sorted({name for name in output.decode().split("\0") if name})


def is_tracked(repository: Path, relative: str) -> bool:
    """True when git tracks ``relative`` (ignore rules do not untrack)."""
    output = run_git(repository, "ls-files", "-z", "--cached", "--", relative)
    return bool(output.strip(b"\0"))


def is_ignored(repository: Path, relative: str) -> bool:
    """True when git's ignore rules cover ``relative``, tracked or not."""
    result = subprocess.run(
        ["git", "-C", str(repository), "check-ignore", "-q", "--no-index", relative],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0
