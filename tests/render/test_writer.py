"""write_env_file: atomic, 0600, refusing unsafe paths."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from caldron.errors import InvalidInputError
from caldron.render import write_env_file
from caldron.render import writer as writer_module


def mode_of(path: Path) -> int:
    """The permission bits of ``path``."""
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    """Temporary files the writer may have left behind."""
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


@pytest.fixture
def umask_022():
    """Run the test under the usual umask 022 and restore the previous one."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_file_is_private_under_umask_022(tmp_path, umask_022):
    path = tmp_path / ".env.production"
    write_env_file(path, "API_KEY='fake'\n")
    assert path.read_text() == "API_KEY='fake'\n"
    assert mode_of(path) == 0o600
    assert path.stat().st_mode & 0o077 == 0
    assert leftovers(tmp_path) == []


def test_an_existing_0644_file_ends_0600_with_the_new_text(tmp_path, umask_022):
    path = tmp_path / ".env"
    path.write_text("OLD='fake-old'\n")
    path.chmod(0o644)
    write_env_file(path, "NEW='fake-new'\n")
    assert path.read_text() == "NEW='fake-new'\n"
    assert mode_of(path) == 0o600


def test_a_failed_rename_leaves_the_file_untouched_and_no_temporary(
    tmp_path, monkeypatch
):
    path = tmp_path / ".env"
    path.write_text("OLD='fake-old'\n")

    def refuse_rename(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer_module.os, "replace", refuse_rename)
    with pytest.raises(OSError, match="No space left"):
        write_env_file(path, "NEW='fake-new'\n")
    assert path.read_text() == "OLD='fake-old'\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda base: (base / "out").mkdir() or base / "out", "is a directory"),
        (
            lambda base: (base / "link").symlink_to(base / "target") or base / "link",
            "is a symbolic link",
        ),
        (
            lambda base: (base / "plain").write_text("x") and base / "plain" / ".env",
            "does not exist or is not a folder",
        ),
        (lambda base: base / "missing" / ".env", "does not exist or is not a folder"),
        (lambda base: os.mkfifo(base / "fifo") or base / "fifo", "not a regular file"),
    ],
    ids=["directory", "symlink", "under-a-file", "missing-folder", "fifo"],
)
def test_refuses_a_path_that_is_not_a_plain_file_in_a_folder(tmp_path, make, message):
    (tmp_path / "target").write_text("TARGET='fake'\n")
    path = make(tmp_path)
    with pytest.raises(InvalidInputError) as caught:
        write_env_file(path, "A='fake'\n")
    assert message in caught.value.message
    assert str(path) in caught.value.message
    assert caught.value.hint
    assert (tmp_path / "target").read_text() == "TARGET='fake'\n"


def without_root_privileges() -> list[str]:
    """A command prefix that runs a program unable to bypass file modes.

    Tests run as root, who may write anywhere; dropping the capabilities that
    override file permissions makes a 0555 folder truly unwritable to it.
    """
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def test_refuses_a_folder_the_user_cannot_write(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    existing = folder / ".env"
    existing.write_text("OLD='fake-old'\n")
    existing.chmod(0o644)
    folder.chmod(0o555)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from caldron.errors import CaldronError\n"
        "from caldron.render import write_env_file\n"
        "try:\n"
        "    write_env_file(Path(sys.argv[1]), 'NEW=1\\n')\n"
        "except CaldronError as error:\n"
        "    print(error)\n"
        "    sys.exit(error.exit_code)\n"
    )
    try:
        result = subprocess.run(
            [*without_root_privileges(), sys.executable, "-c", script, str(existing)],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        folder.chmod(0o755)
    assert result.returncode == 3, result.stderr
    assert result.stdout.startswith(f"cannot write in the folder of {existing}")
    assert "Permission denied" in result.stdout
    assert existing.read_text() == "OLD='fake-old'\n"
    assert leftovers(folder) == []
