"""Rendered ``.env`` files that git would commit.

A file looks like a rendered environment file when its name is ``.env``,
starts with ``.env.`` or ends with ``.env`` (``.env.production``,
``.env.bak.2024-01-01``, ``deploy/prod.env``). Examples and templates meant
to be committed (``.env.example``, ``app.env.template``, ``.env.dev.sample``)
are allowed. Whether git would commit a file is git's answer, not a glob of
ours: tracked files always count (ignore rules do not untrack), other files
count unless ``git check-ignore`` says they are ignored.
"""

from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

from caldron.scan.findings import Finding
from caldron.scan.git import is_ignored, is_tracked

_ALLOWED_SUFFIXES = (".example", ".sample", ".template", ".dist")


def looks_like_env_file(relative: str) -> bool:
    """True when the file name is that of a rendered environment file."""
    name = PurePosixPath(relative).name
    if name.endswith(_ALLOWED_SUFFIXES):
        return False
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def find_committable_env_files(
    repository, relatives: Iterable[str]
) -> Iterator[Finding]:
    """Yield a finding for each of ``relatives`` (paths in ``repository``) that
    is a rendered environment file git tracks or would add."""
    for relative in sorted(set(relatives)):
        if not looks_like_env_file(relative):
            continue
        if is_tracked(repository, relative):
            yield Finding(relative, None, "rendered .env file tracked by git")
        elif not is_ignored(repository, relative):
            yield Finding(relative, None, "rendered .env file git would commit")
